package dev.tributary.spi;

import java.util.Optional;

/**
 * Reads one stream batch by batch. Empty when the stream is exhausted; closing early is always allowed. In an
 * incremental read, the last batch that holds records carries a checkpoint (a later one may too), so that no
 * record is committed with a state that would read it again.
 */
public interface StreamReader extends AutoCloseable {
    Optional<RecordBatch> next();

    @Override
    void close();
}
