package dev.tributary.source.hubspot;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.DataType;

/** One property definition, reduced to what typing needs: its name, HubSpot type and field type. */
record PropertyDef(String name, String type, String fieldType) {
    PropertyDef {
        requireNonNull(name, "name is null");
        type = type == null ? "string" : type;
        fieldType = fieldType == null ? "" : fieldType;
    }

    static PropertyDef of(JsonNode p) {
        return new PropertyDef(p.path("name").asText(), p.path("type").asText("string"), p.path("fieldType").asText(""));
    }

    /** number as decimal, datetime as timestamp with time zone, date, bool; everything else (enumerations too) text. */
    DataType dataType() {
        return switch (type) {
            case "number" -> DataType.DECIMAL;
            case "datetime" -> DataType.TIMESTAMP_TZ;
            case "date" -> DataType.DATE;
            case "bool" -> DataType.BOOLEAN;
            default -> DataType.TEXT;
        };
    }

    /** A multi-select (multiple checkboxes): values joined with ';', also given as a JSON array column. */
    boolean isMultiSelect() {
        return type.equals("enumeration") && fieldType.equals("checkbox");
    }

    static String arrayColumn(String property) {
        return property + "__values";
    }
}
