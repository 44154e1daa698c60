package dev.tributary.scheduler.tenant;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's sync of one multi-tenant connection within a run of a pipeline (its parent): a work item in the
 * metadata store that any worker may claim, so the tenants of one run spread over every {@code serve} process.
 */
public record TenantWork(long id, long runId, String pipeline, String connection, long hubId, int position, Status status,
                         Optional<String> worker, Optional<Instant> startedAt, Optional<Instant> finishedAt, long records, long apiCalls,
                         Optional<String> error, boolean isTransient, boolean refused, int claims) {
    /** Where an item stands; DONE, FAILED, CANCELLED and SKIPPED are final. */
    public enum Status {
        QUEUED, RUNNING, DONE, FAILED, CANCELLED, SKIPPED;

        public boolean ended() {
            return this != QUEUED && this != RUNNING;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a worker learned syncing one item. */
    public record Result(long records, long apiCalls, Optional<String> error, boolean isTransient, boolean refused) {
        public Result {
            Objects.requireNonNull(error, "error is null");
        }
    }

    public TenantWork {
        Objects.requireNonNull(status, "status is null");
    }

    public Optional<Duration> duration() {
        return startedAt.isPresent() && finishedAt.isPresent() ? Optional.of(Duration.between(startedAt.get(), finishedAt.get())) : Optional.empty();
    }
}
