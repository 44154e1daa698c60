package dev.tributary.cli;

import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformRunner;
import picocli.CommandLine.Command;

/** {@code tributary freshness}: dbt's source freshness: ERROR when a source is older than error_after. Exit code 0 (warnings allowed), 1 on errors or failures, 2 on a project error. */
@Command(name = "freshness", description = "Check source freshness (loaded_at_field against warn_after / error_after).")
final class FreshnessCommand extends NodeCommand {
    @Override
    RunSummary execute(TransformRunner runner) {
        return runner.sourceFreshness();
    }
}
