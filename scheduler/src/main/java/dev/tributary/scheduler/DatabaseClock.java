package dev.tributary.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A worker's clock set to its shared store's: each heartbeat tells it the database's time, and it keeps the
 * difference, so workers whose own clocks disagree still agree on due times and on the times they record.
 * (Claims and heartbeats never depend on it: they compare the database's time only.)
 */
public final class DatabaseClock implements SchedulerClock {
    private final SchedulerClock local;
    private volatile Duration offset = Duration.ZERO;

    public DatabaseClock(SchedulerClock local) {
        this.local = Objects.requireNonNull(local, "local is null");
    }

    /** The database said {@code databaseTime} between the local times {@code before} and {@code after}. */
    void observe(Instant databaseTime, Instant before, Instant after) {
        Instant middle = before.plus(Duration.between(before, after).dividedBy(2));
        offset = Duration.between(middle, databaseTime);
    }

    /** How far the local clock is behind the database's (negative: ahead). */
    public Duration offset() {
        return offset;
    }

    SchedulerClock local() {
        return local;
    }

    @Override
    public Instant now() {
        return local.now().plus(offset).truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public boolean waitUntil(Instant deadline, BooleanSupplier wakeEarly) throws InterruptedException {
        return local.waitUntil(deadline.minus(offset), wakeEarly);
    }

    @Override
    public void wakeUp() {
        local.wakeUp();
    }
}
