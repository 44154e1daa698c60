package dev.tributary.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a pipeline.
 *
 * @param name      unique within the pipeline (default: kind and position, e.g. {@code sync-1})
 * @param kind      what it does
 * @param targets   SYNC: connection names (empty = all); BUILD/RUN/TEST: dbt selectors (empty = everything);
 *                  CHECKS: check or model names (empty = all); EXPORT: unused (see options)
 * @param parallel  SYNC only: the connections run at once (true) or in the order written (false)
 * @param options   kind-specific settings as written (EXPORT: model, path, format, partition_by (comma-separated),
 *                  keep_other_partitions, s3.endpoint, s3.region, s3.path_style; BUILD/RUN/TEST: full_refresh, vars;
 *                  BUILD/RUN/TEST/CHECKS: target, the warehouse as {@code -t} names it)
 * @param dependsOn steps that must succeed first (default: the step written before it)
 * @param retry     this step's retries (default: the pipeline's)
 */
public record StepDef(String name, StepKind kind, List<String> targets, boolean parallel, Map<String, String> options,
                      List<String> dependsOn, Optional<RetrySettings> retry) {
    public StepDef {
        targets = List.copyOf(targets);
        options = Map.copyOf(options);
        dependsOn = List.copyOf(dependsOn);
    }
}
