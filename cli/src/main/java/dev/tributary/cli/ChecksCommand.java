package dev.tributary.cli;

import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformRunner;
import picocli.CommandLine.Command;

/**
 * {@code tributary checks}: runs the data-quality checks and stores their results in
 * {@code <schema>_tributary.check_results}. Exit code 0 all pass, 1 warnings, 2 failures, 3 errors (and 2 on a
 * project error, like every command).
 */
@Command(name = "checks", description = "Run the data-quality checks (checks: in schema.yml) and store their results.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed", "1:warnings", "2:failures, or a project error", "3:a check could not run"})
final class ChecksCommand extends NodeCommand {
    @Override
    RunSummary execute(TransformRunner runner) {
        return runner.checks();
    }

    @Override
    int exitCode(RunSummary summary) {
        return summary.checkExitCode();
    }
}
