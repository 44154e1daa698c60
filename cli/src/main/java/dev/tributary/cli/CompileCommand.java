package dev.tributary.cli;

import dev.tributary.transform.CompiledNode;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.TransformRunner;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code tributary compile}: renders the selected models, snapshots, tests and checks and prints their SQL
 * (also written under target/compiled). Exit code 0, or 2 on a project or Jinja error (naming file and line).
 */
@Command(name = "compile", description = "Print the rendered SQL of the selected nodes (also written to target/compiled).")
final class CompileCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TransformArgs args;

    @Mixin
    TransformArgs.Selection selection;

    @Mixin
    TransformArgs.FullRefresh fullRefresh;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TransformProject project = args.load(root.projectDir, root, o -> selection.applyTo(o).withFullRefresh(fullRefresh.fullRefresh));
        TransformRunner runner = new TransformRunner(project, null);
        NodeCommand.warnUnmatched(runner, spec.commandLine().getErr());
        List<CompiledNode> nodes = runner.compile();
        for (CompiledNode n : nodes) {
            out.println("-- " + n.resourceType().label() + " " + n.name() + " (" + n.path() + ")");
            out.println(n.compiledSql().strip());
            out.println();
        }
        out.println("Compiled " + nodes.size() + " node" + (nodes.size() == 1 ? "" : "s") + " into " + project.targetPath().resolve("compiled"));
        return ExitCode.OK;
    }
}
