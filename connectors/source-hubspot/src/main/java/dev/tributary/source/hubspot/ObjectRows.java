package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Record;
import dev.tributary.spi.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns CRM records into rows of an object stream: fixed columns, one typed column per property, a JSON array
 * column beside each multi-select, and {@code _invalid_values}, which keeps (as text) every value that does not
 * fit its property's declared type, so a bad value never fails the sync. {@code ""} becomes NULL.
 */
final class ObjectRows {
    static final String ID = "id";
    static final String MERGED_INTO = "merged_into_id";
    static final String INVALID = "_invalid_values";
    static final List<Field> FIXED = List.of(new Field(ID, DataType.TEXT, false), Field.of("createdAt", DataType.TIMESTAMP_TZ),
            Field.of("updatedAt", DataType.TIMESTAMP_TZ), Field.of("archived", DataType.BOOLEAN),
            Field.of("archivedAt", DataType.TIMESTAMP_TZ), Field.of(MERGED_INTO, DataType.TEXT));

    private final String stream;
    private final Schema schema;
    private final Map<String, PropertyDef> byColumn = new LinkedHashMap<>();
    /** Column positions by name: a record carries every selected property (~450 for contacts), so a linear
     *  {@code Schema.indexOf} per value made each row cost O(columns^2). */
    private final Map<String, Integer> columnIndex = new java.util.HashMap<>();
    private final Map<String, Long> invalidCounts = new TreeMap<>();

    ObjectRows(String stream, Schema schema, List<PropertyDef> properties) {
        this.stream = stream;
        this.schema = schema;
        for (PropertyDef p : properties) byColumn.put(p.name(), p);
        List<Field> fields = schema.fields();
        for (int i = 0; i < fields.size(); i++) columnIndex.putIfAbsent(fields.get(i).name(), i);
    }

    /** The position of {@code column} in the schema, or -1. */
    int indexOf(String column) {
        Integer i = columnIndex.get(column);
        return i == null ? -1 : i;
    }

    /** The stream's schema for these properties: fixed columns, then properties by name. */
    static Schema schema(List<PropertyDef> properties) {
        List<Field> fields = new ArrayList<>(FIXED);
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (Field f : FIXED) taken.add(f.name());
        taken.add(INVALID);
        List<PropertyDef> sorted = new ArrayList<>(properties);
        sorted.sort(Comparator.comparing(PropertyDef::name));
        for (PropertyDef p : sorted) {
            if (!taken.add(p.name())) continue;
            fields.add(Field.of(p.name(), p.dataType()));
            if (p.isMultiSelect() && taken.add(PropertyDef.arrayColumn(p.name()))) {
                fields.add(Field.of(PropertyDef.arrayColumn(p.name()), DataType.JSON));
            }
        }
        fields.add(Field.of(INVALID, DataType.JSON));
        return new Schema(fields, List.of(ID));
    }

    Schema schema() {
        return schema;
    }

    /** Values that did not fit their type, by property, so far. */
    Map<String, Long> invalidCounts() {
        return invalidCounts;
    }

    Record live(JsonNode r) {
        Object[] values = new Object[schema.fields().size()];
        String id = r.path("id").asText();
        put(values, ID, id);
        put(values, "createdAt", instantOrNull(r.path("createdAt").asText("")));
        put(values, "updatedAt", instantOrNull(r.path("updatedAt").asText("")));
        put(values, "archived", r.path("archived").asBoolean(false));
        ObjectNode invalid = null;
        JsonNode props = r.path("properties");
        for (var it = props.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isNull()) continue;
            String raw = e.getValue().asText();
            if (raw.isEmpty()) continue;
            PropertyDef def = byColumn.get(e.getKey());
            int i = indexOf(e.getKey());
            if (def == null || i < 0 || i < FIXED.size()) continue;
            Object v = convert(def, raw);
            if (v == null) {
                if (invalid == null) invalid = HubspotClient.JSON.createObjectNode();
                invalid.put(def.name(), raw);
                invalidCounts.merge(def.name(), 1L, Long::sum);
                continue;
            }
            values[i] = v;
            if (def.isMultiSelect()) {
                int j = indexOf(PropertyDef.arrayColumn(def.name()));
                if (j >= 0) {
                    ArrayNode a = HubspotClient.JSON.createArrayNode();
                    for (String part : raw.split(";")) if (!part.isEmpty()) a.add(part);
                    values[j] = new JsonText(a.toString());
                }
            }
        }
        if (invalid != null) put(values, INVALID, new JsonText(invalid.toString()));
        return new Record(values, "hubspot:" + stream + "/" + id);
    }

    /** An archived record, as the archived listing gives it: a soft delete at its archive time. */
    Record archived(JsonNode r, Instant archivedAt) {
        Object[] values = new Object[schema.fields().size()];
        String id = r.path("id").asText();
        put(values, ID, id);
        put(values, "createdAt", instantOrNull(r.path("createdAt").asText("")));
        put(values, "updatedAt", instantOrNull(r.path("updatedAt").asText("")));
        put(values, "archived", true);
        put(values, "archivedAt", archivedAt);
        return new Record(values, "hubspot:" + stream + "/" + id + " (archived)", archivedAt);
    }

    /** A record merged away into {@code survivor}: deleted, pointing at the record that absorbed it. */
    Record merged(String mergedId, String survivor, Instant at) {
        Object[] values = new Object[schema.fields().size()];
        put(values, ID, mergedId);
        put(values, MERGED_INTO, survivor);
        return new Record(values, "hubspot:" + stream + "/" + mergedId + " (merged into " + survivor + ")", at);
    }

    private void put(Object[] values, String column, Object value) {
        int i = indexOf(column);
        if (i >= 0) values[i] = value;
    }

    /** The value in its declared type, or null when it does not fit (the caller keeps the raw text). */
    static Object convert(PropertyDef def, String raw) {
        String s = raw.trim();
        try {
            return switch (def.dataType()) {
                case DECIMAL -> {
                    BigDecimal d = new BigDecimal(s);
                    yield d.precision() - d.scale() > 29 ? null : d;
                }
                case TIMESTAMP_TZ -> instant(s);
                case DATE -> date(s);
                case BOOLEAN -> s.equalsIgnoreCase("true") ? Boolean.TRUE : s.equalsIgnoreCase("false") ? Boolean.FALSE : null;
                default -> raw;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Instant instant(String s) {
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) return Instant.ofEpochMilli(Long.parseLong(s));
        if (s.length() == 10) return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        return OffsetDateTime.parse(s).toInstant();
    }

    static LocalDate date(String s) {
        if (s.length() == 10) return LocalDate.parse(s);
        return instant(s).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    static Instant instantOrNull(String s) {
        if (s == null || s.isEmpty()) return null;
        try {
            return instant(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
