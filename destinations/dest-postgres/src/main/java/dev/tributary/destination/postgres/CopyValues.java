package dev.tributary.destination.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
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
import java.util.Locale;
import java.util.Map;

/**
 * Converts values to the Java type of their column (see {@link DataType}) when they arrive as another and their
 * meaning survives, as the DuckDB destination does, for {@link BinaryCopyBuffer}; and writes the text format of
 * {@code COPY ... FROM STDIN} for rejections: a backslash, tab, newline and carriage return inside a value are
 * escaped ({@code \\}, {@code \t}, {@code \n}, {@code \r}), so only {@code \N} means NULL; times in UTC.
 */
final class CopyValues {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DECIMAL_PRECISION = 38;
    private static final int DECIMAL_SCALE = 9;

    private CopyValues() {}

    /** An instant as a timestamptz value, for the metadata columns. */
    static void instant(StringBuilder row, Instant i) {
        timestamp(row, LocalDateTime.ofInstant(i, ZoneOffset.UTC), true);
    }

    /** PostgreSQL text cannot hold U+0000, so a value with one fails. */
    static String checkText(String s) {
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("PostgreSQL text cannot hold the character U+0000");
        return s;
    }

    /** Text that must be stored whatever it holds (rejected input): U+0000 becomes U+FFFD. */
    static void anyText(StringBuilder row, String s) {
        escape(row, s.replace('\0', '\uFFFD'));
    }

    private static void escape(StringBuilder row, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> row.append("\\\\");
                case '\t' -> row.append("\\t");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                default -> row.append(ch);
            }
        }
    }

    static boolean toBoolean(Object v) {
        if (v instanceof Boolean b) return b;
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }

    static long toLong(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Number n) return new BigDecimal(n.toString()).longValueExact();
        return Long.parseLong(v.toString().trim());
    }

    static BigDecimal toDecimal(Object v) {
        BigDecimal d = switch (v) {
            case BigDecimal b -> b;
            case Long l -> BigDecimal.valueOf(l);
            case BigInteger i -> new BigDecimal(i);
            default -> new BigDecimal(v.toString().trim());
        };
        // Rounded here as numeric(38,9) would round it, so that a value too big fails with the record's origin.
        BigDecimal scaled = d.scale() >= 0 && d.scale() <= DECIMAL_SCALE ? d : d.setScale(DECIMAL_SCALE, RoundingMode.HALF_UP);
        if (scaled.precision() - scaled.scale() > DECIMAL_PRECISION - DECIMAL_SCALE) throw new ArithmeticException("more than " + (DECIMAL_PRECISION - DECIMAL_SCALE) + " digits before the point");
        return scaled;
    }

    static LocalDateTime toLocalDateTime(Object v) {
        return switch (v) {
            case LocalDateTime t -> t;
            case LocalDate d -> d.atStartOfDay();
            case Instant i -> LocalDateTime.ofInstant(i, ZoneOffset.UTC);
            case OffsetDateTime o -> o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            default -> LocalDateTime.parse(v.toString().trim());
        };
    }

    /** Times without a zone are taken as UTC, the same as the connections' time zone. */
    static Instant toInstant(Object v) {
        return switch (v) {
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case ZonedDateTime z -> z.toInstant();
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
            default -> OffsetDateTime.parse(v.toString().trim()).toInstant();
        };
    }

    static String toText(Object v) {
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
    static String toJson(Object v) {
        if (v instanceof JsonText j) return j.json();
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void timestamp(StringBuilder row, LocalDateTime t, boolean utc) {
        ymd(row, t.toLocalDate());
        row.append(' ');
        pad(row, t.getHour(), 2).append(':');
        pad(row, t.getMinute(), 2).append(':');
        pad(row, t.getSecond(), 2);
        int micros = t.getNano() / 1_000;
        if (micros != 0) pad(row.append('.'), micros, 6);
        if (utc) row.append("+00");
        if (t.getYear() <= 0) row.append(" BC");
    }

    private static void ymd(StringBuilder row, LocalDate d) {
        int year = d.getYear();
        pad(row, year <= 0 ? 1 - year : year, 4).append('-');
        pad(row, d.getMonthValue(), 2).append('-');
        pad(row, d.getDayOfMonth(), 2);
    }

    private static StringBuilder pad(StringBuilder row, int value, int width) {
        for (int limit = 10, i = 1; i < width; i++, limit *= 10) {
            if (value < limit) row.append('0');
        }
        return row.append(value);
    }
}
