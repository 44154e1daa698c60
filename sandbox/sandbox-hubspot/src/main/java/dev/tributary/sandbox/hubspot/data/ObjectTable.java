package dev.tributary.sandbox.hubspot.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records of one object type in one portal, stored column-wise: ids are implicit (base + index), created and
 * modified times are primitive arrays, and every other property of an untouched record is derived from the seed
 * on demand. Only what changed after generation (API writes, control mutations, archives, merges) is kept in
 * sparse maps. Writes are serialised on the table; reads are lock-free.
 */
public final class ObjectTable {
    /** Marks a property explicitly cleared by a write (maps below cannot hold null). */
    private static final String CLEARED = new String("\u0000cleared");

    /** Derived values and history of generated records. */
    public interface DerivedValues {
        String value(int index, String property);

        List<HistoryEntry> history(int index, String property);
    }

    /** The state search still sees for a record changed less than the index lag ago. */
    public record PendingChange(long visibleAtMillis, boolean previouslyLive, long previousUpdatedAt,
                                Map<String, String> previousOverrides) {}

    private final ObjectType type;
    private final long hubId;
    private final long idBase;
    private final int generatedCount;
    private final DerivedValues derived;
    private final PropertyCatalog catalog;
    private volatile int size;
    private volatile long[] createdAt;
    private volatile long[] updatedAt;
    private final Map<Integer, Long> archivedAt = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> mergedInto = new ConcurrentHashMap<>();
    private final Map<Integer, Map<String, String>> overrides = new ConcurrentHashMap<>();
    private final Map<Integer, Map<String, List<HistoryEntry>>> addedHistory = new ConcurrentHashMap<>();
    private final Map<Integer, PendingChange> pending = new ConcurrentHashMap<>();
    /** Hard-deleted records (GDPR delete, or archived past retention): in no list, search, read or archive. */
    private final Map<Integer, Long> purgedAt = new ConcurrentHashMap<>();

    public ObjectTable(ObjectType type, long hubId, long[] createdAt, long[] updatedAt, DerivedValues derived,
                       PropertyCatalog catalog) {
        this.type = type;
        this.hubId = hubId;
        this.idBase = (type.ordinal() + 1) * 100_000_000L + 1;
        this.generatedCount = createdAt.length;
        this.size = createdAt.length;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.derived = derived;
        this.catalog = catalog;
    }

    public ObjectType type() { return type; }
    public long hubId() { return hubId; }
    public int size() { return size; }
    public long id(int index) { return idBase + index; }
    public long createdAt(int index) { return createdAt[index]; }
    public long updatedAt(int index) { return updatedAt[index]; }
    public Long archivedAt(int index) { return archivedAt.get(index); }
    public boolean isArchived(int index) { return archivedAt.containsKey(index); }
    public boolean isMergedAway(int index) { return mergedInto.containsKey(index); }
    public boolean isLive(int index) { return !archivedAt.containsKey(index) && !mergedInto.containsKey(index) && !purgedAt.containsKey(index); }
    public boolean isPurged(int index) { return purgedAt.containsKey(index); }
    public PropertyCatalog catalog() { return catalog; }

    /** The index of an id, or -1 when no record of this table ever had it. */
    public int indexOf(long id) {
        long i = id - idBase;
        return i >= 0 && i < size ? (int) i : -1;
    }

    public int indexOf(String id) {
        try {
            return indexOf(Long.parseLong(id.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Follows merges: the index that now answers for this one. */
    public int survivorOf(int index) {
        Integer next = mergedInto.get(index);
        int guard = 0;
        while (next != null && guard++ < 100) {
            index = next;
            next = mergedInto.get(index);
        }
        return index;
    }

    /** The current value of a property (null when empty or unknown). */
    public String value(int index, String property) {
        return value(index, property, overrides.get(index), updatedAt[index]);
    }

    private String value(int index, String property, Map<String, String> own, long modified) {
        if (own != null) {
            String v = own.get(property);
            if (v != null) return v == CLEARED ? null : v;
        }
        if (property.equals("hs_object_id")) return Long.toString(id(index));
        if (property.equals(type.createdProperty()) || property.equals("hs_createdate")) {
            return SyntheticValues.isoMillis(createdAt[index]);
        }
        if (property.equals(type.modifiedProperty()) || property.equals("hs_lastmodifieddate")) {
            return SyntheticValues.isoMillis(modified);
        }
        if (index < generatedCount) return derived.value(index, property);
        return null;
    }

    /** Epoch millis of the modified time search sees now, considering index lag. */
    public long searchUpdatedAt(int index, PendingChange p) {
        return p != null ? p.previousUpdatedAt() : updatedAt[index];
    }

    /** The value search sees: the pre-change value while the change is still within the index lag. */
    public String searchValue(int index, String property, PendingChange p) {
        if (p == null) return value(index, property);
        return value(index, property, p.previousOverrides(), p.previousUpdatedAt());
    }

    /** The pending change hiding a record's latest state from search at {@code now}, or null. */
    public PendingChange pendingFor(int index, long now) {
        if (pending.isEmpty()) return null;
        PendingChange p = pending.get(index);
        if (p == null) return null;
        if (now >= p.visibleAtMillis()) {
            pending.remove(index, p);
            return null;
        }
        return p;
    }

    public boolean hasPendingChanges() {
        return !pending.isEmpty();
    }

    /** Newest first: changes made after generation, then the generated history. */
    public List<HistoryEntry> history(int index, String property) {
        List<HistoryEntry> out = new ArrayList<>();
        Map<String, List<HistoryEntry>> added = addedHistory.get(index);
        if (added != null && added.get(property) != null) {
            List<HistoryEntry> mine = new ArrayList<>(added.get(property));
            Collections.reverse(mine);
            out.addAll(mine);
        }
        if (index < generatedCount) out.addAll(derived.history(index, property));
        if (out.isEmpty()) {
            String v = value(index, property);
            if (v != null) out.add(new HistoryEntry(v, createdAt[index], "CRM_UI", null, null));
        }
        return out;
    }

    public List<String> mergedObjectIds(int index) {
        String v = value(index, "hs_merged_object_ids");
        return v == null || v.isEmpty() ? List.of() : List.of(v.split(";"));
    }

    // ---- writes ----

    /** Creates a record and returns its index. */
    public synchronized int create(Map<String, String> properties, long now, long lagMillis, String sourceType) {
        int index = size;
        if (index == createdAt.length) {
            int cap = Math.max(16, createdAt.length + (createdAt.length >> 1));
            createdAt = Arrays.copyOf(createdAt, cap);
            updatedAt = Arrays.copyOf(updatedAt, cap);
        }
        createdAt[index] = now;
        updatedAt[index] = now;
        Map<String, String> own = new HashMap<>();
        properties.forEach((k, v) -> own.put(k, v == null ? CLEARED : v));
        overrides.put(index, own);
        for (String tracked : catalog.historyTracked(type)) {
            String v = properties.get(tracked);
            if (v != null) recordHistory(index, tracked, v, now, sourceType);
        }
        if (lagMillis > 0) pending.put(index, new PendingChange(now + lagMillis, false, now, Map.of()));
        size = index + 1;
        return index;
    }

    /** Sets properties, bumps the modified time and records history for tracked properties. */
    public synchronized void update(int index, Map<String, String> properties, long now, long lagMillis, String sourceType) {
        rememberForSearch(index, now, lagMillis);
        Map<String, String> own = new HashMap<>(overrides.getOrDefault(index, Map.of()));
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String v = e.getValue() == null || e.getValue().isEmpty() ? null : e.getValue();
            own.put(e.getKey(), v == null ? CLEARED : v);
            if (catalog.property(type, e.getKey()) != null && catalog.property(type, e.getKey()).historyTracked()) {
                recordHistory(index, e.getKey(), v == null ? "" : v, now, sourceType);
            }
        }
        overrides.put(index, own);
        updatedAt[index] = Math.max(now, updatedAt[index]);
    }

    /** Sets the modified time without changing a property (a bulk import touching records). */
    public synchronized void touch(int index, long modifiedAt) {
        updatedAt[index] = modifiedAt;
    }

    /** Archives a record; as in HubSpot this leaves the modified time alone. */
    public synchronized boolean archive(int index, long now, long lagMillis) {
        if (!isLive(index)) return false;
        rememberForSearch(index, now, lagMillis);
        archivedAt.put(index, now);
        return true;
    }

    /** Deletes a record for good, live or archived: it no longer appears anywhere, archive included. */
    public synchronized boolean purge(int index, long now) {
        if (purgedAt.containsKey(index) || mergedInto.containsKey(index)) return false;
        pending.remove(index);
        archivedAt.remove(index);
        purgedAt.put(index, now);
        return true;
    }

    /** Restores an archived record (HubSpot does this when an archived record is re-created). */
    public synchronized void restore(int index, long now) {
        archivedAt.remove(index);
        updatedAt[index] = now;
    }

    /** Merges {@code mergedIndex} into {@code survivorIndex}: the survivor lists the old id in hs_merged_object_ids. */
    public synchronized void merge(int survivorIndex, int mergedIndex, long now, long lagMillis) {
        rememberForSearch(mergedIndex, now, lagMillis);
        List<String> ids = new ArrayList<>(mergedObjectIds(survivorIndex));
        ids.add(Long.toString(id(mergedIndex)));
        ids.addAll(mergedObjectIds(mergedIndex));
        update(survivorIndex, Map.of("hs_merged_object_ids", String.join(";", ids)), now, lagMillis, "MERGE");
        mergedInto.put(mergedIndex, survivorIndex);
    }

    /** Marks generation-time state: archived at a time, merged into another record. */
    synchronized void seedArchived(int index, long at) { archivedAt.put(index, at); }

    synchronized void seedMerged(int mergedIndex, int survivorIndex) {
        mergedInto.put(mergedIndex, survivorIndex);
        Map<String, String> own = new HashMap<>(overrides.getOrDefault(survivorIndex, Map.of()));
        String prior = own.get("hs_merged_object_ids");
        String id = Long.toString(id(mergedIndex));
        own.put("hs_merged_object_ids", prior == null ? id : prior + ";" + id);
        overrides.put(survivorIndex, own);
    }

    private void rememberForSearch(int index, long now, long lagMillis) {
        if (lagMillis <= 0) return;
        PendingChange prior = pendingFor(index, now);
        if (prior != null) {
            pending.put(index, new PendingChange(now + lagMillis, prior.previouslyLive(), prior.previousUpdatedAt(),
                    prior.previousOverrides()));
        } else {
            Map<String, String> own = overrides.get(index);
            pending.put(index, new PendingChange(now + lagMillis, isLive(index), updatedAt[index],
                    own == null ? null : Map.copyOf(own)));
        }
    }

    private void recordHistory(int index, String property, String value, long now, String sourceType) {
        addedHistory.computeIfAbsent(index, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(property, k -> Collections.synchronizedList(new ArrayList<>()))
                .add(new HistoryEntry(value, now, sourceType, sourceType.equals("API") ? "sandbox-api" : null, null));
    }

    /** Counts archived records (for the control API's summary). */
    public int archivedCount() { return archivedAt.size(); }

    public int mergedCount() { return mergedInto.size(); }

    public int purgedCount() { return purgedAt.size(); }
}
