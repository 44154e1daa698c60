package dev.tributary.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the runs did to one table or model, newest first: the materialization (or sync) history on the table and model
 * pages. The scheduler's per-run step items answer it in {@code serve}; {@link #NONE} answers nothing.
 */
public interface ItemHistory {
    /** A stream loaded by a connection: {@code name} is {@code <connection>/<stream>}. */
    String STREAM = "stream";
    /** A model, seed or snapshot of the transform project: {@code name} is its name. */
    String MODEL = "model";

    /**
     * @param kind {@link #STREAM} or {@link #MODEL}
     * @param limit at most this many, newest first
     */
    List<ItemRun> historyOf(String kind, String name, int limit);

    /**
     * One run's record of the item.
     *
     * @param status the item's own status in that run, lowercase: succeeded, failed, skipped, running...
     * @param rows rows written (synced or materialized), when known
     * @param duration how long the item took, when it ended
     */
    record ItemRun(long runId, String pipeline, Instant at, String status, OptionalLong rows, Optional<Duration> duration) {
        public ItemRun {
            requireNonNull(pipeline, "pipeline is null");
            requireNonNull(at, "at is null");
            requireNonNull(status, "status is null");
            requireNonNull(rows, "rows is null");
            requireNonNull(duration, "duration is null");
        }
    }

    ItemHistory NONE = (kind, name, limit) -> List.of();
}
