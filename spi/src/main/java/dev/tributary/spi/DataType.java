package dev.tributary.spi;

/**
 * The engine's column types. Java value representation, which sources produce and destinations accept:
 * BOOLEAN Boolean, INTEGER Long, NUMBER Double, DECIMAL BigDecimal, DATE LocalDate, TIMESTAMP LocalDateTime,
 * TIMESTAMP_TZ Instant (stored in UTC), TEXT String, JSON any of Map, List, String, Number, Boolean, or
 * {@link JsonText} (JSON already written out).
 *
 * <p>DECIMAL holds up to 38 digits, 9 of them after the point (values are rounded to 9 places); a value with
 * more than 29 digits before the point does not fit and is rejected.
 *
 * <p>Types only ever widen (see {@link #widen}): INTEGER to DECIMAL or NUMBER, DATE to TIMESTAMP to
 * TIMESTAMP_TZ, and anything to TEXT, so a value stored once can always be stored again.
 */
public enum DataType {
    BOOLEAN, INTEGER, DECIMAL, NUMBER, DATE, TIMESTAMP, TIMESTAMP_TZ, TEXT, JSON;

    /** The narrowest type that holds every value of both types. */
    public DataType widen(DataType other) {
        if (this == other) return this;
        if (isNumeric() && other.isNumeric()) {
            if (this == NUMBER || other == NUMBER) return NUMBER;
            return DECIMAL;
        }
        if (isTemporal() && other.isTemporal()) {
            return ordinal() > other.ordinal() ? this : other;
        }
        return TEXT;
    }

    /** True when a column of this type can take every value of {@code narrower} without loss of meaning. */
    public boolean canHold(DataType narrower) {
        return widen(narrower) == this;
    }

    public boolean isNumeric() {
        return this == INTEGER || this == DECIMAL || this == NUMBER;
    }

    public boolean isTemporal() {
        return this == DATE || this == TIMESTAMP || this == TIMESTAMP_TZ;
    }

    /** Parses a type name as written in configuration: case-insensitive, with common aliases. */
    public static DataType parse(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "boolean", "bool" -> BOOLEAN;
            case "integer", "int", "bigint", "long" -> INTEGER;
            case "decimal", "numeric" -> DECIMAL;
            case "number", "double", "float" -> NUMBER;
            case "date" -> DATE;
            case "timestamp", "datetime" -> TIMESTAMP;
            case "timestamp_tz", "timestamptz", "timestamp with time zone" -> TIMESTAMP_TZ;
            case "text", "string", "varchar" -> TEXT;
            case "json", "object", "array" -> JSON;
            default -> throw new IllegalArgumentException("unknown type '" + name
                    + "' (expected one of boolean, integer, decimal, number, date, timestamp, timestamp_tz, text, json)");
        };
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
