package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stream's resume point. The value is owned by the connector (see {@link StateCodec}); the engine only stores
 * it, with the data it describes, and hands it back. {@code version} lets a connector still read old state.
 */
public record StreamState(StreamId stream, int version, JsonNode value) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public StreamState {
        requireNonNull(stream, "stream is null");
        requireNonNull(value, "value is null");
        if (version < 1) throw new IllegalArgumentException("state version must be >= 1, was " + version);
        value = canonical(value);
    }

    /** The value as it reads back from JSON, so a state equals its own round trip (a long 5 and an int 5 differ in Jackson). */
    private static JsonNode canonical(JsonNode value) {
        try {
            return JSON.readTree(value.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("state value is not valid JSON", e);
        }
    }

    /** The envelope as one JSON document: {"stream":..., "namespace":..., "version":..., "value":...}. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("namespace", stream.namespace());
        o.put("stream", stream.name());
        o.put("version", version);
        o.set("value", value);
        return o.toString();
    }

    public static StreamState fromJson(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            if (o == null || !o.isObject() || !o.has("stream") || !o.has("version") || !o.has("value")) {
                throw new IllegalArgumentException("not a stream state document: " + abbreviate(json));
            }
            return new StreamState(new StreamId(o.path("namespace").asText(""), o.get("stream").asText()),
                    o.get("version").asInt(), o.get("value"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stream state is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
