package dev.tributary.spi;

/**
 * A failure that may not happen again: a lost connection, a server restarting, a timeout. The engine retries the
 * stream from its last commit (with backoff, a few times) when a failure's cause chain holds one of these.
 * Connectors throw it, or wrap the original error in it, only when retrying from the last commit is safe.
 */
public class TransientException extends RuntimeException {
    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }

    public TransientException(String message) {
        super(message);
    }

    /** True when {@code failure} or any of its causes is transient. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientException) return true;
        }
        return false;
    }
}
