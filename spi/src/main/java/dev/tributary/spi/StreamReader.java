package dev.tributary.spi;

import java.util.Optional;

/** Reads one stream batch by batch. Empty when the stream is exhausted; closing early is always allowed. */
public interface StreamReader extends AutoCloseable {
    Optional<RecordBatch> next();

    @Override
    void close();
}
