package dev.tributary.cli;

import dev.tributary.project.ConnectionSettings;
import dev.tributary.project.Workspace;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.RunId;
import dev.tributary.spi.WriterLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tributary target --connection NAME [--input FILE]}: Tributary as a Singer target. Reads Singer messages
 * (stdin by default) into the project's destination under connection NAME (its schema, and its per-stream settings
 * when tributary.yml has such a connection), and writes each STATE message to stdout once the records before it are
 * committed. Exit code 0 when everything was loaded, 1 when a message or record failed (nothing after the last
 * passed-on STATE is committed), 2 on a configuration error.
 */
@Command(name = "target", description = "Act as a Singer target: load Singer messages from stdin into the destination; STATE goes to stdout once committed.")
final class TargetCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--connection", required = true, description = "Connection name: the schema the streams land in and the name their state is kept under.")
    String connection;

    @Option(names = "--input", description = "Read messages from this file instead of stdin.")
    Path input;

    @Option(names = "--batch-size", defaultValue = "10000", description = "Records per staged batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--commit-every-records", defaultValue = "100000", description = "Commit at the next STATE once this many records are staged (default ${DEFAULT-VALUE}).")
    long commitEveryRecords;

    @Option(names = "--commit-every-seconds", defaultValue = "30", description = "Commit at the next STATE once this much time passed since the last commit (default ${DEFAULT-VALUE}).")
    long commitEverySeconds;

    @Option(names = "--replace-nul", description = "Store U+0000 in strings as U+FFFD (PostgreSQL text cannot hold U+0000; without this such a value fails the load). Replacements are counted and reported.")
    boolean replaceNul;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchSize < 1 || commitEveryRecords < 1 || commitEverySeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size and --commit-every-records must be at least 1, --commit-every-seconds at least 0");
        }
        if (!connection.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--connection: letters, digits and underscores, starting with a letter: '" + connection + "'");
        }
        try (Workspace workspace = root.openWorkspace()) {
            Optional<ConnectionSettings> settings = Optional.ofNullable(workspace.project().connections().get(connection));
            if (settings.isEmpty()) {
                err.println("tributary target: no connection '" + connection + "' in tributary.yml; streams land in schema " + connection
                        + " with default settings (merge on key_properties, else append)");
            }
            DestinationSession session = workspace.destination();
            RunId run = RunId.generate();
            try (WriterLock lock = session.lockWriter(connection, LockHolder.thisProcess("tributary target --connection " + connection));
                 BufferedReader in = input == null
                         ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)
                         : Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                SingerTarget target = new SingerTarget(session, connection, settings, run, out, batchSize, commitEveryRecords,
                        Duration.ofSeconds(commitEverySeconds), input == null ? workspace.project().dir() : input.toAbsolutePath().getParent())
                        .replacingNul(replaceNul);
                SingerTarget.Summary s = target.run(in, input == null ? "stdin" : input.toString());
                err.println("tributary target: loaded " + s.records() + " records into " + String.join(", ", s.tables()) + " in " + s.commits()
                        + " commits; passed on " + s.statesEmitted() + " STATE messages (run " + run + ")");
                s.nulReplaced().forEach((stream, n) -> err.println("tributary target: WARNING: stream " + stream + ": U+0000 replaced by U+FFFD in "
                        + n + " values (--replace-nul)"));
            }
        }
        return ExitCode.OK;
    }
}
