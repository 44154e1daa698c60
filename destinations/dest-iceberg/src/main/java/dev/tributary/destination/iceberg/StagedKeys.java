package dev.tributary.destination.iceberg;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;

/**
 * The keys a merge staged: for each key, where its last staged row is (file number and position, as
 * {@link StagedFiles#write} gives it) and when the source deleted it (null when it did not). Keys are the text
 * {@link KeyPositions#keyOf} makes of a row. A key of one integer column (an id, the common case) is kept as a
 * primitive in an open-addressing table instead: two longs a slot and no object per key (a million keys: 45 MB of heap),
 * against three objects a key as text in a {@link HashMap} (108 MB), which a sync of a million new keys kept alive
 * until its commit, for the garbage collector to copy and mark. Which of the two is fixed by the first key staged; a
 * null key is kept as text in either.
 */
final class StagedKeys {
    /** Where a key's staged row is, and when the source deleted it (null when it did not). */
    record Staged(long where, Instant deletedAt) {}

    /** What {@link #put} returns when the key was not staged before. */
    static final long NONE = -1;
    private static final String NULL_KEY = IcebergTypes.keyText(null);

    /** Null until the first key: then whether keys are one integer column. */
    private Boolean integers;
    /** Integer keys, two longs a slot (one cache line for both): the key, then its row's place plus one (0: an empty slot). */
    private long[] slots = new long[0];
    private int size;
    /** Integer keys whose last staged row is a deletion, with its time. */
    private final Map<Long, Instant> deletions = new HashMap<>();
    /** Every other key (text keys; the null key of integer keys). */
    private final Map<String, Staged> text = new HashMap<>();

    /** Stages {@code row}'s key (read by {@code key}) at {@code where}; returns where its row was staged before, or {@link #NONE}. */
    long put(TableRow row, KeyPositions.RowKey key, long where, Instant deletedAt) {
        boolean integer = key.positions().length == 1 && key.types()[0].typeId() == Type.TypeID.LONG;
        if (integers == null) integers = integer;
        if (integers != integer) {
            throw new IllegalStateException("the staged keys are " + (integers ? "integers" : "text") + ", a row's key is not: the key columns changed without the staged rows being set aside");
        }
        Object first = integer ? row.get(key.positions()[0]) : null;
        if (first instanceof Long id) return putInteger(id, where, deletedAt);
        return putText(key.of(row), where, deletedAt);
    }

    /** Stages the key {@code keyText} at {@code where} (a key {@link #get} found, or one of {@link #deleted}). */
    void put(String keyText, long where, Instant deletedAt) {
        Long id = integers == Boolean.TRUE ? integer(keyText) : null;
        if (id != null) putInteger(id, where, deletedAt);
        else putText(keyText, where, deletedAt);
    }

    /** The staged row of the key {@code keyText}, or null. */
    Staged get(String keyText) {
        Long id = integers == Boolean.TRUE ? integer(keyText) : null;
        if (id == null) return text.get(keyText);
        int slot = find(id);
        return slot < 0 ? null : new Staged(slots[slot + 1] - 1, deletions.get(id));
    }

    /** Whether the key of {@code stored} (a row of the table, its key columns {@code keyColumns}) is staged. */
    boolean contains(Record stored, List<String> keyColumns) {
        if (integers == Boolean.TRUE && keyColumns.size() == 1 && stored.getField(keyColumns.get(0)) instanceof Long id) return find(id) >= 0;
        return !text.isEmpty() && text.containsKey(KeyPositions.keyOf(stored, keyColumns));
    }

    /** The keys (as text) whose last staged row is a deletion. */
    Set<String> deleted() {
        Set<String> out = new HashSet<>();
        deletions.keySet().forEach(id -> out.add(id.toString()));
        text.forEach((k, s) -> {
            if (s.deletedAt() != null) out.add(k);
        });
        return out;
    }

    boolean isEmpty() {
        return size == 0 && text.isEmpty();
    }

    int size() {
        return size + text.size();
    }

    void clear() {
        integers = null;
        slots = new long[0];
        size = 0;
        deletions.clear();
        text.clear();
    }

    private long putText(String keyText, long where, Instant deletedAt) {
        Staged before = text.put(keyText, new Staged(where, deletedAt));
        return before == null ? NONE : before.where();
    }

    private long putInteger(long id, long where, Instant deletedAt) {
        if (where < 0) throw new IllegalArgumentException("a staged row's place is never negative: " + where);
        if (deletedAt != null) deletions.put(id, deletedAt);
        else if (!deletions.isEmpty()) deletions.remove(id);
        if ((size + 1) * 8L > slots.length * 3L) grow(); // at most three quarters of the slots used
        int mask = slots.length - 1;
        for (int i = hash(id) & mask; ; i = (i + 2) & mask) {
            if (slots[i + 1] == 0) {
                slots[i] = id;
                slots[i + 1] = where + 1;
                size++;
                return NONE;
            }
            if (slots[i] == id) {
                long before = slots[i + 1] - 1;
                slots[i + 1] = where + 1;
                return before;
            }
        }
    }

    /** The index of {@code id}'s slot, or -1. */
    private int find(long id) {
        if (size == 0) return -1;
        int mask = slots.length - 1;
        for (int i = hash(id) & mask; slots[i + 1] != 0; i = (i + 2) & mask) {
            if (slots[i] == id) return i;
        }
        return -1;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[Math.max(32, old.length * 2)];
        int mask = slots.length - 1;
        for (int j = 0; j < old.length; j += 2) {
            if (old[j + 1] == 0) continue;
            int i = hash(old[j]) & mask;
            while (slots[i + 1] != 0) i = (i + 2) & mask;
            slots[i] = old[j];
            slots[i + 1] = old[j + 1];
        }
    }

    /** An even index (a slot's first long) spread over the table's bits. */
    private static int hash(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) << 1;
    }

    /** The integer a key text stands for (as {@link IcebergTypes#keyText} writes it), or null (the null key, or not an integer's text). */
    private static Long integer(String keyText) {
        if (keyText.equals(NULL_KEY)) return null;
        try {
            long id = Long.parseLong(keyText);
            return Long.toString(id).equals(keyText) ? id : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
