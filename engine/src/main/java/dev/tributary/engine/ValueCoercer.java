package dev.tributary.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a value as a source produced it into the Java representation of a column type (see {@link DataType}).
 * Widening conversions always succeed; anything else that does not fit throws {@link CoercionException} with a
 * reason a user can act on.
 */
public final class ValueCoercer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ValueCoercer() {}

    /** Thrown when a value does not fit a type; the message says what and why, without the column name. */
    public static final class CoercionException extends Exception {
        public CoercionException(String message) {
            super(message, null, false, false);
        }
    }

    public static Object coerce(Object value, DataType type) throws CoercionException {
        if (value == null) return null;
        return switch (type) {
            case TEXT -> value instanceof String s ? s : toText(value);
            case INTEGER -> value instanceof Long l ? l : toInteger(value);
            case DECIMAL -> checkRange(value instanceof BigDecimal d ? d : toDecimal(value));
            case NUMBER -> value instanceof Double d ? d : toNumber(value);
            case BOOLEAN -> value instanceof Boolean b ? b : toBoolean(value);
            case DATE -> value instanceof LocalDate d ? d : toDate(value);
            case TIMESTAMP -> value instanceof LocalDateTime t ? t : toTimestamp(value);
            case TIMESTAMP_TZ -> value instanceof Instant i ? i : toInstant(value);
            case JSON -> toJson(value);
        };
    }

    private static String toText(Object value) throws CoercionException {
        if (value instanceof BigDecimal d) return d.toPlainString();
        if (value instanceof JsonText j) return j.json();
        if (value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof JsonNode) return writeJson(value);
        return value.toString();
    }

    private static Long toInteger(Object value) throws CoercionException {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) return ((Number) value).longValue();
        try {
            if (value instanceof BigDecimal d) return d.longValueExact();
            if (value instanceof BigInteger b) return b.longValueExact();
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) return (long) d;
                throw new CoercionException("'" + value + "' is not a whole number");
            }
            if (value instanceof String s) return Long.parseLong(s.trim());
        } catch (ArithmeticException | NumberFormatException e) {
            throw new CoercionException("'" + value + "' is not an integer");
        }
        throw mismatch(value, "an integer");
    }

    private static BigDecimal toDecimal(Object value) throws CoercionException {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger b) return new BigDecimal(b);
        try {
            if (value instanceof Double || value instanceof Float) return new BigDecimal(value.toString());
            if (value instanceof String s) return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw new CoercionException("'" + value + "' is not a decimal number");
        }
        throw mismatch(value, "a decimal number");
    }

    /** Digits a DECIMAL holds before the point: 38 in all, 9 of them after it (see {@link DataType#DECIMAL}). */
    public static final int DECIMAL_INTEGER_DIGITS = 29;

    private static BigDecimal checkRange(BigDecimal d) throws CoercionException {
        if (d.precision() - d.scale() > DECIMAL_INTEGER_DIGITS) {
            throw new CoercionException("'" + d.toPlainString() + "' has more than " + DECIMAL_INTEGER_DIGITS
                    + " digits before the point, too many for a decimal column; declare the column as number or text");
        }
        return d;
    }

    private static Double toNumber(Object value) throws CoercionException {
        if (value instanceof Number n) return n.doubleValue();
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new CoercionException("'" + value + "' is not a number");
            }
        }
        throw mismatch(value, "a number");
    }

    private static Boolean toBoolean(Object value) throws CoercionException {
        if (value instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "y", "1" -> { return Boolean.TRUE; }
                case "false", "f", "no", "n", "0" -> { return Boolean.FALSE; }
                default -> throw new CoercionException("'" + value + "' is not a boolean");
            }
        }
        if (value instanceof Long || value instanceof Integer) {
            long l = ((Number) value).longValue();
            if (l == 0 || l == 1) return l == 1;
        }
        throw mismatch(value, "a boolean");
    }

    private static LocalDate toDate(Object value) throws CoercionException {
        if (value instanceof String s) {
            try {
                return LocalDate.parse(s.trim());
            } catch (DateTimeParseException e) {
                throw new CoercionException("'" + value + "' is not a date (expected yyyy-mm-dd)");
            }
        }
        throw mismatch(value, "a date");
    }

    private static LocalDateTime toTimestamp(Object value) throws CoercionException {
        if (value instanceof LocalDate d) return d.atStartOfDay();
        if (value instanceof String s) {
            String t = s.trim();
            try {
                if (t.length() == 10) return LocalDate.parse(t).atStartOfDay();
                return LocalDateTime.parse(t.replace(' ', 'T'));
            } catch (DateTimeParseException e) {
                throw new CoercionException("'" + value + "' is not a timestamp (expected ISO 8601 date and time)");
            }
        }
        throw mismatch(value, "a timestamp");
    }

    private static Instant toInstant(Object value) throws CoercionException {
        if (value instanceof LocalDateTime t) return t.toInstant(ZoneOffset.UTC);
        if (value instanceof LocalDate d) return d.atStartOfDay().toInstant(ZoneOffset.UTC);
        if (value instanceof OffsetDateTime o) return o.toInstant();
        if (value instanceof ZonedDateTime z) return z.toInstant();
        if (value instanceof String s) {
            String t = s.trim().replace(' ', 'T');
            try {
                if (t.length() == 10) return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
                if (hasOffset(t)) return OffsetDateTime.parse(t).toInstant();
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new CoercionException("'" + value + "' is not a timestamp with time zone (expected ISO 8601)");
            }
        }
        throw mismatch(value, "a timestamp with time zone");
    }

    private static boolean hasOffset(String t) {
        if (t.endsWith("Z") || t.endsWith("z")) return true;
        int tee = t.indexOf('T');
        return tee > 0 && (t.indexOf('+', tee) > 0 || t.indexOf('-', tee) > 0);
    }

    private static Object toJson(Object value) throws CoercionException {
        if (value instanceof JsonText || value instanceof Map<?, ?> || value instanceof List<?> || value instanceof String
                || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof JsonNode n) return JSON.convertValue(n, Object.class);
        if (value instanceof Collection<?> c) return List.copyOf(c);
        return value.toString();
    }

    private static String writeJson(Object value) throws CoercionException {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CoercionException("value cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static CoercionException mismatch(Object value, String expected) {
        return new CoercionException("'" + abbreviate(value) + "' (" + value.getClass().getSimpleName() + ") is not " + expected);
    }

    private static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
