package dev.tributary.singer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.DataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of a Singer tap's output, parsed: SCHEMA, RECORD, STATE, ACTIVATE_VERSION or BATCH. {@code origin} says
 * where the line was ({@code tap stdout:17}) for errors. Numbers are read exactly (no double rounding).
 */
public sealed interface SingerMessage {
    String origin();

    record SchemaMessage(String origin, String stream, JsonNode schema, List<String> keyProperties, List<String> bookmarkProperties)
            implements SingerMessage {}

    record RecordMessage(String origin, String stream, ObjectNode record, Optional<String> timeExtracted, Optional<Long> version)
            implements SingerMessage {}

    record StateMessage(String origin, JsonNode value, String line) implements SingerMessage {}

    record ActivateVersionMessage(String origin, String stream, long version) implements SingerMessage {}

    record BatchMessage(String origin, String stream, String format, String compression, List<String> manifest) implements SingerMessage {}

    ObjectMapper JSON = JsonMapperHolder.MAPPER;

    /** Parses one line; throws {@link DataException} naming {@code origin} for anything that is not a Singer message. */
    static SingerMessage parse(String line, String origin) {
        JsonNode m;
        try {
            m = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new DataException(origin, "not a JSON message: " + e.getOriginalMessage() + " in: " + abbreviate(line));
        }
        if (m == null || !m.isObject()) throw new DataException(origin, "not a Singer message (expected a JSON object): " + abbreviate(line));
        String type = m.path("type").asText("");
        return switch (type) {
            case "SCHEMA" -> new SchemaMessage(origin, stream(m, origin), require(m, "schema", origin), strings(m, "key_properties", origin),
                    strings(m, "bookmark_properties", origin));
            case "RECORD" -> {
                JsonNode r = require(m, "record", origin);
                if (!r.isObject()) throw new DataException(origin, "RECORD of stream '" + m.path("stream").asText() + "': 'record' is not a JSON object");
                yield new RecordMessage(origin, stream(m, origin), (ObjectNode) r,
                        m.hasNonNull("time_extracted") ? Optional.of(m.get("time_extracted").asText()) : Optional.empty(),
                        m.path("version").canConvertToLong() ? Optional.of(m.get("version").asLong()) : Optional.empty());
            }
            case "STATE" -> new StateMessage(origin, require(m, "value", origin), line);
            case "ACTIVATE_VERSION" -> {
                JsonNode v = require(m, "version", origin);
                if (!v.canConvertToLong()) throw new DataException(origin, "ACTIVATE_VERSION: 'version' is not a whole number: " + v);
                yield new ActivateVersionMessage(origin, stream(m, origin), v.asLong());
            }
            case "BATCH" -> {
                JsonNode enc = m.path("encoding");
                String format = enc.path("format").asText("jsonl");
                String compression = enc.path("compression").asText("none");
                List<String> manifest = strings(m, "manifest", origin);
                yield new BatchMessage(origin, stream(m, origin), format, compression, manifest);
            }
            case "" -> throw new DataException(origin, "message has no 'type': " + abbreviate(line));
            default -> throw new DataException(origin, "unknown message type '" + type
                    + "' (Singer messages: SCHEMA, RECORD, STATE, ACTIVATE_VERSION, BATCH)");
        };
    }

    private static String stream(JsonNode m, String origin) {
        JsonNode s = m.get("stream");
        if (s == null || !s.isTextual() || s.asText().isBlank()) {
            throw new DataException(origin, m.path("type").asText() + " message has no 'stream'");
        }
        return s.asText();
    }

    private static JsonNode require(JsonNode m, String key, String origin) {
        JsonNode v = m.get(key);
        if (v == null || v.isNull()) throw new DataException(origin, m.path("type").asText() + " message has no '" + key + "'");
        return v;
    }

    private static List<String> strings(JsonNode m, String key, String origin) {
        JsonNode v = m.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (!v.isArray()) throw new DataException(origin, m.path("type").asText() + ": '" + key + "' is not a list");
        for (JsonNode e : v) {
            if (e.isArray() && e.size() == 1) e = e.get(0); // some taps write key paths as one-element lists
            if (!e.isTextual()) throw new DataException(origin, m.path("type").asText() + ": '" + key + "' holds a non-string: " + e);
            out.add(e.asText());
        }
        return out;
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /** Keeps the shared mapper out of the interface's public constants' initialisation order. */
    final class JsonMapperHolder {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

        static {
            MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(200_000_000).build());
        }

        private JsonMapperHolder() {}
    }
}
