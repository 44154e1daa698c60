package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

/**
 * Input that could not become a record: where it was ({@code leads.csv:17}), what was wrong, and the raw text
 * (possibly abbreviated). The stream's {@link ErrorPolicy} decides whether it fails the stream or is stored.
 */
public record Rejection(String origin, String reason, String raw) {
    public Rejection {
        requireNonNull(origin, "origin is null");
        requireNonNull(reason, "reason is null");
        raw = raw == null ? "" : raw.length() > 10_000 ? raw.substring(0, 10_000) + "..." : raw;
    }

    /** The message a user reads when this rejection fails the stream. */
    public String describe() {
        return origin + ": " + reason;
    }
}
