package dev.tributary.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter for 5xx answers, dropped connections and timeouts: attempt n waits a random
 * time up to {@code min(max, base * 2^n)}, at least {@code base / 2}. {@code maxAttempts} counts the first try.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration max) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofMillis(500), Duration.ofSeconds(60));

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (base.isNegative() || max.isNegative()) throw new IllegalArgumentException("delays must not be negative");
    }

    public Duration delay(int retry) {
        long cap = Math.min(max.toMillis(), base.toMillis() * (1L << Math.min(retry, 20)));
        long floor = Math.min(cap, base.toMillis() / 2);
        long millis = cap <= floor ? cap : ThreadLocalRandom.current().nextLong(floor, cap + 1);
        return Duration.ofMillis(millis);
    }
}
