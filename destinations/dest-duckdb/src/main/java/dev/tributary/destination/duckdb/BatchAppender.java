package dev.tributary.destination.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.destination.warehouse.Column;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.duckdb.DuckDBAppender;

/**
 * Bulk-loads one batch into a writer's staging tables through DuckDB's appender; the caller closes (flushes) it.
 * The column plan (where each staging column's value sits in the record, and its type) is worked out once per
 * batch, so each value costs one switch. Values normally arrive as the Java type of their column (see
 * {@link DataType}); others are converted when their meaning survives, such as a number into a text column or a
 * date into a timestamp column. Decimals are rounded half-up to the 9 places that DECIMAL(38,9) holds.
 */
final class BatchAppender {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DECIMAL_PRECISION = 38;
    private static final int DECIMAL_SCALE = 9;

    private BatchAppender() {}

    /** Appends the batch's records numbered from {@code firstSeq}; returns the next free number. */
    static long appendRecords(DuckDBAppender a, List<Column> columns, RecordBatch batch, long firstSeq, Instant stagedAt) throws SQLException {
        int width = columns.size();
        int[] valueIndex = new int[width];
        DataType[] types = new DataType[width];
        for (int i = 0; i < width; i++) {
            valueIndex[i] = batch.schema().indexOf(columns.get(i).sourceName());
            types[i] = columns.get(i).type();
        }
        long stagedMicros = epochMicros(stagedAt);
        long seq = firstSeq;
        for (Record r : batch.records()) {
            a.beginRow();
            a.append(seq++);
            a.appendEpochMicros(stagedMicros);
            if (r.deletedAt() == null) a.appendNull(); else a.appendEpochMicros(epochMicros(r.deletedAt()));
            Object[] values = r.values();
            for (int i = 0; i < width; i++) {
                int at = valueIndex[i];
                Object v = at < 0 || at >= values.length ? null : values[at];
                if (v == null) {
                    a.appendNull();
                } else {
                    try {
                        appendValue(a, types[i], v);
                    } catch (RuntimeException e) {
                        throw new DataException(r.origin(), columns.get(i).sourceName() + ": cannot store " + describe(v)
                                + " as " + types[i].configName() + ": " + e.getMessage(), e);
                    }
                }
            }
            a.endRow();
        }
        return seq;
    }

    static void appendRejections(DuckDBAppender a, List<Rejection> rejections, long seq, Instant rejectedAt) throws SQLException {
        long micros = epochMicros(rejectedAt);
        for (Rejection r : rejections) {
            a.beginRow().append(seq).append(r.origin()).append(r.reason()).append(r.raw()).appendEpochMicros(micros).endRow();
        }
    }

    private static void appendValue(DuckDBAppender a, DataType type, Object v) throws SQLException {
        switch (type) {
            case BOOLEAN -> a.append(v instanceof Boolean b ? b.booleanValue() : parseBoolean(v.toString()));
            case INTEGER -> a.append(v instanceof Long l ? l.longValue() : toLong(v));
            case DECIMAL -> a.append(toDecimal(v));
            case NUMBER -> a.append(v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim()));
            case DATE -> a.append(v instanceof LocalDate d ? d : LocalDate.parse(v.toString().trim()));
            case TIMESTAMP -> a.append(toLocalDateTime(v));
            case TIMESTAMP_TZ -> a.appendEpochMicros(epochMicros(toInstant(v)));
            case TEXT -> a.append(toText(v));
            case JSON -> a.append(toJson(v));
        }
    }

    private static boolean parseBoolean(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }

    private static long toLong(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Number n) return new BigDecimal(n.toString()).longValueExact();
        return Long.parseLong(v.toString().trim());
    }

    private static BigDecimal toDecimal(Object v) {
        BigDecimal d = switch (v) {
            case BigDecimal b -> b;
            case Long l -> BigDecimal.valueOf(l);
            case BigInteger i -> new BigDecimal(i);
            default -> new BigDecimal(v.toString().trim());
        };
        // DuckDB's appender wants the column's exact scale; digits beyond it are rounded, as a cast would.
        BigDecimal scaled = d.scale() == DECIMAL_SCALE ? d : d.setScale(DECIMAL_SCALE, RoundingMode.HALF_UP);
        if (scaled.precision() > DECIMAL_PRECISION) throw new ArithmeticException("more than " + (DECIMAL_PRECISION - DECIMAL_SCALE) + " digits before the point");
        return scaled;
    }

    private static LocalDateTime toLocalDateTime(Object v) {
        return switch (v) {
            case LocalDateTime t -> t;
            case LocalDate d -> d.atStartOfDay();
            case Instant i -> LocalDateTime.ofInstant(i, ZoneOffset.UTC);
            case OffsetDateTime o -> o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            default -> LocalDateTime.parse(v.toString().trim());
        };
    }

    /** Times without a zone are taken as UTC, the same as the sessions' time zone. */
    private static Instant toInstant(Object v) {
        return switch (v) {
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case ZonedDateTime z -> z.toInstant();
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
            default -> OffsetDateTime.parse(v.toString().trim()).toInstant();
        };
    }

    private static String toText(Object v) {
        return switch (v) {
            case String s -> s;
            case JsonText j -> j.json();
            case BigDecimal d -> d.toPlainString();
            case java.util.Map<?, ?> m -> toJson(m);
            case java.util.Collection<?> l -> toJson(l);
            case com.fasterxml.jackson.databind.JsonNode n -> n.isTextual() ? n.textValue() : n.toString();
            default -> v.toString();
        };
    }

    /** Every JSON value, a string included, is written as JSON text, so that the column always holds valid JSON. */
    private static String toJson(Object v) {
        if (v instanceof JsonText j) return j.json();
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static long epochMicros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
    }

    private static String describe(Object v) {
        String s = String.valueOf(v);
        return (s.length() > 60 ? s.substring(0, 60) + "..." : s) + " (" + v.getClass().getSimpleName() + ")";
    }
}
