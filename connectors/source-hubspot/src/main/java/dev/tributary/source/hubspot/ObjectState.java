package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.StateCodec;

/**
 * Where a read of a CRM object (or of what hangs off its changed records) stands. A read covers one window of
 * modification times, {@code (lo, hi]} (either end may be open), walked in id order: {@code lastId} is the
 * highest id stored. Then, when due, come the archived records ({@code archivedAfter} is the listing's paging
 * token; {@code archivedThrough} is the {@code hi} of the last complete archived read, so records archived since
 * then are the ones taken), then, when due, a reconciliation pass over every id (started at
 * {@code reconcileStarted}, at {@code reconcileLastId}; {@code reconciledAt} is when the last complete one started),
 * and the window is done: the next read starts at {@code hi}.
 */
record ObjectState(Phase phase, Long lo, Long hi, long lastId, String archivedAfter, Long archivedThrough, Long reconciledAt,
        Long reconcileStarted, long reconcileLastId) {
    enum Phase { SEARCH, ARCHIVED, RECONCILE, DONE }

    ObjectState {
        java.util.Objects.requireNonNull(phase, "phase is null");
    }

    /** A new window that keeps what the previous one knew of the archived listing and of reconciliation. */
    static ObjectState window(Long lo, Long hi, Long archivedThrough, Long reconciledAt) {
        return new ObjectState(Phase.SEARCH, lo, hi, 0, null, archivedThrough, reconciledAt, null, 0);
    }

    ObjectState afterId(long id) {
        return new ObjectState(phase, lo, hi, id, archivedAfter, archivedThrough, reconciledAt, reconcileStarted, reconcileLastId);
    }

    ObjectState archivedPhase(String after) {
        return new ObjectState(Phase.ARCHIVED, lo, hi, lastId, after, archivedThrough, reconciledAt, reconcileStarted, reconcileLastId);
    }

    /** The archived listing was read through {@code hi}. */
    ObjectState archivedRead(Long through) {
        return new ObjectState(phase, lo, hi, lastId, null, through, reconciledAt, reconcileStarted, reconcileLastId);
    }

    ObjectState reconcilePhase(long started, long afterId) {
        return new ObjectState(Phase.RECONCILE, lo, hi, lastId, null, archivedThrough, reconciledAt, started, afterId);
    }

    /** The reconciliation pass that started at {@code reconcileStarted} is complete. */
    ObjectState reconciled() {
        return new ObjectState(phase, lo, hi, lastId, null, archivedThrough, reconcileStarted, null, 0);
    }

    ObjectState done(Long reconciledAtIfNone) {
        return new ObjectState(Phase.DONE, lo, hi, lastId, null, archivedThrough, reconciledAt == null ? reconciledAtIfNone : reconciledAt, null, 0);
    }

    String passId() {
        return "hubspot-ids-" + reconcileStarted;
    }

    /**
     * Version 2: {"phase":"search|archived|reconcile|done","lo":ms|null,"hi":ms|null,"last_id":n,"archived_after":token|null,
     * "archived_through":ms|null,"reconciled_at":ms|null,"reconcile_started":ms|null,"reconcile_last_id":n}. Version 1
     * had the first five; its archived reads covered the window, so {@code archived_through} reads as {@code lo}.
     */
    static final StateCodec<ObjectState> CODEC = new StateCodec<>() {
        @Override
        public int currentVersion() {
            return 2;
        }

        @Override
        public JsonNode encode(ObjectState s) {
            ObjectNode o = HubspotClient.JSON.createObjectNode();
            o.put("phase", s.phase().name().toLowerCase(java.util.Locale.ROOT));
            putMillis(o, "lo", s.lo());
            putMillis(o, "hi", s.hi());
            o.put("last_id", s.lastId());
            if (s.archivedAfter() == null) o.putNull("archived_after"); else o.put("archived_after", s.archivedAfter());
            putMillis(o, "archived_through", s.archivedThrough());
            putMillis(o, "reconciled_at", s.reconciledAt());
            putMillis(o, "reconcile_started", s.reconcileStarted());
            o.put("reconcile_last_id", s.reconcileLastId());
            return o;
        }

        @Override
        public ObjectState decode(int version, JsonNode v) {
            if (version != 1 && version != 2) throw new IllegalStateException("unknown HubSpot state version " + version);
            Phase phase = Phase.valueOf(v.path("phase").asText("search").toUpperCase(java.util.Locale.ROOT));
            Long lo = millis(v, "lo");
            Long hi = millis(v, "hi");
            String after = v.path("archived_after").isTextual() ? v.path("archived_after").asText() : null;
            if (version == 1) return new ObjectState(phase, lo, hi, v.path("last_id").asLong(0), after, lo, null, null, 0);
            return new ObjectState(phase, lo, hi, v.path("last_id").asLong(0), after, millis(v, "archived_through"),
                    millis(v, "reconciled_at"), millis(v, "reconcile_started"), v.path("reconcile_last_id").asLong(0));
        }

        private static void putMillis(ObjectNode o, String key, Long value) {
            if (value == null) o.putNull(key); else o.put(key, value);
        }

        private static Long millis(JsonNode v, String key) {
            return v.path(key).canConvertToLong() ? v.path(key).asLong() : null;
        }
    };
}
