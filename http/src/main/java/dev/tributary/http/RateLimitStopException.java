package dev.tributary.http;

/**
 * The account's budget is spent (a daily limit, or the share of it this connection may use): waiting minutes
 * will not help, so the caller should stop at its last checkpoint and say so. Not transient on purpose.
 */
public class RateLimitStopException extends RuntimeException {
    public RateLimitStopException(String message) {
        super(message);
    }
}
