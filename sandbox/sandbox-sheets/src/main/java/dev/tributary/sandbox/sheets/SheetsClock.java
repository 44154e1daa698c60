package dev.tributary.sandbox.sheets;

import java.time.Duration;
import java.time.Instant;

/** The sandbox's one clock (token expiry, quota windows, modified times): the system clock plus an offset tests can advance. */
public final class SheetsClock {
    private volatile long offsetMillis;

    public Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis);
    }

    public long millis() {
        return System.currentTimeMillis() + offsetMillis;
    }

    public synchronized void advance(Duration by) {
        offsetMillis += by.toMillis();
    }
}
