package dev.tributary.engine;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.Source;
import java.util.List;

/** One connection's streams to move from a source into an open destination. */
public record SyncJob(String connection, Source source, Config sourceConfig, DestinationSession destination, List<ConfiguredStream> streams) {
    public SyncJob {
        requireNonNull(connection, "connection is null");
        requireNonNull(source, "source is null");
        requireNonNull(sourceConfig, "sourceConfig is null");
        requireNonNull(destination, "destination is null");
        streams = List.copyOf(streams);
    }
}
