package dev.tributary.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One pipeline from the {@code pipelines:} section of tributary.yml: its steps, when it runs, how failed steps are
 * retried, and how late a success may be before a freshness alert.
 *
 * @param catchUp      when a scheduled time passed while the server was stopped: run once on start (true) or skip it
 * @param freshness    alert when the pipeline has not succeeded within this long (empty: no freshness alert)
 */
public record PipelineDef(String name, String description, List<StepDef> steps, Trigger trigger, boolean catchUp,
                          RetrySettings retry, Optional<Duration> freshness) {
    public PipelineDef {
        steps = List.copyOf(steps);
    }

    public Optional<StepDef> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }
}
