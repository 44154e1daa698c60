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
                LsCommand.class, ShowCommand.class, ChecksCommand.class, FreshnessCommand.class, ServeCommand.class, SandboxCommand.class, VersionCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the work failed (a stream did not sync, a model or test failed; checks: warnings)",
                "2:bad command line or project configuration", "3:unexpected internal error"})
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
            return ExitCode.CONFIG;
        });
        return cli;
    }
}
