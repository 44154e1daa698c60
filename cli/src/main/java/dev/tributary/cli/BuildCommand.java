package dev.tributary.cli;

import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformRunner;
import picocli.CommandLine.Command;

/** {@code tributary build}: seeds, snapshots, models, tests and checks in DAG order; a failure skips what depends on it. Exit code 0 (warnings allowed), 1 on errors or failures, 2 on a project error. */
@Command(name = "build", description = "Build seeds, snapshots and models and run their tests and checks, in DAG order.")
final class BuildCommand extends NodeCommand.Building {
    @Override
    RunSummary execute(TransformRunner runner) {
        return runner.build();
    }
}
