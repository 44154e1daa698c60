package dev.tributary.scheduler;

import java.time.Instant;
import java.util.Optional;

/** Filters for listing runs, newest first. */
public record RunQuery(Optional<String> pipeline, Optional<RunStatus> status, Optional<Instant> since, int limit, int offset) {
    public static RunQuery latest(int limit) {
        return new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), limit, 0);
    }

    public RunQuery pipeline(String name) {
        return new RunQuery(Optional.of(name), status, since, limit, offset);
    }

    public RunQuery status(RunStatus s) {
        return new RunQuery(pipeline, Optional.of(s), since, limit, offset);
    }
}
