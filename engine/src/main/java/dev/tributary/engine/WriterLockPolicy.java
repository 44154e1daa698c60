package dev.tributary.engine;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WarehouseBusyException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How a run takes the writer lock of its connection: the command it names itself by, and whether it stops at once
 * when another writer holds the lock or waits for it, trying every {@code pollEvery} and saying so through
 * {@code onWaiting} every {@code reportEvery}.
 */
public record WriterLockPolicy(String command, boolean waits, Duration pollEvery, Duration reportEvery, Consumer<String> onWaiting) {
    public WriterLockPolicy {
        requireNonNull(command, "command is null");
        requireNonNull(onWaiting, "onWaiting is null");
        if (pollEvery.isNegative() || pollEvery.isZero()) throw new IllegalArgumentException("pollEvery must be positive");
        if (reportEvery.isNegative()) throw new IllegalArgumentException("reportEvery must not be negative");
    }

    /** A second writer stops at once with {@link WarehouseBusyException}. */
    public static WriterLockPolicy stopAtOnce(String command) {
        return new WriterLockPolicy(command, false, Duration.ofSeconds(1), Duration.ofSeconds(30), line -> {});
    }

    /** A second writer waits for the holder, saying so at once and then every 30 seconds. */
    public static WriterLockPolicy waitFor(String command, Consumer<String> onWaiting) {
        return new WriterLockPolicy(command, true, Duration.ofMillis(500), Duration.ofSeconds(30), onWaiting);
    }

    public WriterLockPolicy withTiming(Duration poll, Duration report) {
        return new WriterLockPolicy(command, waits, poll, report, onWaiting);
    }

    /** This process as the holder of the lock it is about to take. */
    public LockHolder holder() {
        return LockHolder.thisProcess(command);
    }

    /**
     * Runs {@code attempt} until it does not throw {@link WarehouseBusyException}, when this policy waits; once
     * otherwise. Stops waiting (rethrowing the last refusal) when {@code cancelled} turns true or the thread is
     * interrupted.
     */
    public <T> T obtain(Supplier<T> attempt, BooleanSupplier cancelled) {
        long nextReport = System.nanoTime();
        while (true) {
            try {
                return attempt.get();
            } catch (WarehouseBusyException busy) {
                if (!waits || cancelled.getAsBoolean()) throw busy;
                if (System.nanoTime() - nextReport >= 0) {
                    onWaiting.accept("waiting: " + busy.getMessage());
                    nextReport = System.nanoTime() + reportEvery.toNanos();
                }
                try {
                    Thread.sleep(pollEvery); // --wait: the lock is tried again, never blocked on (a held advisory lock or file gives no signal)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }
}
