package dev.tributary.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One run of a pipeline as stored in the metadata store.
 *
 * @param trigger  why it ran: "schedule", "catch-up", "manual", "api", "rerun"
 * @param dueAt    the scheduled time it was for (for manual runs: when it was asked for)
 * @param rerunOf  the run this one re-runs from its failed step
 * @param records  records synced by its sync steps
 */
public record RunRecord(long id, String pipeline, RunStatus status, String trigger, Instant dueAt,
                        Optional<Instant> startedAt, Optional<Instant> endedAt, Optional<String> error,
                        Optional<Long> rerunOf, long records) {
    public Optional<Duration> duration() {
        return startedAt.flatMap(s -> endedAt.map(e -> Duration.between(s, e)));
    }
}
