package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;

/**
 * One record: values in the order of its batch's schema fields, where it came from (for instance
 * {@code leads.csv:17}, used in error messages), and when the source deleted it, if it did.
 */
public record Record(Object[] values, String origin, Instant deletedAt) {
    public Record {
        requireNonNull(values, "values is null");
        requireNonNull(origin, "origin is null");
    }

    public Record(Object[] values, String origin) {
        this(values, origin, null);
    }

    public Object value(int index) {
        return index < values.length ? values[index] : null;
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r && Arrays.deepEquals(values, r.values) && origin.equals(r.origin)
                && java.util.Objects.equals(deletedAt, r.deletedAt);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values) * 31 + origin.hashCode();
    }

    @Override
    public String toString() {
        return origin + Arrays.deepToString(values) + (deletedAt == null ? "" : " deleted at " + deletedAt);
    }
}
