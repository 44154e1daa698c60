package dev.tributary.sandbox.snowflake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB results in Snowflake's JSON result format: {@code rowtype} (name, type, precision, scale, length, nullable)
 * and {@code rowset}, every value a string as Snowflake sends it: numbers in plain notation, dates as days since the
 * epoch, times as seconds since midnight, timestamps as epoch seconds with nine decimals (TIMESTAMP_TZ followed by the
 * offset in minutes plus 1440), booleans as 1/0, binary as hex, VARIANT as JSON text.
 */
final class ResultEncoder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");
    static final long TEXT_LENGTH = 16_777_216L;

    /** A column: Snowflake type name (lower-case, as in rowtype) with precision, scale and length. */
    record ColumnType(String type, Integer precision, Integer scale, Long length) {
        static ColumnType text() {
            return new ColumnType("text", null, null, TEXT_LENGTH);
        }

        static ColumnType fixed(int precision, int scale) {
            return new ColumnType("fixed", precision, scale, null);
        }
    }

    private ResultEncoder() {}

    static ColumnType snowflakeType(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        Matcher m = DECIMAL.matcher(t);
        if (m.matches()) return ColumnType.fixed(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        if (t.endsWith("[]") || t.startsWith("STRUCT") || t.startsWith("MAP")) return new ColumnType(t.startsWith("STRUCT") || t.startsWith("MAP") ? "object" : "array", null, null, TEXT_LENGTH);
        return switch (t) {
            case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT", "UHUGEINT" -> ColumnType.fixed(38, 0);
            case "DOUBLE", "FLOAT", "REAL" -> new ColumnType("real", null, null, null);
            case "BOOLEAN" -> new ColumnType("boolean", null, null, null);
            case "DATE" -> new ColumnType("date", null, null, null);
            case "TIME" -> new ColumnType("time", 0, 9, null);
            case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" -> new ColumnType("timestamp_ntz", 0, 9, null);
            case "TIMESTAMP WITH TIME ZONE" -> new ColumnType("timestamp_tz", 0, 9, null);
            case "JSON" -> new ColumnType("variant", null, null, TEXT_LENGTH);
            case "BLOB" -> new ColumnType("binary", null, null, 8_388_608L);
            default -> ColumnType.text();
        };
    }

    static ObjectNode rowtypeEntry(String name, ColumnType type) {
        ObjectNode c = NODES.objectNode();
        c.put("name", name);
        c.put("database", "");
        c.put("schema", "");
        c.put("table", "");
        c.put("nullable", true);
        c.put("type", type.type());
        if (type.length() == null) c.putNull("byteLength"); else c.put("byteLength", type.length());
        if (type.length() == null) c.putNull("length"); else c.put("length", type.length());
        if (type.precision() == null) c.putNull("precision"); else c.put("precision", type.precision());
        if (type.scale() == null) c.putNull("scale"); else c.put("scale", type.scale());
        c.putNull("collation");
        return c;
    }

    /** The rowtype of a DuckDB result's columns. */
    static ArrayNode rowtype(ResultSetMetaData md) throws SQLException {
        ArrayNode types = NODES.arrayNode();
        for (int i = 1; i <= md.getColumnCount(); i++) types.add(rowtypeEntry(md.getColumnLabel(i), snowflakeType(md.getColumnTypeName(i))));
        return types;
    }

    /** Every row of rs, encoded by the column types of rowtype. */
    static ArrayNode rowset(ResultSet rs, List<ColumnType> types) throws SQLException {
        ArrayNode rows = NODES.arrayNode();
        while (rs.next()) {
            ArrayNode row = rows.addArray();
            for (int i = 0; i < types.size(); i++) {
                Object raw = types.get(i).type().equals("timestamp_ntz") ? rs.getObject(i + 1, LocalDateTime.class)
                        : types.get(i).type().equals("timestamp_tz") ? rs.getObject(i + 1, OffsetDateTime.class) : rs.getObject(i + 1);
                String v = encode(raw, types.get(i));
                if (v == null) row.addNull(); else row.add(v);
            }
        }
        return rows;
    }

    static String encode(Object v, ColumnType type) {
        if (v == null) return null;
        return switch (type.type()) {
            case "fixed" -> v instanceof BigDecimal d ? d.setScale(type.scale(), java.math.RoundingMode.UNNECESSARY).toPlainString() : v.toString();
            case "real" -> v instanceof Double d && (d.isNaN() || d.isInfinite()) ? (d.isNaN() ? "NaN" : d > 0 ? "inf" : "-inf") : v.toString();
            case "boolean" -> Boolean.TRUE.equals(v) ? "1" : "0";
            case "date" -> String.valueOf(localDate(v).toEpochDay());
            case "time" -> seconds(localTime(v).toNanoOfDay());
            case "timestamp_ntz" -> epoch(localDateTime(v).toInstant(ZoneOffset.UTC));
            case "timestamp_tz" -> {
                OffsetDateTime o = (OffsetDateTime) v;
                yield epoch(o.toInstant()) + " " + (o.getOffset().getTotalSeconds() / 60 + 1440);
            }
            case "binary" -> HexFormat.of().withUpperCase().formatHex((byte[]) (v instanceof java.sql.Blob b ? bytes(b) : v));
            default -> v.toString();
        };
    }

    private static byte[] bytes(java.sql.Blob b) {
        try {
            return b.getBytes(1, (int) b.length());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String epoch(Instant instant) {
        return seconds(BigInteger.valueOf(instant.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L)).add(BigInteger.valueOf(instant.getNano())));
    }

    private static String seconds(long nanos) {
        return seconds(BigInteger.valueOf(nanos));
    }

    private static String seconds(BigInteger nanos) {
        return new BigDecimal(nanos, 9).toPlainString();
    }

    private static LocalDate localDate(Object v) {
        if (v instanceof LocalDate d) return d;
        if (v instanceof java.sql.Date d) return d.toLocalDate();
        return LocalDate.parse(v.toString());
    }

    private static LocalTime localTime(Object v) {
        if (v instanceof LocalTime t) return t;
        if (v instanceof java.sql.Time t) return t.toLocalTime();
        return LocalTime.parse(v.toString());
    }

    private static LocalDateTime localDateTime(Object v) {
        if (v instanceof LocalDateTime t) return t;
        if (v instanceof java.sql.Timestamp t) return t.toLocalDateTime();
        return LocalDateTime.parse(v.toString().replace(' ', 'T'));
    }
}
