package dev.tributary.cli;

import dev.tributary.transform.NodeResult;
import dev.tributary.transform.NodeStatus;
import dev.tributary.transform.ProgressLines;
import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformOptions;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.TransformRunner;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * What build, run, test, seed, snapshot, checks and freshness share: load the project, run the nodes with
 * dbt-like progress lines, then print the problems and {@code Done. PASS=.. WARN=.. ERROR=.. SKIP=.. TOTAL=..}.
 */
abstract class NodeCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TransformArgs args;

    @Mixin
    TransformArgs.Selection selection;

    /** Runs the command's nodes. */
    abstract RunSummary execute(TransformRunner runner);

    /** The options only some of these commands take (--threads, --full-refresh); none by default. */
    TransformOptions options(TransformOptions options) {
        return options;
    }

    /** A command that runs its nodes on a pool of connections: takes {@code --threads}. */
    abstract static class Pooled extends NodeCommand {
        @Mixin
        TransformArgs.Threads threads;

        @Override
        TransformOptions options(TransformOptions options) {
            return options.withThreads(threads.threads);
        }
    }

    /** A command that builds seeds or models: takes {@code --threads} and {@code --full-refresh}. */
    abstract static class Building extends Pooled {
        @Mixin
        TransformArgs.FullRefresh fullRefresh;

        @Override
        TransformOptions options(TransformOptions options) {
            return super.options(options).withFullRefresh(fullRefresh.fullRefresh);
        }
    }

    /** The exit code for a finished run; dbt's by default (0 ok, warnings allowed; 1 errors or failures). */
    int exitCode(RunSummary summary) {
        return summary.exitCode();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TransformProject project = args.load(root.projectDir, root, o -> options(selection.applyTo(o)));
        out.println("Running with tributary on " + project.target().type() + " (schema " + project.target().schema() + "), project " + project.name());
        out.flush();
        TransformRunner runner = new TransformRunner(project, ProgressLines.printer(out));
        warnUnmatched(runner, spec.commandLine().getErr());
        RunSummary summary = execute(runner);
        printSummary(out, summary);
        return exitCode(summary);
    }

    /** dbt's warning: a misspelt --select otherwise ends in "Nothing to do" (or fewer nodes) without saying why. */
    static void warnUnmatched(TransformRunner runner, PrintWriter err) {
        for (String criterion : runner.unmatchedSelectors()) {
            err.println("tributary: warning: the selection criterion '" + criterion + "' does not match any node ('tributary ls' lists them)");
        }
        err.flush();
    }

    static void printSummary(PrintWriter out, RunSummary summary) {
        out.println();
        if (summary.results().isEmpty()) {
            out.println("Nothing to do: no nodes match the selection.");
        } else {
            out.printf(Locale.ROOT, "Finished running %d node%s in %.2fs.%n", summary.results().size(), summary.results().size() == 1 ? "" : "s",
                    summary.elapsedSeconds());
        }
        List<NodeResult> problems = summary.results().stream()
                .filter(r -> r.status() == NodeStatus.ERROR || r.status() == NodeStatus.FAIL || r.status() == NodeStatus.WARN).toList();
        if (!problems.isEmpty()) {
            long errors = problems.stream().filter(r -> r.status() != NodeStatus.WARN).count();
            out.println();
            out.println("Completed with " + errors + " error" + (errors == 1 ? "" : "s") + " and " + (problems.size() - errors) + " warning"
                    + (problems.size() - errors == 1 ? "" : "s") + ":");
            for (NodeResult r : problems) {
                out.println();
                String kind = switch (r.status()) {
                    case WARN -> "Warning in";
                    case FAIL -> "Failure in";
                    default -> "Error in";
                };
                out.println(kind + " " + r.resourceType().label() + " " + r.name());
                if (r.message() != null) r.message().lines().filter(l -> !l.isBlank()).forEach(l -> out.println("  " + l.strip()));
            }
        }
        out.println();
        out.println(summary.summaryLine());
        out.flush();
    }
}
