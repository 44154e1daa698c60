package dev.tributary.spi;

/** How a source can read a stream: everything each time, or only what changed since the last state. */
public enum SyncMode { FULL_REFRESH, INCREMENTAL }
