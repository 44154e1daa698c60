package dev.tributary.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** The wall clock, at microsecond precision (what the metadata store keeps). */
public final class SystemSchedulerClock implements SchedulerClock {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private final Duration offset;

    public SystemSchedulerClock() {
        this(Duration.ZERO);
    }

    /** A wall clock set {@code offset} away from the system's (to try a worker whose clock is wrong). */
    public SystemSchedulerClock(Duration offset) {
        this.offset = offset;
    }

    @Override
    public Instant now() {
        return Instant.now().plus(offset).truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public boolean waitUntil(Instant deadline, BooleanSupplier wakeEarly) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                if (wakeEarly.getAsBoolean()) return false;
                Duration left = Duration.between(now(), deadline);
                if (left.isNegative() || left.isZero()) return true;
                // Waits in slices of at most a minute so a changed system time is noticed.
                long nanos = Math.min(left.toNanos(), TimeUnit.MINUTES.toNanos(1));
                woken.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wakeUp() {
        lock.lock();
        try {
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
