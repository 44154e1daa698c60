package dev.tributary.cli;

import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root command: global options and the subcommands. */
@Command(name = "tributary", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Moves data from sources into a warehouse, incrementally and exactly once.",
        subcommands = {InitCommand.class, CheckCommand.class, DiscoverCommand.class, SyncCommand.class, StateCommand.class,
                BuildCommand.class, RunCommand.class, TestCommand.class, SeedCommand.class, SnapshotCommand.class, CompileCommand.class,
                LsCommand.class, ShowCommand.class, RejectsCommand.class, ChecksCommand.class, FreshnessCommand.class, ServeCommand.class, SandboxCommand.class, VersionCommand.class, CommandLine.HelpCommand.class},
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

    /** Builds the command line with exit codes mapped from our exceptions; used by {@link Main} and tests. */
    public static CommandLine commandLine(Map<String, String> environment, Connectors connectors, PrintWriter out, PrintWriter err) {
        TributaryCommand root = new TributaryCommand(environment, connectors);
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorHandler(root));
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
