package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/** Identifies one sync run; time-ordered so that sorting run ids sorts runs. */
public record RunId(String value) {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    public RunId {
        requireNonNull(value, "value is null");
    }

    public static RunId generate() {
        return new RunId(FORMAT.format(Instant.now()) + "-" + Integer.toHexString(0x10000 + ThreadLocalRandom.current().nextInt(0xF0000)));
    }

    @Override
    public String toString() {
        return value;
    }
}
