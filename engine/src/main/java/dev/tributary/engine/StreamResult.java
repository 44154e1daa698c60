package dev.tributary.engine;

import dev.tributary.spi.ConfiguredStream;
import java.time.Duration;
import java.util.Optional;

/** How one stream of a run ended: the table it loads, counts, commits, duration and, if it failed, why. */
public record StreamResult(ConfiguredStream stream, String table, Status status, long records, long rejected, int commits, Duration duration,
                           Optional<String> error) {
    public enum Status { SUCCEEDED, FAILED, CANCELLED }

    public boolean ok() {
        return status == Status.SUCCEEDED;
    }

    public double recordsPerSecond() {
        double s = duration.toNanos() / 1e9;
        return s <= 0 ? 0 : records / s;
    }
}
