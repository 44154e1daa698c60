package dev.tributary.destination.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.DestinationSession.StoredState;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Stream states kept in the snapshot summary of the table their data is in: property
 * {@code tributary.state.<connection>/<stream>} holds {"state": ..., "run_id": ..., "committed_at": ...}. Every
 * snapshot Tributary commits carries forward the states of its parent, so the current snapshot always holds every
 * state of the table, whatever expire-snapshots removed. A commit of data and its state is one snapshot: either both
 * are there or neither.
 */
final class StateSummary {
    static final String PREFIX = "tributary.state.";
    /** Reconciliation passes in progress: {@code tributary.pass.<connection>/<stream>} (see {@link Reconciliation}). */
    static final String PASS_PREFIX = "tributary.pass.";
    /** The last rejects batch a stream's data commit acknowledged: {@code tributary.rejects.<connection>/<stream>} (see {@link RejectsTable}). */
    static final String REJECTS_PREFIX = "tributary.rejects.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateSummary() {}

    static String key(String connection, StreamId stream) {
        return PREFIX + connection + "/" + stream;
    }

    static String value(StreamState state, String runId, Instant committedAt) {
        ObjectNode o = JSON.createObjectNode();
        o.put("state", state.toJson());
        o.put("run_id", runId);
        o.put("committed_at", committedAt.toString());
        return o.toString();
    }

    static String rejectsKey(String connection, StreamId stream) {
        return REJECTS_PREFIX + connection + "/" + stream;
    }

    /** Every state (pass, acknowledged rejects batch) property of the table's current snapshot: what each commit carries forward. */
    static Map<String, String> current(Table table) {
        Snapshot s = table.currentSnapshot();
        Map<String, String> out = new HashMap<>();
        if (s == null) return out;
        for (Map.Entry<String, String> e : s.summary().entrySet()) {
            if (e.getKey().startsWith(PREFIX) || e.getKey().startsWith(PASS_PREFIX) || e.getKey().startsWith(REJECTS_PREFIX)) out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    static Optional<StoredState> read(String key, String value) {
        if (!key.startsWith(PREFIX)) return Optional.empty();
        String rest = key.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0) return Optional.empty();
        try {
            JsonNode o = JSON.readTree(value);
            StreamState state = StreamState.fromJson(o.get("state").asText());
            return Optional.of(new StoredState(rest.substring(0, slash), state, o.path("run_id").asText(""),
                    Instant.parse(o.path("committed_at").asText("1970-01-01T00:00:00Z"))));
        } catch (Exception e) {
            throw new IllegalStateException("the state property " + key + " of the lakehouse is not readable: " + e.getMessage(), e);
        }
    }
}
