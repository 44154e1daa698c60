package dev.tributary.source.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.DataType;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The type a text from a file has, and its value as a column type's Java representation (see {@link DataType}).
 * Inference is strict so that it never guesses wrong ({@code 01234} stays text); values for a column the user
 * typed explicitly are read leniently ({@code 01234} is the integer 1234 there).
 */
final class TypeInference {
    /** What the parse methods return when a text does not fit the type. */
    static final Object NO_FIT = new Object();

    static final ObjectMapper JSON = new ObjectMapper();

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    private TypeInference() {}

    /** The narrowest type of a non-empty text from a CSV field. */
    static DataType classify(String s) {
        char c = s.charAt(0);
        if (isDigit(c) || c == '-') {
            DataType numeric = numericKind(s);
            if (numeric != null) return numeric;
            return temporalKind(s);
        }
        int n = s.length();
        if ((n == 4 || n == 5) && parseBoolean(s) != null) return DataType.BOOLEAN;
        return DataType.TEXT;
    }

    /** The type of a JSON string: a date or timestamp when it is one in ISO 8601, else text. */
    static DataType classifyJsonString(String s) {
        return s.length() >= 10 && isDigit(s.charAt(0)) ? temporalKind(s) : DataType.TEXT;
    }

    /** The text as a value of an inferred column type, or {@link #NO_FIT}. */
    static Object parseStrict(String s, DataType type) {
        return switch (type) {
            case TEXT -> s;
            case BOOLEAN -> {
                Boolean b = s.length() == 4 || s.length() == 5 ? parseBoolean(s) : null;
                yield b == null ? NO_FIT : b;
            }
            case INTEGER -> strictLong(s);
            case DECIMAL -> {
                DataType k = numericKind(s);
                yield k == DataType.INTEGER || k == DataType.DECIMAL ? new BigDecimal(s) : NO_FIT;
            }
            case NUMBER -> numericKind(s) != null ? (Object) parseDouble(s) : NO_FIT;
            case DATE -> s.length() == 10 && parseTemporal(s) instanceof LocalDate d ? d : NO_FIT;
            case TIMESTAMP -> switch (parseTemporal(s)) {
                case LocalDate d -> d.atStartOfDay();
                case LocalDateTime t -> t;
                case null, default -> NO_FIT;
            };
            case TIMESTAMP_TZ -> toInstant(parseTemporal(s));
            case JSON -> NO_FIT;
        };
    }

    /** The text as a value of a column the user typed explicitly, read leniently, or {@link #NO_FIT}. */
    static Object parseExplicit(String s, DataType type) {
        if (type == DataType.TEXT) return s;
        String t = s.strip();
        if (t.isEmpty()) return NO_FIT;
        return switch (type) {
            case BOOLEAN -> switch (t.toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "y", "1" -> Boolean.TRUE;
                case "false", "f", "no", "n", "0" -> Boolean.FALSE;
                default -> NO_FIT;
            };
            case INTEGER -> {
                try {
                    yield Long.parseLong(t);
                } catch (NumberFormatException e) {
                    BigDecimal d = lenientDecimal(t);
                    yield d == null ? NO_FIT : integralOrNoFit(d);
                }
            }
            case DECIMAL -> {
                BigDecimal d = lenientDecimal(t);
                yield d == null ? NO_FIT : d;
            }
            case NUMBER -> {
                if (!looksNumeric(t)) yield NO_FIT;
                try {
                    double d = parseDouble(t);
                    yield holdsDouble(d, t) ? d : NO_FIT;
                } catch (NumberFormatException e) {
                    yield NO_FIT;
                }
            }
            case DATE -> parseTemporal(t) instanceof LocalDate d ? d : NO_FIT;
            case TIMESTAMP -> switch (parseTemporal(t)) {
                case LocalDate d -> d.atStartOfDay();
                case LocalDateTime dt -> dt;
                case Instant i -> LocalDateTime.ofInstant(i, ZoneOffset.UTC);
                case null, default -> NO_FIT;
            };
            case TIMESTAMP_TZ -> toInstant(parseTemporal(t));
            case JSON -> {
                try {
                    yield JSON.readValue(t, Object.class);
                } catch (JsonProcessingException e) {
                    yield NO_FIT;
                }
            }
            case TEXT -> s;
        };
    }

    /** A value of a narrower type converted to a wider one (as {@link DataType#widen} allows). */
    static Object widenValue(Object v, DataType to) {
        return switch (to) {
            case TEXT -> text(v);
            case DECIMAL -> v instanceof Long l ? BigDecimal.valueOf(l) : v;
            case NUMBER -> v instanceof Number n && !(v instanceof Double) ? n.doubleValue() : v;
            case TIMESTAMP -> v instanceof LocalDate d ? d.atStartOfDay() : v;
            case TIMESTAMP_TZ -> toInstant(v) instanceof Instant i ? i : v;
            default -> v;
        };
    }

    /** A value as text: decimals in plain notation, maps and lists as JSON. */
    static String text(Object v) {
        if (v instanceof String s) return s;
        if (v instanceof dev.tributary.spi.JsonText j) return j.json();
        if (v instanceof BigDecimal d) return d.toPlainString();
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            try {
                return JSON.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                return String.valueOf(v);
            }
        }
        return String.valueOf(v);
    }

    /** How a type is named in a rejection reason: "'abc' is not a decimal". */
    static String describe(DataType type) {
        return switch (type) {
            case BOOLEAN -> "a boolean";
            case INTEGER -> "an integer";
            case DECIMAL -> "a decimal";
            case NUMBER -> "a number";
            case DATE -> "a date (yyyy-mm-dd)";
            case TIMESTAMP -> "a timestamp (yyyy-mm-ddThh:mm:ss)";
            case TIMESTAMP_TZ -> "a timestamp with time zone (ISO 8601)";
            case TEXT -> "text";
            case JSON -> "valid JSON";
        };
    }

    /** The text quoted and shortened for a rejection reason. */
    static String quote(String s) {
        return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
    }

    /** INTEGER, DECIMAL (plain notation, or an integer too big for a long) or NUMBER (exponent); null if none. */
    static DataType numericKind(String s) {
        int n = s.length();
        int i = s.charAt(0) == '-' ? 1 : 0;
        int intStart = i;
        while (i < n && isDigit(s.charAt(i))) i++;
        int intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && s.charAt(intStart) == '0')) return null;
        if (i == n) return intDigits < 19 || strictLong(s) != NO_FIT ? DataType.INTEGER : DataType.DECIMAL;
        if (s.charAt(i) == '.') {
            int fractionStart = ++i;
            while (i < n && isDigit(s.charAt(i))) i++;
            if (i == fractionStart) return null;
            if (i == n) return DataType.DECIMAL;
        }
        char e = s.charAt(i);
        if (e != 'e' && e != 'E') return null;
        i++;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int exponentStart = i;
        while (i < n && isDigit(s.charAt(i))) i++;
        if (i == exponentStart || i != n) return null;
        return holdsDouble(parseDouble(s), s) ? DataType.NUMBER : null;
    }

    /**
     * Whether {@code d}, parsed from {@code written}, is that number to a double's precision: false when it overflowed
     * to infinity ({@code 1e400}) or underflowed to zero ({@code 1e-400}).
     */
    static boolean holdsDouble(double d, String written) {
        if (Double.isInfinite(d) || Double.isNaN(d)) return false;
        if (d != 0) return true;
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == 'e' || c == 'E') return true;
            if (c >= '1' && c <= '9') return false;
        }
        return true;
    }

    /** DATE, TIMESTAMP or TIMESTAMP_TZ when the text is one in ISO 8601, else TEXT. */
    private static DataType temporalKind(String s) {
        return switch (parseTemporal(s)) {
            case LocalDate d -> DataType.DATE;
            case LocalDateTime t -> DataType.TIMESTAMP;
            case Instant i -> DataType.TIMESTAMP_TZ;
            case null, default -> DataType.TEXT;
        };
    }

    /** An integer without sign noise or leading zeros that fits a long, else {@link #NO_FIT}. */
    private static Object strictLong(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = s.charAt(0) == '-';
        if (negative) {
            if (n == 1) return NO_FIT;
            i = 1;
        }
        int digits = n - i;
        if (digits > 19 || (digits > 1 && s.charAt(i) == '0')) return NO_FIT;
        if (digits == 19) {
            for (int j = i; j < n; j++) if (!isDigit(s.charAt(j))) return NO_FIT;
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return NO_FIT;
            }
        }
        long v = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return NO_FIT;
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    /** Jackson's FastDoubleParser: the same correctly rounded result as {@link Double#parseDouble}, several times faster. */
    private static double parseDouble(String s) {
        return NumberInput.parseDouble(s, true);
    }

    private static Boolean parseBoolean(String s) {
        if (s.equalsIgnoreCase("true")) return Boolean.TRUE;
        if (s.equalsIgnoreCase("false")) return Boolean.FALSE;
        return null;
    }

    private static BigDecimal lenientDecimal(String t) {
        if (!looksNumeric(t)) return null;
        try {
            BigDecimal d = new BigDecimal(t);
            return Math.abs(d.scale()) > 1_000 ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Object integralOrNoFit(BigDecimal d) {
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            return NO_FIT;
        }
    }

    private static boolean looksNumeric(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!isDigit(c) && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E') return false;
        }
        return true;
    }

    private static Object toInstant(Object temporal) {
        return switch (temporal) {
            case LocalDate d -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case Instant i -> i;
            case null, default -> NO_FIT;
        };
    }

    /**
     * An ISO 8601 date ({@code 2024-05-01}) as a LocalDate, a local date-time ({@code 2024-05-01T10:15},
     * seconds and up to nine fraction digits optional, 'T' or a space between) as a LocalDateTime, or one with
     * {@code Z} or an offset ({@code +02:00}, {@code +0200}, {@code +02}) as an Instant; null for anything else.
     */
    static Object parseTemporal(String s) {
        int n = s.length();
        if (n < 10 || !isDigit(s, 0, 4) || s.charAt(4) != '-' || !isDigit(s, 5, 2) || s.charAt(7) != '-' || !isDigit(s, 8, 2)) {
            return null;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        if (n == 10) {
            try {
                return LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                return null;
            }
        }
        char separator = s.charAt(10);
        if ((separator != 'T' && separator != ' ' && separator != 't') || n < 16
                || !isDigit(s, 11, 2) || s.charAt(13) != ':' || !isDigit(s, 14, 2)) {
            return null;
        }
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = 0;
        int nanos = 0;
        int i = 16;
        if (i < n && s.charAt(i) == ':') {
            if (n < i + 3 || !isDigit(s, i + 1, 2)) return null;
            second = number(s, i + 1, 2);
            i += 3;
            if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                int fractionStart = ++i;
                while (i < n && isDigit(s.charAt(i))) i++;
                int digits = i - fractionStart;
                if (digits == 0 || digits > 9) return null;
                nanos = number(s, fractionStart, digits) * POWERS_OF_TEN[9 - digits];
            }
        }
        if (i == n) {
            try {
                return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            } catch (DateTimeException e) {
                return null;
            }
        }
        ZoneOffset offset = offset(s, i);
        if (offset == null) return null;
        try {
            // the date and time checked and counted without a LocalDate, LocalTime and LocalDateTime on the way (a value
            // of every row in a timestamp-with-zone column)
            return Instant.ofEpochSecond(IsoChronology.INSTANCE.epochSecond(year, month, day, hour, minute, second, offset), nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The zone at {@code s[i..]}: {@code Z}, or an offset ({@code +02:00}, {@code +0200}, {@code +02}); null for anything else. */
    private static ZoneOffset offset(String s, int i) {
        int n = s.length();
        char zone = s.charAt(i);
        if ((zone == 'Z' || zone == 'z') && i + 1 == n) return ZoneOffset.UTC;
        if (zone != '+' && zone != '-') return null;
        int j = i + 1;
        if (n < j + 2 || !isDigit(s, j, 2)) return null;
        int hours = number(s, j, 2);
        int minutes = 0;
        j += 2;
        if (j < n) {
            if (s.charAt(j) == ':') j++;
            if (n != j + 2 || !isDigit(s, j, 2)) return null;
            minutes = number(s, j, 2);
        }
        try {
            int sign = zone == '-' ? -1 : 1;
            return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isDigit(String s, int from, int count) {
        for (int i = from; i < from + count; i++) if (!isDigit(s.charAt(i))) return false;
        return true;
    }

    private static int number(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) v = v * 10 + (s.charAt(i) - '0');
        return v;
    }
}
