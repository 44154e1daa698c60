package dev.tributary.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one thing inside a step: a stream of a sync step ({@code kind} "stream", {@code name}
 * "connection.stream") or a seed, model, snapshot, test, check, source freshness or hook of a build step ({@code kind}
 * "seed", "model", ... ; {@code name} the node's name). Written as the step goes: once when it starts, again when it ends.
 *
 * @param status   running, succeeded, failed, cancelled, fallback (a stream served from its fallback); for models and
 *                 tests the node's status: success, pass, warn, fail, error, skip
 * @param rows     records synced (streams) or rows written (seeds, models, snapshots); failing rows of a test
 * @param rejected records sent to the rejects table (streams)
 * @param resumed  a stream that resumed from its last committed checkpoint
 * @param message  the error (the database's own message) or the node's result message
 */
public record StepItem(long runId, String step, String kind, String name, String status, Optional<Instant> startedAt,
                       Optional<Instant> endedAt, long rows, long rejected, boolean resumed, Optional<String> message) {
    public StepItem {
        Objects.requireNonNull(step, "step is null");
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(startedAt, "startedAt is null");
        Objects.requireNonNull(endedAt, "endedAt is null");
        Objects.requireNonNull(message, "message is null");
    }

    public Optional<Duration> duration() {
        return startedAt.flatMap(s -> endedAt.map(e -> Duration.between(s, e)));
    }

    public boolean live() {
        return endedAt.isEmpty();
    }
}
