package dev.tributary.cli;

import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root command: global options and the subcommands. */
@Command(name = "tributary", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Moves data from sources into a warehouse, incrementally and exactly once.",
        subcommands = {InitCommand.class, CheckCommand.class, DiscoverCommand.class, SyncCommand.class, TargetCommand.class, StateCommand.class,
                BuildCommand.class, RunCommand.class, TestCommand.class, SeedCommand.class, SnapshotCommand.class, CompileCommand.class,
                LsCommand.class, ShowCommand.class, RejectsCommand.class, ChecksCommand.class, FreshnessCommand.class, ExportCommand.class, ServeCommand.class, UsersCommand.class, LakehouseCommand.class, SandboxCommand.class, SparkCommand.class, VersionCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (warnings allowed)", "1:the work failed (a stream did not sync; a model, test or check failed), or the warehouse"
                + " is in use by another process, credentials were refused, a server could not be reached",
                "2:bad command line or project configuration", "3:unexpected internal error (a bug)"})
public final class TributaryCommand {
    @Option(names = {"-p", "--project"}, description = "Project folder holding tributary.yml or dbt_project.yml (default: the current folder).",
            defaultValue = ".", scope = CommandLine.ScopeType.INHERIT)
    Path projectDir;

    @Option(names = "--verbose", description = "Print stack traces of unexpected errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    final Map<String, String> environment;
    final Connectors connectors;

    public TributaryCommand(Map<String, String> environment, Connectors connectors) {
        this.environment = environment;
        this.connectors = connectors;
    }

    Workspace openWorkspace() {
        return new Workspace(Project.load(projectDir, environment, connectors), connectors);
    }

    /** How to write a command for this project in a message: {@code tributary}, with {@code -p DIR} when one was given. */
    String commandPrefix() {
        if (projectDir == null || projectDir.toString().equals(".")) return "tributary";
        String dir = projectDir.toString();
        return "tributary -p " + (dir.matches("[\\w./:@+-]+") ? dir : "'" + dir.replace("'", "'\\''") + "'");
    }

    /** Runs the parsed command; sync, build, run, test, checks, seed and snapshot are recorded in the run history. */
    private static int recorded(TributaryCommand root, CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult sub = parseResult.subcommand();
        if (sub == null || !CliRunRecorder.records(sub.commandSpec().name()) || sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
            return new CommandLine.RunLast().execute(parseResult);
        }
        CommandLine command = sub.commandSpec().commandLine();
        PrintWriter out = command.getOut();
        PrintWriter err = command.getErr();
        java.io.StringWriter outCopy = new java.io.StringWriter();
        java.io.StringWriter errCopy = new java.io.StringWriter();
        List<String> args = sub.originalArgs();
        int at = args.indexOf(sub.commandSpec().name());
        String line = String.join(" ", at < 0 ? List.of(sub.commandSpec().name()) : args.subList(at, args.size()));
        java.util.Optional<CliRunRecorder> recorder = CliRunRecorder.start(root, sub.commandSpec().name(), line, err);
        if (recorder.isEmpty()) return new CommandLine.RunLast().execute(parseResult);
        command.setOut(new PrintWriter(new Tee(out, outCopy), true));
        command.setErr(new PrintWriter(new Tee(err, errCopy), true));
        // Ctrl-C or kill: the JVM halts once the shutdown hooks return, maybe before the finally below; record it here
        Thread hook = Thread.ofPlatform().unstarted(() -> recordInterrupted(recorder.get(), sub.commandSpec().name(), outCopy, errCopy));
        Runtime.getRuntime().addShutdownHook(hook);
        int code = ExitCode.INTERNAL;
        try {
            code = new CommandLine.RunLast().execute(parseResult);
            return code;
        } catch (CommandLine.ExecutionException e) {
            // the error handler prints it after this; the run's log gets it here
            // the same line and exit code as the error handler gives the terminal
            ErrorHandler.Outcome outcome = ErrorHandler.classify(e.getCause() == null ? e : e.getCause(), ErrorHandler.leafName(parseResult));
            errCopy.write("tributary: " + outcome.message() + System.lineSeparator());
            code = outcome.code();
            throw e;
        } finally {
            command.getOut().flush();
            command.getErr().flush();
            command.setOut(out);
            command.setErr(err);
            recorder.get().finish(code, outCopy.toString(), errCopy.toString());
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook is running and sees the run finished
            }
        }
    }

    /**
     * In a shutdown hook: marks the run interrupted (exit 130), gives the command the time its own hook takes to stop
     * (sync waits up to 60 s for its last commit; others are not waited for long), then records what it has if the
     * command has not finished by then.
     */
    private static void recordInterrupted(CliRunRecorder recorder, String command, java.io.StringWriter out, java.io.StringWriter err) {
        recorder.interrupted();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos("sync".equals(command) ? 65 : 2);
        while (!recorder.finished() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // the shutdown hook polls for the command to record its own end before recording it itself
            } catch (InterruptedException e) {
                break;
            }
        }
        recorder.finish(ExitCode.INTERRUPTED, out.toString(), err.toString());
    }

    /** Writes to the terminal and keeps a copy (the run's log). */
    private static final class Tee extends java.io.Writer {
        private final java.io.Writer first;
        private final java.io.Writer second;

        Tee(java.io.Writer first, java.io.Writer second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(char[] buf, int off, int len) throws java.io.IOException {
            first.write(buf, off, len);
            second.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
        }

        @Override
        public void close() throws java.io.IOException {
            first.flush();
        }
    }

    /** Builds the command line with exit codes mapped from our exceptions; used by {@link Main} and tests. */
    public static CommandLine commandLine(Map<String, String> environment, Connectors connectors, PrintWriter out, PrintWriter err) {
        TributaryCommand root = new TributaryCommand(environment, connectors);
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorHandler(root));
        cli.setExecutionStrategy(parseResult -> recorded(root, parseResult));
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("tributary: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, ex.getCommandLine().getErr());
            ex.getCommandLine().getErr().println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            if (java.util.Arrays.asList(args).contains("--json")) ex.getCommandLine().getOut().println(ErrorHandler.json("command_line", ex.getMessage()));
            return ExitCode.CONFIG;
        });
        addHelpOptions(cli);
        return cli;
    }

    /** Gives every command and subcommand {@code -h/--help}, unless it declares its own. */
    private static void addHelpOptions(CommandLine cli) {
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        if (spec.findOption("--help") == null && spec.findOption("-h") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cli.getSubcommands().values().stream().distinct().forEach(TributaryCommand::addHelpOptions);
    }
}
