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

    @Override
    public Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
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
