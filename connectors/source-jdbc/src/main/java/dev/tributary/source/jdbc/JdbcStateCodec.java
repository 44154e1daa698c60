package dev.tributary.source.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.DataType;
import dev.tributary.spi.StateCodec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link JdbcState} as JSON, version 1:
 * <pre>
 * {"mode": "incremental", "cursor": "updated_at",
 *  "position": [{"column": "updated_at", "type": "timestamp_tz", "value": "2024-05-01T10:00:00.123456Z"},
 *               {"column": "id", "type": "integer", "value": 42}]}
 * {"mode": "full", "position": [{"column": "id", "type": "integer", "value": 42}]}
 * {"mode": "full", "complete": true}
 * </pre>
 * {@code inclusive: true} is written only when set. Values keep their exact type: integers as JSON numbers,
 * decimals as strings (every digit and the scale), dates and times as ISO-8601 strings with every fraction
 * digit, a double as a number (or "NaN", "Infinity" as strings), text as strings.
 */
final class JdbcStateCodec implements StateCodec<JdbcState> {
    static final JdbcStateCodec INSTANCE = new JdbcStateCodec();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public int currentVersion() {
        return 1;
    }

    @Override
    public JsonNode encode(JdbcState state) {
        ObjectNode o = NODES.objectNode();
        o.put("mode", state.mode().name().toLowerCase(Locale.ROOT));
        state.cursor().ifPresent(c -> o.put("cursor", c));
        if (!state.position().isEmpty()) {
            ArrayNode position = o.putArray("position");
            for (JdbcState.PositionValue v : state.position()) {
                ObjectNode entry = position.addObject().put("column", v.column()).put("type", v.type().configName());
                entry.set("value", value(v.type(), v.value()));
            }
        }
        if (state.inclusive()) o.put("inclusive", true);
        if (state.complete()) o.put("complete", true);
        return o;
    }

    @Override
    public JdbcState decode(int version, JsonNode value) {
        if (version != 1) throw new IllegalStateException("database source state version " + version + " is unknown");
        try {
            JdbcState.Mode mode = JdbcState.Mode.valueOf(text(value, "mode").toUpperCase(Locale.ROOT));
            Optional<String> cursor = value.hasNonNull("cursor") ? Optional.of(text(value, "cursor")) : Optional.empty();
            List<JdbcState.PositionValue> position = new ArrayList<>();
            for (JsonNode entry : value.path("position")) {
                DataType type = DataType.parse(text(entry, "type"));
                position.add(new JdbcState.PositionValue(text(entry, "column"), type, decodeValue(type, entry.get("value"))));
            }
            return new JdbcState(mode, cursor, position, value.path("inclusive").asBoolean(false), value.path("complete").asBoolean(false));
        } catch (DateTimeParseException | IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new IllegalStateException("database source state is damaged (" + e.getMessage() + "); run a full refresh of the stream", e);
        }
    }

    /** The JSON for a position value; the Java type is the one {@link DataType}'s javadoc names. */
    static JsonNode value(DataType type, Object v) {
        return switch (type) {
            case BOOLEAN -> NODES.booleanNode((Boolean) v);
            case INTEGER -> {
                long l = ((Number) v).longValue();
                yield l == (int) l ? NODES.numberNode((int) l) : NODES.numberNode(l);
            }
            case DECIMAL -> NODES.textNode(((BigDecimal) v).toPlainString());
            case NUMBER -> {
                double d = ((Number) v).doubleValue();
                yield Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(Double.toString(d));
            }
            case DATE -> NODES.textNode(((LocalDate) v).toString());
            case TIMESTAMP -> NODES.textNode(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) v));
            case TIMESTAMP_TZ -> NODES.textNode(((Instant) v).toString());
            case TEXT -> NODES.textNode((String) v);
            case JSON -> throw new IllegalArgumentException("a JSON column cannot be a position");
        };
    }

    static Object decodeValue(DataType type, JsonNode v) {
        if (v == null || v.isNull()) throw new IllegalArgumentException("a position value is missing");
        return switch (type) {
            case BOOLEAN -> {
                if (!v.isBoolean()) throw new IllegalArgumentException("expected true or false, got " + v);
                yield v.booleanValue();
            }
            case INTEGER -> {
                if (!v.canConvertToLong() || !v.isIntegralNumber()) throw new IllegalArgumentException("expected a whole number, got " + v);
                yield v.longValue();
            }
            case DECIMAL -> new BigDecimal(v.asText());
            case NUMBER -> v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText());
            case DATE -> LocalDate.parse(v.asText());
            case TIMESTAMP -> LocalDateTime.parse(v.asText());
            case TIMESTAMP_TZ -> Instant.parse(v.asText());
            case TEXT -> {
                if (!v.isTextual()) throw new IllegalArgumentException("expected text, got " + v);
                yield v.textValue();
            }
            case JSON -> throw new IllegalArgumentException("a JSON column cannot be a position");
        };
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("'" + key + "' is missing");
        return v.asText();
    }
}
