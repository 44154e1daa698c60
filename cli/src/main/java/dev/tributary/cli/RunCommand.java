package dev.tributary.cli;

import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformRunner;
import picocli.CommandLine.Command;

/** {@code tributary run}: builds the selected models. Exit code 0 (warnings allowed), 1 on errors or failures, 2 on a project error. */
@Command(name = "run", description = "Build the selected models (views, tables, incremental, ephemeral).")
final class RunCommand extends NodeCommand.Building {
    @Override
    RunSummary execute(TransformRunner runner) {
        return runner.run();
    }
}
