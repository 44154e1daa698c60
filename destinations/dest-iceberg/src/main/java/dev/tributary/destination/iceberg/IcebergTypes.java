package dev.tributary.destination.iceberg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;

/**
 * Engine types as Iceberg types, and values as Iceberg's generic representation: INTEGER long, DECIMAL
 * decimal(38, 9), NUMBER double, DATE date, TIMESTAMP timestamp, TIMESTAMP_TZ timestamptz (OffsetDateTime in UTC),
 * TEXT and JSON string (JSON columns are listed in the table property {@value #JSON_COLUMNS}), BOOLEAN boolean.
 */
final class IcebergTypes {
    static final String JSON_COLUMNS = "tributary.json-columns";
    private static final ObjectMapper JSON = new ObjectMapper();

    private IcebergTypes() {}

    static Type icebergType(DataType t) {
        return switch (t) {
            case BOOLEAN -> Types.BooleanType.get();
            case INTEGER -> Types.LongType.get();
            case DECIMAL -> Types.DecimalType.of(38, 9);
            case NUMBER -> Types.DoubleType.get();
            case DATE -> Types.DateType.get();
            case TIMESTAMP -> Types.TimestampType.withoutZone();
            case TIMESTAMP_TZ -> Types.TimestampType.withZone();
            case TEXT, JSON -> Types.StringType.get();
        };
    }

    /** The engine type of an Iceberg column (as Tributary writes them; other types read as TEXT). */
    static DataType dataType(Type t, boolean json) {
        return switch (t.typeId()) {
            case BOOLEAN -> DataType.BOOLEAN;
            case INTEGER, LONG -> DataType.INTEGER;
            case DECIMAL -> DataType.DECIMAL;
            case FLOAT, DOUBLE -> DataType.NUMBER;
            case DATE -> DataType.DATE;
            case TIMESTAMP -> ((Types.TimestampType) t).shouldAdjustToUTC() ? DataType.TIMESTAMP_TZ : DataType.TIMESTAMP;
            default -> json ? DataType.JSON : DataType.TEXT;
        };
    }

    /** {@code value} (engine representation, possibly of a narrower type) as Iceberg stores a {@code target} value. */
    static Object toIceberg(Object value, DataType target, String origin, String field) {
        if (value == null) return null;
        try {
            return switch (target) {
                case BOOLEAN -> value instanceof Boolean b ? b : fail(value, target);
                case INTEGER -> value instanceof Long l ? l : value instanceof Integer i ? (Object) i.longValue()
                        : value instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValueExact() : fail(value, target);
                case DECIMAL -> decimal(value);
                case NUMBER -> value instanceof Number n ? (Object) n.doubleValue() : fail(value, target);
                case DATE -> value instanceof LocalDate d ? d : fail(value, target);
                case TIMESTAMP -> value instanceof LocalDateTime t ? t.truncatedTo(ChronoUnit.MICROS)
                        : value instanceof LocalDate d ? d.atStartOfDay() : fail(value, target);
                case TIMESTAMP_TZ -> value instanceof Instant i ? i.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)
                        : value instanceof OffsetDateTime o ? o.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS)
                        : value instanceof LocalDateTime t ? t.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)
                        : value instanceof LocalDate d ? d.atStartOfDay().atOffset(ZoneOffset.UTC) : fail(value, target);
                case TEXT -> text(value);
                case JSON -> json(value);
            };
        } catch (ArithmeticException e) {
            throw new DataException(origin, "field '" + field + "': " + value + " does not fit " + target.configName() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new DataException(origin, "field '" + field + "': " + e.getMessage());
        }
    }

    /**
     * {@code value} as {@link #toIceberg} converts it, but in Iceberg's internal representation, what the Parquet writer
     * takes ({@link TableRow}): a DATE as its day number, a TIMESTAMP or TIMESTAMP_TZ as microseconds since the epoch
     * (UTC), so no {@code OffsetDateTime} is made per value.
     */
    static Object toInternal(Object value, DataType target, String origin, String field) {
        if (value == null) return null;
        try {
            return switch (target) {
                case DATE -> value instanceof LocalDate d ? (Object) Math.toIntExact(d.toEpochDay()) : fail(value, target);
                case TIMESTAMP -> value instanceof LocalDateTime t ? micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano())
                        : value instanceof LocalDate d ? micros(d.toEpochDay() * 86_400, 0) : fail(value, target);
                case TIMESTAMP_TZ -> value instanceof Instant i ? micros(i.getEpochSecond(), i.getNano())
                        : value instanceof OffsetDateTime o ? micros(o.toEpochSecond(), o.getNano())
                        : value instanceof LocalDateTime t ? micros(t.toEpochSecond(ZoneOffset.UTC), t.getNano())
                        : value instanceof LocalDate d ? micros(d.toEpochDay() * 86_400, 0) : fail(value, target);
                default -> toIceberg(value, target, origin, field);
            };
        } catch (ArithmeticException e) {
            throw new DataException(origin, "field '" + field + "': " + value + " does not fit " + target.configName() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new DataException(origin, "field '" + field + "': " + e.getMessage());
        }
    }

    /** An instant as Iceberg stores a timestamptz: microseconds since the epoch, truncated. */
    static Long micros(Instant i) {
        return micros(i.getEpochSecond(), i.getNano());
    }

    /** Seconds since the epoch and nanoseconds (0 to 999,999,999, as java.time gives them) as microseconds, truncated. */
    private static Long micros(long seconds, int nanos) {
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1_000);
    }

    /** A value in Iceberg's internal representation ({@link TableRow}) as its generic one, for {@link #keyText}. */
    static Object generic(Object internal, Type type) {
        if (internal == null) return null;
        return switch (type.typeId()) {
            case DATE -> DateTimeUtil.dateFromDays((Integer) internal);
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? DateTimeUtil.timestamptzFromMicros((Long) internal)
                    : DateTimeUtil.timestampFromMicros((Long) internal);
            default -> internal;
        };
    }

    private static Object decimal(Object value) {
        BigDecimal d = value instanceof BigDecimal b ? b : value instanceof Long l ? BigDecimal.valueOf(l)
                : value instanceof Integer i ? BigDecimal.valueOf(i) : value instanceof Double x ? BigDecimal.valueOf(x) : null;
        if (d == null) return fail(value, DataType.DECIMAL);
        BigDecimal scaled = d.setScale(9, RoundingMode.HALF_UP);
        if (scaled.precision() > 38) throw new ArithmeticException("more than 29 digits before the point");
        return scaled;
    }

    private static String text(Object value) {
        if (value instanceof String s) return s;
        if (value instanceof Map<?, ?> || value instanceof List<?> || value instanceof JsonNode) return json(value);
        if (value instanceof OffsetDateTime o) return o.toInstant().toString();
        if (value instanceof BigDecimal d) return d.toPlainString();
        return value.toString();
    }

    private static String json(Object value) {
        if (value instanceof JsonText t) return t.json();
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static Object fail(Object value, DataType target) {
        throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " (" + abbreviate(value) + ") cannot be stored as "
                + target.configName());
    }

    private static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** A stored Iceberg value of a column of {@code from} as a value of the wider {@code to}, for rewriting a column. */
    static Object widen(Object stored, DataType from, DataType to) {
        if (stored == null) return null;
        Object engine = switch (from) {
            case TIMESTAMP_TZ -> ((OffsetDateTime) stored).toInstant();
            default -> stored;
        };
        if (to == DataType.TEXT && from == DataType.JSON) return stored;
        return toIceberg(engine, to, "stored row", "?");
    }

    /** A key part as text, the same for a staged value and a stored one (both in Iceberg's representation). */
    static String keyText(Object icebergValue) {
        if (icebergValue == null) return "\u0000";
        if (icebergValue instanceof BigDecimal d) return d.setScale(9, RoundingMode.HALF_UP).toPlainString();
        if (icebergValue instanceof OffsetDateTime o) return o.toInstant().toString();
        if (icebergValue instanceof CharSequence c) return c.toString();
        return icebergValue.toString();
    }
}
