package dev.tributary.cli;

import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformRunner;
import picocli.CommandLine.Command;

/**
 * {@code tributary checks}: runs the data-quality checks and stores their results in
 * {@code <schema>_tributary.check_results}. Exit codes as {@code build}: 0 when every check passed or only warned,
 * 1 when a check failed or could not run, 2 on a project error.
 */
@Command(name = "checks", description = "Run the data-quality checks (checks: in schema.yml) and store their results.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed (warnings allowed)", "1:a check failed or could not run", "2:a project or command-line error"})
final class ChecksCommand extends NodeCommand.Pooled {
    @Override
    RunSummary execute(TransformRunner runner) {
        return runner.checks();
    }
}
