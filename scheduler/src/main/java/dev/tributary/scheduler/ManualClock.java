package dev.tributary.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A clock that moves only when told ({@link #advance}, {@link #set}), waking every waiter whose time came. For tests
 * and benchmarks of anything that runs on a {@link SchedulerClock}. {@link #awaitWaiter} lets a test wait (in real
 * time) until a thread is blocked on the clock, e.g. a step waiting for its retry.
 */
public final class ManualClock implements SchedulerClock {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Instant> waitingFor = new ArrayList<>();
    private Instant now;

    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start is null");
    }

    @Override
    public Instant now() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    public void advance(Duration by) {
        Objects.requireNonNull(by, "by is null");
        if (by.isNegative()) throw new IllegalArgumentException("a clock does not go back: " + by);
        lock.lock();
        try {
            now = now.plus(by);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Moves the clock to {@code time} (never backwards). */
    public void set(Instant time) {
        Objects.requireNonNull(time, "time is null");
        lock.lock();
        try {
            if (time.isBefore(now)) throw new IllegalArgumentException("a clock does not go back: " + time + " is before " + now);
            now = time;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean waitUntil(Instant deadline, BooleanSupplier wakeEarly) throws InterruptedException {
        lock.lockInterruptibly();
        waitingFor.add(deadline);
        changed.signalAll();
        try {
            while (true) {
                if (wakeEarly.getAsBoolean()) return false;
                if (!now.isBefore(deadline)) return true;
                changed.await();
            }
        } finally {
            waitingFor.remove(deadline);
            changed.signalAll();
            lock.unlock();
        }
    }

    @Override
    public void wakeUp() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The deadlines threads are waiting for right now. */
    public List<Instant> waiters() {
        lock.lock();
        try {
            return List.copyOf(waitingFor);
        } finally {
            lock.unlock();
        }
    }

    /** Blocks (up to {@code realTimeout} of real time) until some thread waits for exactly {@code deadline}. */
    public void awaitWaiter(Instant deadline, Duration realTimeout) throws InterruptedException, TimeoutException {
        long nanos = realTimeout.toNanos();
        lock.lock();
        try {
            while (!waitingFor.contains(deadline)) {
                if (nanos <= 0) throw new TimeoutException("nobody waited for " + deadline + " within " + realTimeout + "; waiting: " + waitingFor);
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ManualClock[" + now() + "]";
    }
}
