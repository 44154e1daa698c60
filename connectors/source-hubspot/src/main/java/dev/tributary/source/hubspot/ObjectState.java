package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.StateCodec;

/**
 * Where a read of a CRM object (or of what hangs off its changed records) stands. A read covers one window of
 * modification times, {@code (lo, hi]} (either end may be open), walked in id order: {@code lastId} is the
 * highest id stored. Then come the archived records ({@code archivedAfter} is the listing's paging token), and
 * the window is done: the next read starts at {@code hi}.
 */
record ObjectState(Phase phase, Long lo, Long hi, long lastId, String archivedAfter) {
    enum Phase { SEARCH, ARCHIVED, DONE }

    ObjectState {
        java.util.Objects.requireNonNull(phase, "phase is null");
    }

    static ObjectState window(Long lo, Long hi) {
        return new ObjectState(Phase.SEARCH, lo, hi, 0, null);
    }

    ObjectState afterId(long id) {
        return new ObjectState(phase, lo, hi, id, archivedAfter);
    }

    ObjectState archivedPhase(String after) {
        return new ObjectState(Phase.ARCHIVED, lo, hi, lastId, after);
    }

    ObjectState done() {
        return new ObjectState(Phase.DONE, lo, hi, lastId, null);
    }

    /** Version 1: {"phase":"search|archived|done","lo":ms|null,"hi":ms|null,"last_id":n,"archived_after":token|null}. */
    static final StateCodec<ObjectState> CODEC = new StateCodec<>() {
        @Override
        public int currentVersion() {
            return 1;
        }

        @Override
        public JsonNode encode(ObjectState s) {
            ObjectNode o = HubspotClient.JSON.createObjectNode();
            o.put("phase", s.phase().name().toLowerCase(java.util.Locale.ROOT));
            if (s.lo() == null) o.putNull("lo"); else o.put("lo", s.lo());
            if (s.hi() == null) o.putNull("hi"); else o.put("hi", s.hi());
            o.put("last_id", s.lastId());
            if (s.archivedAfter() == null) o.putNull("archived_after"); else o.put("archived_after", s.archivedAfter());
            return o;
        }

        @Override
        public ObjectState decode(int version, JsonNode v) {
            if (version != 1) throw new IllegalStateException("unknown HubSpot state version " + version);
            Phase phase = Phase.valueOf(v.path("phase").asText("search").toUpperCase(java.util.Locale.ROOT));
            Long lo = v.path("lo").canConvertToLong() ? v.path("lo").asLong() : null;
            Long hi = v.path("hi").canConvertToLong() ? v.path("hi").asLong() : null;
            String after = v.path("archived_after").isTextual() ? v.path("archived_after").asText() : null;
            return new ObjectState(phase, lo, hi, v.path("last_id").asLong(0), after);
        }
    };
}
