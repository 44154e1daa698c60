package dev.tributary.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code tributary version}: the version of Tributary and of the Java runtime. Exit code 0. */
@Command(name = "version", description = "Print the version of Tributary and of the Java runtime.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("/tributary-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().println("tributary " + version() + " (Java " + Runtime.version() + ", "
                + System.getProperty("java.vendor") + ")");
        return ExitCode.OK;
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tributary " + version()};
        }
    }
}
