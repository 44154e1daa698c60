package dev.tributary.scheduler;

import java.time.Instant;
import java.util.Optional;

/**
 * Filters for listing runs, newest first.
 *
 * @param since runs started (or due, when not started) at or after this time
 * @param until runs started (or due) before this time
 * @param text  runs whose pipeline, trigger or error contains this text (any case)
 */
public record RunQuery(Optional<String> pipeline, Optional<RunStatus> status, Optional<Instant> since, Optional<Instant> until,
                       Optional<String> text, int limit, int offset) {
    public RunQuery(Optional<String> pipeline, Optional<RunStatus> status, Optional<Instant> since, int limit, int offset) {
        this(pipeline, status, since, Optional.empty(), Optional.empty(), limit, offset);
    }

    public static RunQuery latest(int limit) {
        return new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), limit, 0);
    }

    public RunQuery pipeline(String name) {
        return new RunQuery(Optional.of(name), status, since, until, text, limit, offset);
    }

    public RunQuery status(RunStatus s) {
        return new RunQuery(pipeline, Optional.of(s), since, until, text, limit, offset);
    }

    /** Whether a run passes these filters (limit and offset aside): what the store's query selects. */
    public boolean matches(RunRecord r) {
        Instant at = r.startedAt().orElse(r.dueAt());
        String needle = text.map(t -> t.toLowerCase(java.util.Locale.ROOT)).orElse("");
        return pipeline.map(p -> p.equals(r.pipeline())).orElse(true)
                && status.map(s -> s == r.status()).orElse(true)
                && since.map(s -> !at.isBefore(s)).orElse(true)
                && until.map(u -> at.isBefore(u)).orElse(true)
                && (needle.isEmpty() || (r.pipeline() + "\n" + r.trigger() + "\n" + r.error().orElse("")).toLowerCase(java.util.Locale.ROOT).contains(needle));
    }
}
