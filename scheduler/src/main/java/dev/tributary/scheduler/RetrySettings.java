package dev.tributary.scheduler;

import java.time.Duration;

/**
 * Retries of a failed step: up to {@code maxRetries} more attempts, waiting {@code initialBackoff} doubled after each
 * failure (capped at {@code maxBackoff}), with up to 20% jitter.
 */
public record RetrySettings(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
    public static final RetrySettings DEFAULT = new RetrySettings(2, Duration.ofSeconds(30), Duration.ofMinutes(10));
    public static final RetrySettings NONE = new RetrySettings(0, Duration.ZERO, Duration.ZERO);
}
