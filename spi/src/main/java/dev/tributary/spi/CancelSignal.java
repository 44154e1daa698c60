package dev.tributary.spi;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A request to stop that waits inside a connector can see. The engine binds a sync's signal to the threads that run
 * the connector's code ({@link #bind}); a wait made through {@link #sleep} (an HTTP client's 429 back-off, a
 * {@code Retry-After}, a rate budget's wait) ends as soon as the signal fires, with {@link Cancelled}, instead of
 * sleeping on. No thread is interrupted for it (an interrupt during H2's file I/O closes that database). Thread-safe.
 */
public final class CancelSignal {
    private static final ThreadLocal<CancelSignal> BOUND = new ThreadLocal<>();

    private boolean cancelled; // guarded by this

    /** Fires the signal: waits bound to it end now, and later ones at once. */
    public synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code body} with this signal bound to the current thread; the thread's previous binding is restored after. */
    public <T> T bind(Supplier<T> body) {
        CancelSignal previous = BOUND.get();
        BOUND.set(this);
        try {
            return body.get();
        } finally {
            if (previous == null) BOUND.remove();
            else BOUND.set(previous);
        }
    }

    /** The signal bound to the current thread, if any. */
    public static Optional<CancelSignal> current() {
        return Optional.ofNullable(BOUND.get());
    }

    /**
     * Waits {@code duration} on the current thread: ends early with {@link Cancelled} when the thread's bound signal
     * fires (or had fired); a plain sleep on a thread without one.
     */
    public static void sleep(Duration duration) throws InterruptedException {
        CancelSignal signal = BOUND.get();
        if (signal == null) {
            if (duration.isPositive()) Thread.sleep(duration);
            return;
        }
        signal.await(duration);
    }

    private synchronized void await(Duration duration) throws InterruptedException {
        long until = System.nanoTime() + Math.max(0, duration.toNanos());
        while (!cancelled) {
            long left = until - System.nanoTime();
            if (left <= 0) return;
            wait(Math.max(1, left / 1_000_000)); // woken by cancel(); the loop handles spurious wake-ups
        }
        throw new Cancelled();
    }

    /** A wait ended because the sync it served was cancelled. Not transient: nothing should retry it. */
    public static final class Cancelled extends RuntimeException {
        public Cancelled() {
            super("cancelled while waiting", null, false, false);
        }
    }
}
