package dev.tributary.engine;

import java.time.Duration;

/**
 * Decides when staged batches are committed with their checkpoint: every N records, every T, or a combination.
 * The engine asks only at batch boundaries that carry a checkpoint, and always commits at the end of a stream.
 */
@FunctionalInterface
public interface CheckpointPolicy {
    long DEFAULT_RECORDS = 500_000;
    long DEFAULT_SECONDS = 30;

    boolean shouldCommit(long recordsSinceCommit, Duration sinceCommit);

    static CheckpointPolicy everyBatch() {
        return (records, elapsed) -> true;
    }

    static CheckpointPolicy everyRecords(long records) {
        return (n, elapsed) -> n >= records;
    }

    static CheckpointPolicy every(Duration interval) {
        return (n, elapsed) -> elapsed.compareTo(interval) >= 0;
    }

    /** Commits when either policy would. */
    default CheckpointPolicy or(CheckpointPolicy other) {
        return (n, elapsed) -> shouldCommit(n, elapsed) || other.shouldCommit(n, elapsed);
    }

    /**
     * The default: every 500,000 records or every 30 seconds, whichever comes first. A commit costs a warehouse a
     * fixed amount (DuckDB checkpoints its WAL), so bulk loads commit in large steps; slow API sources still
     * commit at least twice a minute, which bounds the work a crash can undo.
     */
    static CheckpointPolicy standard() {
        return everyRecords(DEFAULT_RECORDS).or(every(Duration.ofSeconds(DEFAULT_SECONDS)));
    }
}
