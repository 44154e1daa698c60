package dev.tributary.http;

import java.time.Duration;

/**
 * Waits. Production code sleeps; tests substitute a simulated clock so that no test sleeps for real. {@link #SYSTEM}
 * is cancel-aware: on a thread the engine bound a sync's {@link dev.tributary.spi.CancelSignal} to, a cancel ends the
 * wait at once with {@link dev.tributary.spi.CancelSignal.Cancelled}.
 */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> {
        if (d.isNegative() || d.isZero()) return;
        try {
            dev.tributary.spi.CancelSignal.sleep(d); // waiting out a rate-limit window or a retry backoff is the point here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    };

    void sleep(Duration duration);
}
