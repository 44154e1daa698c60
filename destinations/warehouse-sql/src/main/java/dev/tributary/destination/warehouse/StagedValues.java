package dev.tributary.destination.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Values on their way into staging, for every bulk-load path. They normally arrive as the Java type of their column
 * (see {@link DataType}); others are converted when their meaning survives (a number into a text column, a date into
 * a timestamp column...), else the batch fails with a {@link DataException} naming the record's origin and field
 * ({@link #cannotStore}). Times without a zone are UTC. Decimals are rounded half-up to the 9 places of
 * DECIMAL(38,9); more than 29 digits before the point is an error.
 */
public final class StagedValues {
    public static final int DECIMAL_PRECISION = 38;
    public static final int DECIMAL_SCALE = 9;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StagedValues() {}

    /** Where each column's value sits in the batch's records ({@code -1}: not in this batch). */
    public static int[] valueIndexes(List<Column> columns, RecordBatch batch) {
        int[] index = new int[columns.size()];
        for (int i = 0; i < index.length; i++) index[i] = batch.schema().indexOf(columns.get(i).sourceName());
        return index;
    }

    public static DataType[] types(List<Column> columns) {
        return columns.stream().map(Column::type).toArray(DataType[]::new);
    }

    /** The value at {@code at} of a record's values; null when the record has none there. */
    public static Object valueAt(Object[] values, int at) {
        return at < 0 || at >= values.length ? null : values[at];
    }

    /** The failure of storing {@code v} of record {@code r} in {@code column}. */
    public static DataException cannotStore(Record r, Column column, Object v, RuntimeException cause) {
        return new DataException(r.origin(), column.sourceName() + ": cannot store " + describe(v) + " as " + column.type().configName()
                + ": " + cause.getMessage(), cause);
    }

    public static boolean toBoolean(Object v) {
        if (v instanceof Boolean b) return b;
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }

    public static long toLong(Object v) {
        if (v instanceof Long l) return l;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Number n) return new BigDecimal(n.toString()).longValueExact();
        return Long.parseLong(v.toString().trim());
    }

    public static double toDouble(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
    }

    public static LocalDate toLocalDate(Object v) {
        return v instanceof LocalDate d ? d : LocalDate.parse(v.toString().trim());
    }

    /** At most {@value #DECIMAL_SCALE} places (rounded half-up, as a DECIMAL(38,9) column would), so that a value too big fails here. */
    public static BigDecimal toDecimal(Object v) {
        BigDecimal d = switch (v) {
            case BigDecimal b -> b;
            case Long l -> BigDecimal.valueOf(l);
            case BigInteger i -> new BigDecimal(i);
            default -> new BigDecimal(v.toString().trim());
        };
        BigDecimal scaled = d.scale() >= 0 && d.scale() <= DECIMAL_SCALE ? d : d.setScale(DECIMAL_SCALE, RoundingMode.HALF_UP);
        if (scaled.precision() - scaled.scale() > DECIMAL_PRECISION - DECIMAL_SCALE) {
            throw new ArithmeticException("more than " + (DECIMAL_PRECISION - DECIMAL_SCALE) + " digits before the point");
        }
        return scaled;
    }

    public static LocalDateTime toLocalDateTime(Object v) {
        return switch (v) {
            case LocalDateTime t -> t;
            case LocalDate d -> d.atStartOfDay();
            case Instant i -> LocalDateTime.ofInstant(i, ZoneOffset.UTC);
            case OffsetDateTime o -> o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            default -> LocalDateTime.parse(v.toString().trim());
        };
    }

    /** Times without a zone are taken as UTC, the same as the sessions' time zone. */
    public static Instant toInstant(Object v) {
        return switch (v) {
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case ZonedDateTime z -> z.toInstant();
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
            default -> OffsetDateTime.parse(v.toString().trim()).toInstant();
        };
    }

    public static String toText(Object v) {
        return switch (v) {
            case String s -> s;
            case JsonText j -> j.json();
            case BigDecimal d -> d.toPlainString();
            case Map<?, ?> m -> toJson(m);
            case Collection<?> l -> toJson(l);
            case JsonNode n -> n.isTextual() ? n.textValue() : n.toString();
            default -> v.toString();
        };
    }

    /** Every JSON value, a string included, is written as JSON text, so that the column always holds valid JSON. */
    public static String toJson(Object v) {
        if (v instanceof JsonText j) return j.json();
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static long epochMicros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
    }

    /** A value for a message: its first 60 characters and its Java type. */
    public static String describe(Object v) {
        String s = String.valueOf(v);
        return (s.length() > 60 ? s.substring(0, 60) + "..." : s) + " (" + v.getClass().getSimpleName() + ")";
    }
}
