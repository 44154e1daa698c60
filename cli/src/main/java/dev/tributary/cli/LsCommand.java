package dev.tributary.cli;

import dev.tributary.transform.TransformRunner;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code tributary ls}: lists the selected nodes as dbt ls does ({@code project.folder.model}). Exit code 0, or 2. */
@Command(name = "ls", aliases = "list", description = "List the selected nodes (project.folder.name; sources as source:project.source.table).")
final class LsCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TransformArgs args;

    @Mixin
    TransformArgs.Selection selection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TransformRunner runner = new TransformRunner(args.load(root.projectDir, root, selection::applyTo), null);
        NodeCommand.warnUnmatched(runner, spec.commandLine().getErr());
        runner.ls().forEach(out::println);
        return ExitCode.OK;
    }
}
