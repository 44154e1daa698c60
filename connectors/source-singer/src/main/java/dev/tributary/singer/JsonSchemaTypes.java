package dev.tributary.singer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Singer stream's JSON Schema as Tributary columns. Each top-level property is one column: {@code string}
 * with {@code format: date-time} is TIMESTAMP_TZ, {@code date} DATE, {@code time} TEXT; {@code integer} INTEGER
 * (values beyond 64 bits widen the column, see {@link SingerStream}); {@code number} NUMBER, or DECIMAL with
 * {@code multipleOf}; {@code format: singer.decimal} (string or number) DECIMAL; {@code boolean} BOOLEAN;
 * {@code object} and {@code array} JSON. Nullable types ({@code ["null", "x"]}) and {@code anyOf}/{@code oneOf}
 * take the widest of their non-null alternatives; alternatives that do not widen to one another are TEXT, or JSON
 * when one of them is an object or array.
 */
public final class JsonSchemaTypes {
    private JsonSchemaTypes() {}

    /**
     * The columns of a SCHEMA message's {@code schema}, with {@code keyProperties} as primary key.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static Schema toSchema(JsonNode schema, List<String> keyProperties) {
        if (schema == null || !schema.isObject()) throw new IllegalArgumentException("'schema' is not a JSON object");
        JsonNode properties = schema.path("properties");
        if (properties.isMissingNode() || properties.isNull()) {
            throw new IllegalArgumentException("'schema' has no 'properties' (a stream's schema must describe its record's properties)");
        }
        if (!properties.isObject()) {
            throw new IllegalArgumentException("'schema.properties' is not an object (it is " + properties.getNodeType().name().toLowerCase() + ")");
        }
        List<Field> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            fields.add(new Field(p.getKey(), type(p.getValue(), "properties." + p.getKey()), true));
        }
        for (String k : keyProperties) {
            if (fields.stream().noneMatch(f -> f.name().equals(k))) {
                // a key the schema does not describe still needs a column; its values decide its type
                fields.add(new Field(k, DataType.TEXT, true));
            }
        }
        return new Schema(fields, keyProperties);
    }

    /** Whether records may carry properties the schema does not list ({@code additionalProperties} is not false). */
    public static boolean allowsAdditionalProperties(JsonNode schema) {
        JsonNode a = schema.path("additionalProperties");
        return !(a.isBoolean() && !a.asBoolean());
    }

    /** The column type of one property schema; {@code where} names it in errors. */
    public static DataType type(JsonNode property, String where) {
        if (property == null || property.isBoolean() || property.isEmpty()) return DataType.JSON; // {} or true: anything
        if (!property.isObject()) throw new IllegalArgumentException("'" + where + "' is not a JSON Schema object");
        String format = property.path("format").asText("");
        if (format.equals("singer.decimal") || format.equals("x-singer.decimal")) return DataType.DECIMAL;
        for (String combinator : List.of("anyOf", "oneOf")) {
            JsonNode alternatives = property.get(combinator);
            if (alternatives != null) {
                if (!alternatives.isArray()) throw new IllegalArgumentException("'" + where + "." + combinator + "' is not a list");
                List<DataType> types = new ArrayList<>();
                for (JsonNode alt : alternatives) {
                    if (isNullOnly(alt)) continue;
                    types.add(type(alt, where + "." + combinator));
                }
                return widest(types);
            }
        }
        JsonNode typeNode = property.get("type");
        Set<String> names = new LinkedHashSet<>();
        if (typeNode == null) {
            if (property.has("properties")) return DataType.JSON;
            if (property.has("items")) return DataType.JSON;
            return DataType.JSON; // no type: any JSON value
        } else if (typeNode.isTextual()) {
            names.add(typeNode.asText());
        } else if (typeNode.isArray()) {
            for (JsonNode t : typeNode) {
                if (!t.isTextual()) throw new IllegalArgumentException("'" + where + ".type' lists a non-string: " + t);
                names.add(t.asText());
            }
        } else {
            throw new IllegalArgumentException("'" + where + ".type' is neither a string nor a list: " + typeNode);
        }
        names.remove("null");
        List<DataType> types = new ArrayList<>();
        for (String n : names) types.add(simpleType(n, format, property, where));
        return widest(types);
    }

    private static boolean isNullOnly(JsonNode alt) {
        JsonNode t = alt.path("type");
        return t.isTextual() && t.asText().equals("null") || t.isArray() && t.size() == 1 && t.get(0).asText().equals("null");
    }

    private static DataType simpleType(String name, String format, JsonNode property, String where) {
        return switch (name) {
            case "string" -> switch (format) {
                case "date-time" -> DataType.TIMESTAMP_TZ;
                case "date" -> DataType.DATE;
                default -> DataType.TEXT; // "time" too: no time-of-day column type, kept as its ISO text
            };
            case "integer" -> DataType.INTEGER;
            case "number" -> property.has("multipleOf") ? DataType.DECIMAL : DataType.NUMBER;
            case "boolean" -> DataType.BOOLEAN;
            case "object", "array" -> DataType.JSON;
            default -> throw new IllegalArgumentException("'" + where + ".type' has unknown type '" + name
                    + "' (JSON Schema types: string, integer, number, boolean, object, array, null)");
        };
    }

    private static DataType widest(List<DataType> types) {
        if (types.isEmpty()) return DataType.TEXT; // only null: nothing to store but nulls
        DataType t = types.get(0);
        for (DataType o : types.subList(1, types.size())) {
            if (t == DataType.JSON || o == DataType.JSON) {
                t = DataType.JSON;
            } else {
                t = t.widen(o);
            }
        }
        return t;
    }
}
