package dev.tributary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tributary.project.Workspace;
import dev.tributary.spi.DestinationSession.StoredState;
import dev.tributary.spi.StreamId;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tributary state show|reset}: the resume points stored with the data in the destination. */
@Command(name = "state", description = "Show or reset the saved sync state (resume points).",
        subcommands = {StateCommand.Show.class, StateCommand.Reset.class})
final class StateCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.CONFIG;
    }

    /** {@code state show [connection] [--json]}; exit code 0. */
    @Command(name = "show", description = "Show the saved state of every stream (or one connection's).")
    static final class Show implements Callable<Integer> {
        @CommandLine.ParentCommand
        StateCommand parent;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", description = "Only this connection.")
        String connection;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            TributaryCommand root = spec.commandLine().getParent().getParent().getCommand();
            try (Workspace workspace = root.openWorkspace()) {
                if (connection != null) workspace.project().connection(connection);
                List<StoredState> states = workspace.destination().states().stream()
                        .filter(s -> connection == null || s.connection().equals(connection))
                        .sorted(Comparator.comparing(StoredState::connection).thenComparing(s -> s.state().stream()))
                        .toList();
                if (json) {
                    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                    ArrayNode arr = mapper.createArrayNode();
                    for (StoredState s : states) {
                        arr.addObject().put("connection", s.connection()).put("stream", s.state().stream().toString())
                                .put("version", s.state().version()).put("run_id", s.runId()).put("committed_at", s.committedAt().toString())
                                .set("value", s.state().value());
                    }
                    out.println(mapper.writeValueAsString(arr));
                    return ExitCode.OK;
                }
                if (states.isEmpty()) {
                    out.println("No saved state" + (connection == null ? "" : " for " + connection) + ": the next sync starts from the beginning.");
                    return ExitCode.OK;
                }
                Table t = new Table(List.of("connection", "stream", "committed at", "run", "state"));
                for (StoredState s : states) {
                    String value = s.state().value().toString();
                    t.row(s.connection(), s.state().stream(), s.committedAt(), s.runId(), value.length() > 100 ? value.substring(0, 100) + "..." : value);
                }
                t.print(out, "");
                return ExitCode.OK;
            }
        }
    }

    /** {@code state reset <connection> [--stream s] [--yes]}; exit code 0, 2 when not confirmed. */
    @Command(name = "reset", description = "Forget saved state so the next sync reads from the beginning. Data stays.")
    static final class Reset implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "Connection whose state to forget.")
        String connection;

        @Option(names = "--stream", description = "Only this stream.")
        String stream;

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            TributaryCommand root = spec.commandLine().getParent().getParent().getCommand();
            try (Workspace workspace = root.openWorkspace()) {
                workspace.project().connection(connection);
                if (stream != null) {
                    List<String> saved = workspace.destination().states().stream().filter(s -> s.connection().equals(connection))
                            .map(s -> s.state().stream().toString()).toList();
                    if (!saved.contains(stream)) {
                        spec.commandLine().getErr().println("tributary: connection " + connection + " has no saved state for stream '" + stream
                                + "'" + (saved.isEmpty() ? "" : "; streams with state: " + String.join(", ", saved))
                                + dev.tributary.spi.Config.didYouMean(stream, saved));
                        return ExitCode.CONFIG;
                    }
                }
                String what = stream == null ? "every stream of " + connection : connection + "." + stream;
                if (!yes) {
                    var console = System.console();
                    if (console == null) {
                        spec.commandLine().getErr().println("tributary: resetting state of " + what + " needs confirmation; add --yes");
                        return ExitCode.CONFIG;
                    }
                    String answer = console.readLine("Forget the saved state of %s? The next sync reads it from the beginning. [y/N] ", what);
                    if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                        out.println("Nothing changed.");
                        return ExitCode.OK;
                    }
                }
                Optional<StreamId> id = workspace.destination().states().stream()
                        .filter(s -> s.connection().equals(connection) && s.state().stream().toString().equals(stream))
                        .map(s -> s.state().stream()).findFirst();
                int removed = workspace.destination().resetState(connection, id);
                out.println("Forgot " + removed + " saved state" + (removed == 1 ? "" : "s") + " of " + what + ".");
                return ExitCode.OK;
            }
        }
    }
}
