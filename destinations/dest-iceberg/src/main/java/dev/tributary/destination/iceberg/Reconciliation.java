package dev.tributary.destination.iceberg;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * The keys seen by a reconciliation pass ({@code Completion.KeysSeen}), kept with the data: each commit of a pass
 * writes the keys it staged to a file under the table's {@code metadata/} folder, and the snapshot summary property
 * {@code tributary.pass.<connection>/<stream>} = {"pass": id, "started": instant, "files": [...]} names the pass and
 * its files, in the same snapshot as the data and the state. The commit that ends the pass reads them back, marks
 * deleted every unseen row older than the pass, and drops the property; a new pass id replaces it.
 */
final class Reconciliation {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A pass in progress as committed. */
    record Pass(String id, Instant started, List<String> files) {}

    private Reconciliation() {}

    static String key(String connection, String stream) {
        return StateSummary.PASS_PREFIX + connection + "/" + stream;
    }

    static Optional<Pass> read(Table table, String key) {
        Snapshot s = table.currentSnapshot();
        if (s == null || !s.summary().containsKey(key)) return Optional.empty();
        return Optional.of(parse(s.summary().get(key)));
    }

    static String value(Pass pass) {
        ObjectNode o = JSON.createObjectNode();
        o.put("pass", pass.id());
        o.put("started", pass.started().toString());
        o.set("files", JSON.valueToTree(pass.files()));
        return o.toString();
    }

    private static Pass parse(String value) {
        try {
            JsonNode o = JSON.readTree(value);
            List<String> files = new ArrayList<>();
            o.path("files").forEach(f -> files.add(f.asText()));
            return new Pass(o.get("pass").asText(), Instant.parse(o.get("started").asText()), files);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the reconciliation property of the lakehouse is not readable: " + e.getMessage(), e);
        }
    }

    /** Every key file any snapshot of {@code table} names (remove-orphans keeps them). */
    static Set<String> keyFiles(Table table) {
        Set<String> out = new HashSet<>();
        for (Snapshot s : table.snapshots()) {
            for (Map.Entry<String, String> e : s.summary().entrySet()) {
                if (e.getKey().startsWith(StateSummary.PASS_PREFIX)) out.addAll(parse(e.getValue()).files());
            }
        }
        return out;
    }

    /** Writes {@code keys} (as text) to a new file of the table; returns its location. */
    static String writeKeys(Table table, Collection<String> keys) {
        String location = table.locationProvider().newDataLocation("_reconcile/" + UUID.randomUUID() + ".keys.json");
        try (OutputStream out = table.io().newOutputFile(location).create()) {
            JSON.writeValue(out, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the keys of a reconciliation pass to " + location + ": " + e.getMessage(), e);
        }
        return location;
    }

    static Set<String> readKeys(Table table, List<String> files) {
        Set<String> out = new HashSet<>();
        for (String f : files) {
            try (InputStream in = table.io().newInputFile(f).newStream()) {
                out.addAll(JSON.readValue(in, new TypeReference<List<String>>() {}));
            } catch (IOException e) {
                throw new UncheckedIOException("reading the keys of a reconciliation pass from " + f + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
