package dev.tributary.source.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.DataType;
import dev.tributary.spi.StateCodec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link FilesState} as JSON, version 1:
 * <pre>
 * {"files":   [{"path": "leads/a.csv", "size": 1234, "modified": "2024-05-01T10:00:00Z", "sha256": "9f86..."}],
 *  "current": {"path": "leads/b.csv", "size": 999, "modified": "2024-05-02T08:00:00Z", "rows": 500},
 *  "columns": {"amount": "decimal"}}
 * </pre>
 * {@code current} and {@code columns} are left out when empty.
 */
final class FilesStateCodec implements StateCodec<FilesState> {
    static final FilesStateCodec INSTANCE = new FilesStateCodec();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public int currentVersion() {
        return 1;
    }

    @Override
    public JsonNode encode(FilesState state) {
        ObjectNode o = NODES.objectNode();
        ArrayNode files = o.putArray("files");
        for (FileState f : state.files()) {
            ObjectNode file = files.addObject().put("path", f.path());
            file.set("size", number(f.size()));
            file.put("modified", f.modified().toString()).put("sha256", f.sha256());
        }
        state.current().ifPresent(c -> {
            ObjectNode current = o.putObject("current").put("path", c.path());
            current.set("size", number(c.size()));
            current.put("modified", c.modified().toString());
            current.set("rows", number(c.rows()));
        });
        if (!state.columns().isEmpty()) {
            ObjectNode columns = o.putObject("columns");
            state.columns().forEach((name, type) -> columns.put(name, type.configName()));
        }
        return o;
    }

    @Override
    public FilesState decode(int version, JsonNode value) {
        if (version != 1) throw new IllegalStateException("files source state version " + version + " is unknown");
        try {
            List<FileState> files = new ArrayList<>();
            for (JsonNode f : value.path("files")) {
                files.add(new FileState(text(f, "path"), f.path("size").asLong(), instant(f, "modified"), text(f, "sha256")));
            }
            JsonNode c = value.path("current");
            Optional<FileProgress> current = c.isObject()
                    ? Optional.of(new FileProgress(text(c, "path"), c.path("size").asLong(), instant(c, "modified"), c.path("rows").asLong()))
                    : Optional.empty();
            Map<String, DataType> columns = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : value.path("columns").properties()) {
                columns.put(e.getKey(), DataType.parse(e.getValue().asText()));
            }
            return new FilesState(files, current, columns);
        } catch (DateTimeParseException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("files source state is damaged (" + e.getMessage() + "); reset the stream's state", e);
        }
    }

    /** An int node when the value fits one, as a JSON round trip reads it back, so that states compare equal. */
    private static JsonNode number(long v) {
        return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("'" + key + "' is missing");
        return v.asText();
    }

    private static Instant instant(JsonNode o, String key) {
        return Instant.parse(text(o, key));
    }
}
