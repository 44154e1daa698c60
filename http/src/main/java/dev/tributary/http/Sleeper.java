package dev.tributary.http;

import java.time.Duration;

/** Waits. Production code sleeps; tests substitute a simulated clock so that no test sleeps for real. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> {
        if (d.isNegative() || d.isZero()) return;
        try {
            Thread.sleep(d); // waiting out a rate-limit window or a retry backoff is the point here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    };

    void sleep(Duration duration);
}
