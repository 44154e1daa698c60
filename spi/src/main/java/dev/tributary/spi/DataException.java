package dev.tributary.spi;

/**
 * Input that cannot be read or stored, with where it is ({@code data/leads.csv:17}) and what was wrong.
 * Thrown by sources for unreadable input such as a missing file, and by the engine when a
 * {@link Rejection} fails a stream.
 */
public class DataException extends RuntimeException {
    private final String origin;

    public DataException(String origin, String problem) {
        super(origin == null || origin.isEmpty() ? problem : origin + ": " + problem);
        this.origin = origin == null ? "" : origin;
    }

    public DataException(String origin, String problem, Throwable cause) {
        super(origin == null || origin.isEmpty() ? problem : origin + ": " + problem, cause);
        this.origin = origin == null ? "" : origin;
    }

    public String origin() {
        return origin;
    }
}
