package dev.tributary.engine;

import java.time.Duration;

/**
 * How a run behaves: streams read at once, when to commit, whether to ignore saved state and replace tables, how
 * many batches a reader may read ahead of the writer, and how often a stream that failed transiently is tried
 * (the wait before attempt n+1 is {@code retryBackoff * 2^(n-1)}).
 */
public record SyncOptions(int maxParallelStreams, CheckpointPolicy checkpointPolicy, boolean fullRefresh, int readAheadBatches,
                          int maxAttempts, Duration retryBackoff) {
    public SyncOptions {
        if (maxParallelStreams < 1) throw new IllegalArgumentException("maxParallelStreams must be >= 1");
        if (readAheadBatches < 0) throw new IllegalArgumentException("readAheadBatches must be >= 0");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        if (retryBackoff.isNegative()) throw new IllegalArgumentException("retryBackoff must not be negative");
    }

    public static SyncOptions defaults() {
        return new SyncOptions(Math.max(2, Runtime.getRuntime().availableProcessors()), CheckpointPolicy.standard(), false, 2,
                3, Duration.ofSeconds(2));
    }

    public SyncOptions withRetries(int attempts, Duration backoff) {
        return new SyncOptions(maxParallelStreams, checkpointPolicy, fullRefresh, readAheadBatches, attempts, backoff);
    }

    public SyncOptions withFullRefresh(boolean value) {
        return new SyncOptions(maxParallelStreams, checkpointPolicy, value, readAheadBatches, maxAttempts, retryBackoff);
    }

    public SyncOptions withCheckpointPolicy(CheckpointPolicy policy) {
        return new SyncOptions(maxParallelStreams, policy, fullRefresh, readAheadBatches, maxAttempts, retryBackoff);
    }

    public SyncOptions withMaxParallelStreams(int n) {
        return new SyncOptions(n, checkpointPolicy, fullRefresh, readAheadBatches, maxAttempts, retryBackoff);
    }
}
