package dev.tributary.cli;

import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformRunner;
import picocli.CommandLine.Command;

/** {@code tributary test}: runs the generic and singular data tests. Exit code 0 (warnings allowed), 1 on errors or failures, 2 on a project error. */
@Command(name = "test", description = "Run the data tests of schema.yml files and tests/*.sql.")
final class TestCommand extends NodeCommand.Pooled {
    @Override
    RunSummary execute(TransformRunner runner) {
        return runner.test();
    }
}
