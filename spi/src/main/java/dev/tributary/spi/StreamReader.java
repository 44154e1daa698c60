package dev.tributary.spi;

import java.util.Optional;

/**
 * Reads one stream batch by batch. Empty when the stream is exhausted; closing early is always allowed. In an
 * incremental read, the last batch that holds records carries a checkpoint (a later one may too), so that no
 * record is committed with a state that would read it again.
 */
public interface StreamReader extends AutoCloseable {
    Optional<RecordBatch> next();

    /**
     * Why this stream is being served from a fallback (an export file) instead of its primary source, once the
     * reader has switched; empty when it has not. The engine reports it on the stream's result, in the run history
     * and to alerts, so a fallback never hides a failing source.
     */
    default Optional<String> fallbackReason() {
        return Optional.empty();
    }

    @Override
    void close();
}
