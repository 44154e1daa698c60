package dev.tributary.scheduler;

import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The scheduler's sense of time: what time it is, and waiting for a time. Everything the scheduler waits for
 * (the next due time, a retry's backoff) goes through it, so tests drive time with a {@link ManualClock}.
 */
public interface SchedulerClock {
    Instant now();

    /**
     * Blocks until {@link #now()} reaches {@code deadline} or {@code wakeEarly} is true. {@code wakeEarly} is checked
     * before waiting and each time {@link #wakeUp()} is called, so a flag set before {@code wakeUp()} is never missed.
     *
     * @return true when the deadline was reached, false when woken early
     */
    boolean waitUntil(Instant deadline, BooleanSupplier wakeEarly) throws InterruptedException;

    /** Makes every waiting thread check its {@code wakeEarly} condition again. */
    void wakeUp();

    /** The real clock. */
    static SchedulerClock system() {
        return new SystemSchedulerClock();
    }
}
