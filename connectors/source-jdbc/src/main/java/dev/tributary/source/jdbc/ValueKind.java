package dev.tributary.source.jdbc;

import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * How a column's values come out of a {@link ResultSet} as the Java types {@link DataType} names, and go back
 * in as query parameters (for keyset and cursor positions). Chosen once per column; reading is a switch, not
 * reflection, so it stays cheap for millions of rows.
 */
enum ValueKind {
    BOOLEAN(DataType.BOOLEAN),
    LONG(DataType.INTEGER),
    /** A 4-byte float, widened through its shortest decimal form so that 1.1f reads as 1.1, not 1.100000023841858. */
    FLOAT(DataType.NUMBER),
    DOUBLE(DataType.NUMBER),
    DECIMAL(DataType.DECIMAL),
    DATE(DataType.DATE),
    LOCAL_TIMESTAMP(DataType.TIMESTAMP),
    /** A timestamp with time zone the driver reads as an OffsetDateTime (PostgreSQL timestamptz). */
    OFFSET_TIMESTAMP(DataType.TIMESTAMP_TZ),
    /** A UTC instant the server gives as local time because the session's zone is UTC (MySQL TIMESTAMP). */
    UTC_TIMESTAMP(DataType.TIMESTAMP_TZ),
    STRING(DataType.TEXT),
    /** Binary, as base64 text. */
    BASE64(DataType.TEXT),
    /** JSON text as the server writes it, passed on as {@link JsonText}. */
    JSON(DataType.JSON);

    private final DataType type;

    ValueKind(DataType type) {
        this.type = type;
    }

    DataType type() {
        return type;
    }

    /** True when a value of this kind can be bound back as a parameter, so the column can be a key or a cursor. */
    boolean bindable() {
        return this != JSON;
    }

    Object read(ResultSet rs, int index) throws SQLException {
        switch (this) {
            case BOOLEAN: {
                boolean v = rs.getBoolean(index);
                return rs.wasNull() ? null : v;
            }
            case LONG: {
                long v = rs.getLong(index);
                return rs.wasNull() ? null : v;
            }
            case FLOAT: {
                float v = rs.getFloat(index);
                return rs.wasNull() ? null : Double.parseDouble(Float.toString(v));
            }
            case DOUBLE: {
                double v = rs.getDouble(index);
                return rs.wasNull() ? null : v;
            }
            case DECIMAL:
                return rs.getBigDecimal(index);
            case DATE:
                return rs.getObject(index, LocalDate.class);
            case LOCAL_TIMESTAMP:
                return rs.getObject(index, LocalDateTime.class);
            case OFFSET_TIMESTAMP: {
                OffsetDateTime v = rs.getObject(index, OffsetDateTime.class);
                return v == null ? null : v.toInstant();
            }
            case UTC_TIMESTAMP: {
                LocalDateTime v = rs.getObject(index, LocalDateTime.class);
                return v == null ? null : v.toInstant(ZoneOffset.UTC);
            }
            case STRING:
                return rs.getString(index);
            case BASE64: {
                byte[] v = rs.getBytes(index);
                return v == null ? null : Base64.getEncoder().encodeToString(v);
            }
            case JSON: {
                String v = rs.getString(index);
                return v == null ? null : new JsonText(v);
            }
            default:
                throw new AssertionError(this);
        }
    }

    /** Binds {@code value}, a value this kind reads (as a state decodes it), as parameter {@code index}. */
    void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        switch (this) {
            case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
            case LONG -> ps.setLong(index, ((Number) value).longValue());
            // The stored float widened exactly (0.1f is 0.10000000149011612): servers compare a float column as a
            // double, and a driver may write a float parameter as "0.1", which is another number.
            case FLOAT -> ps.setDouble(index, ((Number) value).floatValue());
            case DOUBLE -> ps.setDouble(index, ((Number) value).doubleValue());
            case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) value);
            case DATE, LOCAL_TIMESTAMP -> ps.setObject(index, value);
            case OFFSET_TIMESTAMP -> ps.setObject(index, OffsetDateTime.ofInstant((Instant) value, ZoneOffset.UTC));
            case UTC_TIMESTAMP -> ps.setObject(index, LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC));
            case STRING -> ps.setString(index, (String) value);
            case BASE64 -> ps.setBytes(index, Base64.getDecoder().decode((String) value));
            case JSON -> throw new IllegalStateException("a JSON value cannot be a query parameter");
        }
    }
}
