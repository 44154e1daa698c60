package dev.tributary.scheduler;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The wait before a step's next attempt: initial * 2^(n-1) after the n-th failure, capped, then jittered by up to ±20%. */
public final class RetryBackoff {
    private static final double JITTER_SPREAD = 0.2;

    /** A number in [-1, 1]; the wait is multiplied by {@code 1 + 0.2 * value}. */
    @FunctionalInterface
    public interface Jitter {
        Jitter NONE = () -> 0.0;
        Jitter RANDOM = () -> ThreadLocalRandom.current().nextDouble(-1.0, 1.0);

        double next();
    }

    private RetryBackoff() {}

    /** The wait after {@code failedAttempts} failures (1 for the first). */
    public static Duration delay(RetrySettings settings, int failedAttempts, Jitter jitter) {
        if (failedAttempts < 1) throw new IllegalArgumentException("failedAttempts counts from 1, got " + failedAttempts);
        long initial = settings.initialBackoff().toMillis();
        long cap = settings.maxBackoff().toMillis();
        long base = initial;
        for (int i = 1; i < failedAttempts && base < cap; i++) base = Math.multiplyExact(base, 2);
        base = Math.min(base, Math.max(cap, initial));
        double factor = 1.0 + JITTER_SPREAD * Math.max(-1.0, Math.min(1.0, jitter.next()));
        return Duration.ofMillis(Math.round(base * factor));
    }
}
