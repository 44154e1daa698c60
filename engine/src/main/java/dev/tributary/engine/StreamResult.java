package dev.tributary.engine;

import dev.tributary.spi.ConfiguredStream;
import java.time.Duration;
import java.util.Optional;

/**
 * How one stream of a run ended: the table it loads, counts, commits, duration, if it failed why, and if its source
 * served it from a fallback (an export file) instead of the API, why ({@link dev.tributary.spi.StreamReader#fallbackReason}).
 */
public record StreamResult(ConfiguredStream stream, String table, Status status, long records, long rejected, int commits, Duration duration,
                           Optional<String> error, Optional<String> fallback) {
    public enum Status { SUCCEEDED, FAILED, CANCELLED }

    public StreamResult {
        java.util.Objects.requireNonNull(error, "error is null");
        java.util.Objects.requireNonNull(fallback, "fallback is null");
    }

    public StreamResult(ConfiguredStream stream, String table, Status status, long records, long rejected, int commits, Duration duration,
                        Optional<String> error) {
        this(stream, table, status, records, rejected, commits, duration, error, Optional.empty());
    }

    /** True when the source served this stream from its fallback: the data is in, but the primary source is unusable. */
    public boolean servedByFallback() {
        return fallback.isPresent();
    }

    /** The status word a person reads: succeeded, failed, cancelled, or fallback (succeeded from the fallback). */
    public String statusLabel() {
        return status == Status.SUCCEEDED && fallback.isPresent() ? "fallback" : status.name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean ok() {
        return status == Status.SUCCEEDED;
    }

    public double recordsPerSecond() {
        double s = duration.toNanos() / 1e9;
        return s <= 0 ? 0 : records / s;
    }
}
