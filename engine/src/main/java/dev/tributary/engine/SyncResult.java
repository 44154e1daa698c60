package dev.tributary.engine;

import dev.tributary.spi.RunId;
import java.time.Duration;
import java.util.List;

/** The outcome of a sync run: one result per stream, in the order the streams were given. */
public record SyncResult(RunId run, String connection, List<StreamResult> streams, Duration duration) {
    public SyncResult {
        streams = List.copyOf(streams);
    }

    public boolean ok() {
        return streams.stream().allMatch(StreamResult::ok);
    }

    public long records() {
        return streams.stream().mapToLong(StreamResult::records).sum();
    }

    public long rejected() {
        return streams.stream().mapToLong(StreamResult::rejected).sum();
    }
}
