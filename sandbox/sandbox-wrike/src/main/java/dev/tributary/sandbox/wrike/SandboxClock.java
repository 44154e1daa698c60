package dev.tributary.sandbox.wrike;

import java.time.Duration;
import java.time.Instant;

/**
 * The one clock the sandbox reads: token expiry, rate-limit windows, search index lag and modification
 * timestamps all use it. It runs with the system clock plus an offset, and can be frozen and advanced.
 */
public final class SandboxClock {
    private long offsetMillis;
    private Long frozenAtMillis;

    public SandboxClock(Instant start, boolean frozen) {
        this.offsetMillis = start.toEpochMilli() - System.currentTimeMillis();
        if (frozen) this.frozenAtMillis = start.toEpochMilli();
    }

    public synchronized long millis() {
        return frozenAtMillis != null ? frozenAtMillis : System.currentTimeMillis() + offsetMillis;
    }

    public Instant now() {
        return Instant.ofEpochMilli(millis());
    }

    public synchronized void advance(Duration by) {
        if (frozenAtMillis != null) frozenAtMillis += by.toMillis();
        else offsetMillis += by.toMillis();
    }

    public synchronized void freeze() {
        if (frozenAtMillis == null) frozenAtMillis = System.currentTimeMillis() + offsetMillis;
    }

    public synchronized void unfreeze() {
        if (frozenAtMillis != null) {
            offsetMillis = frozenAtMillis - System.currentTimeMillis();
            frozenAtMillis = null;
        }
    }

    public synchronized boolean isFrozen() {
        return frozenAtMillis != null;
    }

    public synchronized void set(Instant instant) {
        if (frozenAtMillis != null) frozenAtMillis = instant.toEpochMilli();
        else offsetMillis = instant.toEpochMilli() - System.currentTimeMillis();
    }
}
