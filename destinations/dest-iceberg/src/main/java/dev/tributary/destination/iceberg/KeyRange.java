package dev.tributary.destination.iceberg;

import java.util.HashSet;
import java.util.Set;

/**
 * The values of a merge's first key column, for pruning data files by their bounds: the values themselves while there
 * are few, then only their smallest and largest (so a million staged keys cost two values, not a million).
 */
final class KeyRange {
    static final int MAX_VALUES = 10_000;

    private Set<Object> values = new HashSet<>();
    private Comparable<Object> min;
    private Comparable<Object> max;
    private boolean sawNull;
    private boolean empty = true;

    @SuppressWarnings("unchecked")
    void add(Object value) {
        if (value == null) {
            sawNull = true;
            return;
        }
        if (!(value instanceof Comparable<?>)) {
            sawNull = true; // not comparable: no pruning
            return;
        }
        empty = false;
        Comparable<Object> c = (Comparable<Object>) (value instanceof CharSequence cs ? cs.toString() : value);
        if (min == null || c.compareTo(min) < 0) min = c;
        if (max == null || c.compareTo(max) > 0) max = c;
        if (values != null) {
            values.add(c);
            if (values.size() > MAX_VALUES) values = null;
        }
    }

    boolean isEmpty() {
        return empty;
    }

    boolean sawNull() {
        return sawNull;
    }

    /** The values, or null when there were too many to keep. */
    Set<Object> values() {
        return values;
    }

    Object min() {
        return min;
    }

    Object max() {
        return max;
    }

    void clear() {
        values = new HashSet<>();
        min = null;
        max = null;
        sawNull = false;
        empty = true;
    }
}
