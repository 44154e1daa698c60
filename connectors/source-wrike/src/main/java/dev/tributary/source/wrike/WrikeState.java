package dev.tributary.source.wrike;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.StateCodec;
import java.time.Instant;

/**
 * A Wrike stream's resume point (version 1): {@code through}, the end of the last updatedDate window read whole; the
 * window being read (its bounds, phase live|deleted and the next page token); and the id reconciliation pass.
 */
record WrikeState(Instant through, Window window, Reconcile reconcile) {
    /** A window in progress: [start, end] inclusive (start null = from the beginning), the phase and the page token. */
    record Window(Instant start, Instant end, String phase, String token) {}

    /** An id reconciliation pass: its id and page token while running, and when the last one finished. */
    record Reconcile(String passId, String token, Instant lastCompletedAt) {
        static final Reconcile NONE = new Reconcile(null, null, null);
        boolean active() { return passId != null; }
    }

    static final WrikeState EMPTY = new WrikeState(null, null, Reconcile.NONE);

    WrikeState withWindow(Window w) { return new WrikeState(through, w, reconcile); }
    WrikeState finished(Instant end) { return new WrikeState(end, null, reconcile); }
    WrikeState with(Reconcile r) { return new WrikeState(through, window, r); }

    static final StateCodec<WrikeState> CODEC = new StateCodec<>() {
        @Override
        public int currentVersion() { return 1; }

        @Override
        public JsonNode encode(WrikeState s) {
            ObjectNode root = WrikeClient.JSON.createObjectNode();
            if (s.through() != null) root.put("through", s.through().toString());
            if (s.window() != null) {
                ObjectNode w = root.putObject("window");
                if (s.window().start() != null) w.put("start", s.window().start().toString());
                w.put("end", s.window().end().toString());
                w.put("phase", s.window().phase());
                if (s.window().token() != null) w.put("token", s.window().token());
            }
            ObjectNode r = root.putObject("reconcile");
            if (s.reconcile().passId() != null) r.put("pass_id", s.reconcile().passId());
            if (s.reconcile().token() != null) r.put("token", s.reconcile().token());
            if (s.reconcile().lastCompletedAt() != null) r.put("last_completed_at", s.reconcile().lastCompletedAt().toString());
            return root;
        }

        @Override
        public WrikeState decode(int version, JsonNode v) {
            if (version != 1) throw new IllegalArgumentException("Wrike stream state version " + version + " is newer than this Tributary understands (1)");
            Window w = null;
            JsonNode wn = v.path("window");
            if (wn.isObject()) {
                w = new Window(wn.hasNonNull("start") ? Instant.parse(wn.get("start").asText()) : null, Instant.parse(wn.get("end").asText()),
                        wn.path("phase").asText("live"), wn.hasNonNull("token") ? wn.get("token").asText() : null);
            }
            JsonNode r = v.path("reconcile");
            return new WrikeState(v.hasNonNull("through") ? Instant.parse(v.get("through").asText()) : null, w,
                    new Reconcile(r.hasNonNull("pass_id") ? r.get("pass_id").asText() : null, r.hasNonNull("token") ? r.get("token").asText() : null,
                            r.hasNonNull("last_completed_at") ? Instant.parse(r.get("last_completed_at").asText()) : null));
        }
    };
}
