package dev.tributary.cli;

import dev.tributary.project.Connectors;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of the runnable jar. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Connectors report through java.util.logging; one line each ("tributary: WARNING: ..."), not the JDK's two.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "tributary: %4$s: %5$s%6$s%n");
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = TributaryCommand.commandLine(System.getenv(), Connectors.discover(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
