package dev.tributary.cli;

import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformRunner;
import picocli.CommandLine.Command;

/** {@code tributary snapshot}: runs the snapshots. Exit code 0 (warnings allowed), 1 on errors or failures, 2 on a project error. */
@Command(name = "snapshot", description = "Record changes of the snapshots' queries (type-2 history).")
final class SnapshotCommand extends NodeCommand.Pooled {
    @Override
    RunSummary execute(TransformRunner runner) {
        return runner.snapshot();
    }
}
