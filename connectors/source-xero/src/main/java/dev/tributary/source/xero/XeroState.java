package dev.tributary.source.xero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.StateCodec;
import java.time.Instant;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Xero stream's resume point: per tenant, the If-Modified-Since cursor and page of the window being read (or the
 * journal offset), and the reconciliation pass in progress. Version 1.
 */
record XeroState(Map<String, Cursor> tenants, Reconcile reconcile) {

    /** Where a tenant's read stands: {@code done} when the last window finished (the next sync starts at since minus overlap). */
    record Cursor(Instant since, int page, boolean done, long offset, List<String> seen) {
        static final Cursor START = new Cursor(null, 1, true, 0, List.of());

        Cursor {
            seen = List.copyOf(seen);
        }

        Cursor(Instant since, int page, boolean done, long offset) {
            this(since, page, done, offset, List.of());
        }
    }

    /**
     * A reconciliation pass: its id, the tenant it is listing (by id; null = the first), where in that tenant's list it
     * stands (the UpdatedDateUTC second it pages from, the page within that second, the ids of that second already
     * listed) and when the last pass finished.
     */
    record Reconcile(String passId, String tenant, Instant since, int page, List<String> seen, Instant lastCompletedAt) {
        static final Reconcile NONE = new Reconcile(null, null, null, 1, List.of(), null);

        Reconcile {
            seen = List.copyOf(seen);
        }

        /** No pass running; the last one finished at {@code lastCompletedAt}. */
        static Reconcile idle(Instant lastCompletedAt) {
            return new Reconcile(null, null, null, 1, List.of(), lastCompletedAt);
        }

        boolean active() { return passId != null; }
    }

    static final XeroState EMPTY = new XeroState(Map.of(), Reconcile.NONE);

    XeroState {
        tenants = Map.copyOf(tenants);
    }

    Cursor cursor(String tenant) {
        return tenants.getOrDefault(tenant, Cursor.START);
    }

    XeroState with(String tenant, Cursor c) {
        Map<String, Cursor> m = new TreeMap<>(tenants);
        m.put(tenant, c);
        return new XeroState(m, reconcile);
    }

    XeroState with(Reconcile r) {
        return new XeroState(tenants, r);
    }

    static final StateCodec<XeroState> CODEC = new StateCodec<>() {
        @Override
        public int currentVersion() {
            return 1;
        }

        @Override
        public JsonNode encode(XeroState s) {
            ObjectNode root = XeroTokens.JSON.createObjectNode();
            ObjectNode ts = root.putObject("tenants");
            new TreeMap<>(s.tenants()).forEach((t, c) -> {
                ObjectNode n = ts.putObject(t);
                if (c.since() != null) n.put("since", c.since().toString());
                n.put("page", c.page());
                n.put("done", c.done());
                n.put("offset", c.offset());
                if (!c.seen().isEmpty()) c.seen().forEach(n.putArray("seen")::add);
            });
            Reconcile r = s.reconcile();
            ObjectNode rn = root.putObject("reconcile");
            if (r.passId() != null) rn.put("pass_id", r.passId());
            if (r.tenant() != null) rn.put("tenant", r.tenant());
            if (r.since() != null) rn.put("since", r.since().toString());
            rn.put("page", r.page());
            if (!r.seen().isEmpty()) r.seen().forEach(rn.putArray("seen")::add);
            if (r.lastCompletedAt() != null) rn.put("last_completed_at", r.lastCompletedAt().toString());
            return root;
        }

        @Override
        public XeroState decode(int version, JsonNode v) {
            Map<String, Cursor> m = new TreeMap<>();
            v.path("tenants").fields().forEachRemaining(e -> {
                JsonNode n = e.getValue();
                List<String> seen = new ArrayList<>();
                n.path("seen").forEach(x -> seen.add(x.asText()));
                m.put(e.getKey(), new Cursor(n.hasNonNull("since") ? Instant.parse(n.get("since").asText()) : null,
                        n.path("page").asInt(1), n.path("done").asBoolean(true), n.path("offset").asLong(0), seen));
            });
            JsonNode r = v.path("reconcile");
            List<String> seenIds = new ArrayList<>();
            r.path("seen").forEach(x -> seenIds.add(x.asText()));
            Reconcile rec;
            if (r.has("tenant_index") && !r.has("tenant")) {
                // written when the pass paged by number over an index into the tenants: that position cannot be trusted,
                // so the pass (same id) lists again from the start; ids listed twice are harmless
                rec = new Reconcile(r.hasNonNull("pass_id") ? r.get("pass_id").asText() : null, null, null, 1, List.of(),
                        r.hasNonNull("last_completed_at") ? Instant.parse(r.get("last_completed_at").asText()) : null);
            } else {
                rec = new Reconcile(r.hasNonNull("pass_id") ? r.get("pass_id").asText() : null, r.hasNonNull("tenant") ? r.get("tenant").asText() : null,
                        r.hasNonNull("since") ? Instant.parse(r.get("since").asText()) : null, r.path("page").asInt(1), seenIds,
                        r.hasNonNull("last_completed_at") ? Instant.parse(r.get("last_completed_at").asText()) : null);
            }
            return new XeroState(m, rec);
        }
    };
}
