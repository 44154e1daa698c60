package dev.tributary.cli;

import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformRunner;
import picocli.CommandLine.Command;

/** {@code tributary seed}: loads the CSV seeds. Exit code 0 (warnings allowed), 1 on errors or failures, 2 on a project error. */
@Command(name = "seed", description = "Load the CSV seeds into the warehouse.")
final class SeedCommand extends NodeCommand.Building {
    @Override
    RunSummary execute(TransformRunner runner) {
        return runner.seed();
    }
}
