package dev.tributary.spi;

/**
 * How a destination applies a stream's records: APPEND adds rows; OVERWRITE replaces the table's contents
 * atomically when the stream completes; MERGE upserts on the primary key.
 */
public enum WriteMode { APPEND, OVERWRITE, MERGE }
