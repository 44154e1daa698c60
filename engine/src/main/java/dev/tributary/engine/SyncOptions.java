package dev.tributary.engine;

/**
 * How a run behaves: streams read at once, when to commit, whether to ignore saved state and replace tables,
 * and how many batches a reader may read ahead of the writer.
 */
public record SyncOptions(int maxParallelStreams, CheckpointPolicy checkpointPolicy, boolean fullRefresh, int readAheadBatches) {
    public SyncOptions {
        if (maxParallelStreams < 1) throw new IllegalArgumentException("maxParallelStreams must be >= 1");
        if (readAheadBatches < 0) throw new IllegalArgumentException("readAheadBatches must be >= 0");
    }

    public static SyncOptions defaults() {
        return new SyncOptions(Math.max(2, Runtime.getRuntime().availableProcessors()), CheckpointPolicy.standard(), false, 2);
    }

    public SyncOptions withFullRefresh(boolean value) {
        return new SyncOptions(maxParallelStreams, checkpointPolicy, value, readAheadBatches);
    }

    public SyncOptions withCheckpointPolicy(CheckpointPolicy policy) {
        return new SyncOptions(maxParallelStreams, policy, fullRefresh, readAheadBatches);
    }

    public SyncOptions withMaxParallelStreams(int n) {
        return new SyncOptions(n, checkpointPolicy, fullRefresh, readAheadBatches);
    }
}
