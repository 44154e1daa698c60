package dev.tributary.transform.jinja;

import com.hubspot.jinjava.el.ext.NamedParameter;
import dev.tributary.transform.jinja.DbtContextObjects.PyDateTime;
import dev.tributary.transform.jinja.DbtContextObjects.PyTimezone;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code datetime} module as {@code modules.datetime}: {@code datetime(...)}, {@code datetime.now(tz)},
 * {@code utcnow()}, {@code today()}, {@code strptime(s, fmt)}, {@code fromisoformat(s)}; {@code date(...)},
 * {@code date.today()}, {@code date.fromisoformat(s)}; {@code timedelta(days=, seconds=, ...)}; {@code timezone.utc}.
 * {@code +} / {@code -} between datetimes, dates and timedeltas are Python's (see {@link PythonSyntax}).
 */
public final class PyDatetimeModule {
    private static final String[] TIMEDELTA_ARGS = {"days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"};

    public DatetimeClass getDatetime() { return new DatetimeClass(); }

    public DateClass getDate() { return new DateClass(); }

    public Map<String, Object> getTimezone() { return Map.of("utc", new PyTimezone(ZoneOffset.UTC)); }

    /** {@code datetime.datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tzinfo=None)}. */
    public PyDateTime datetime(Object... args) {
        Map<String, Object> a = arguments(args, "datetime", "year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo");
        for (String k : List.of("year", "month", "day")) if (!a.containsKey(k)) throw fail("datetime() missing required argument '" + k + "'");
        try {
            LocalDateTime t = LocalDateTime.of(i(a, "year"), i(a, "month"), i(a, "day"), i(a, "hour"), i(a, "minute"), i(a, "second"), i(a, "microsecond") * 1000);
            Object tz = a.get("tzinfo");
            return tz == null ? new PyDateTime(t) : new PyDateTime(t.atZone(zone(tz)));
        } catch (java.time.DateTimeException e) {
            throw fail("datetime(): " + e.getMessage());
        }
    }

    /** {@code datetime.date(year, month, day)}. */
    public PyDateTime date(Object... args) {
        Map<String, Object> a = arguments(args, "date", "year", "month", "day");
        try {
            return new PyDateTime(LocalDate.of(i(a, "year"), i(a, "month"), i(a, "day")).atStartOfDay(), true);
        } catch (java.time.DateTimeException e) {
            throw fail("date(): " + e.getMessage());
        }
    }

    /** {@code datetime.timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0)}. */
    public PyTimedelta timedelta(Object... args) {
        Map<String, Object> a = arguments(args, "timedelta", TIMEDELTA_ARGS);
        double micros = d(a, "days") * 86_400e6 + d(a, "seconds") * 1e6 + d(a, "microseconds") + d(a, "milliseconds") * 1e3
                + d(a, "minutes") * 60e6 + d(a, "hours") * 3_600e6 + d(a, "weeks") * 7 * 86_400e6;
        return new PyTimedelta(Math.round(micros));
    }

    public static final class DatetimeClass {
        public PyDateTime now() { return new PyDateTime(LocalDateTime.now()); }

        public PyDateTime now(Object tz) {
            return tz == null ? now() : new PyDateTime(ZonedDateTime.now(zone(tz)));
        }

        public PyDateTime utcnow() { return new PyDateTime(LocalDateTime.now(ZoneOffset.UTC)); }

        public PyDateTime today() { return now(); }

        public PyDateTime fromisoformat(Object s) { return PyDatetimeModule.fromisoformat(String.valueOf(s), false); }

        public PyDateTime strptime(Object s, Object format) { return PyDatetimeModule.strptime(String.valueOf(s), String.valueOf(format)); }
    }

    public static final class DateClass {
        public PyDateTime today() { return new PyDateTime(LocalDate.now().atStartOfDay(), true); }

        public PyDateTime fromisoformat(Object s) { return PyDatetimeModule.fromisoformat(String.valueOf(s), true); }
    }

    /** A Python timedelta: whole microseconds, with Python's normalised {@code days}, {@code seconds}, {@code microseconds}. */
    public record PyTimedelta(long micros) implements Comparable<PyTimedelta> {
        public long getDays() { return Math.floorDiv(micros, 86_400_000_000L); }
        public long getSeconds() { return Math.floorMod(micros, 86_400_000_000L) / 1_000_000; }
        public long getMicroseconds() { return Math.floorMod(micros, 1_000_000L); }
        public double total_seconds() { return micros / 1e6; }

        Duration duration() { return Duration.ofSeconds(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000); }

        @Override
        public int compareTo(PyTimedelta o) { return Long.compare(micros, o.micros); }

        /** Python's str(): {@code 1 day, 2:03:04}, {@code -1 day, 23:59:59}, {@code 0:00:01.500000}. */
        @Override
        public String toString() {
            long days = getDays();
            long s = getSeconds();
            String hms = String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) + (getMicroseconds() == 0 ? "" : String.format(".%06d", getMicroseconds()));
            return days == 0 ? hms : days + " day" + (Math.abs(days) == 1 ? "" : "s") + ", " + hms;
        }
    }

    /** Python's {@code a + b} / {@code a - b} for datetimes and timedeltas; null when neither side is one (not ours). */
    static Object arithmetic(Object a, Object b, boolean subtract) {
        if (a instanceof PyDateTime t && b instanceof PyTimedelta d) return t.plus(subtract ? -d.micros() : d.micros());
        if (!subtract && a instanceof PyTimedelta d && b instanceof PyDateTime t) return t.plus(d.micros());
        if (a instanceof PyTimedelta x && b instanceof PyTimedelta y) return new PyTimedelta(subtract ? x.micros() - y.micros() : x.micros() + y.micros());
        if (subtract && a instanceof PyDateTime x && b instanceof PyDateTime y) return new PyTimedelta(x.microsSince(y));
        if (a instanceof PyDateTime || b instanceof PyDateTime || a instanceof PyTimedelta || b instanceof PyTimedelta) {
            throw fail("unsupported operand type(s) for " + (subtract ? "-" : "+") + ": '" + pyType(a) + "' and '" + pyType(b) + "'");
        }
        return null;
    }

    private static String pyType(Object o) {
        if (o instanceof PyDateTime t) return t.isDate() ? "datetime.date" : "datetime.datetime";
        if (o instanceof PyTimedelta) return "datetime.timedelta";
        if (o instanceof String) return "str";
        if (o instanceof Number) return o instanceof Double || o instanceof Float ? "float" : "int";
        return o == null ? "NoneType" : o.getClass().getSimpleName();
    }

    static PyDateTime fromisoformat(String s, boolean dateOnly) {
        String t = s.strip();
        try {
            if (t.length() == 10) {
                LocalDate d = LocalDate.parse(t);
                return new PyDateTime(d.atStartOfDay(), dateOnly);
            }
            if (dateOnly) throw fail("Invalid isoformat string: '" + s + "'");
            String iso = t.charAt(10) == ' ' ? t.substring(0, 10) + "T" + t.substring(11) : t;
            if (iso.endsWith("Z") || iso.matches(".*[+-]\\d{2}:?\\d{2}(:\\d{2})?$")) {
                return new PyDateTime(OffsetDateTime.parse(iso.matches(".*[+-]\\d{4}$") ? iso.substring(0, iso.length() - 2) + ":" + iso.substring(iso.length() - 2) : iso).toZonedDateTime());
            }
            return new PyDateTime(LocalDateTime.parse(iso));
        } catch (java.time.DateTimeException | StringIndexOutOfBoundsException e) {
            throw fail("Invalid isoformat string: '" + s + "'");
        }
    }

    private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"};

    /** Python's strptime for %Y %y %m %d %H %I %p %M %S %f %j %z %Z(UTC) %b %B %a %A %%; the whole text must match. */
    static PyDateTime strptime(String s, String format) {
        StringBuilder re = new StringBuilder();
        List<Character> fields = new ArrayList<>();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                re.append(Character.isWhitespace(c) ? "\\s+" : Pattern.quote(String.valueOf(c)));
                continue;
            }
            char d = format.charAt(++i);
            String part = switch (d) {
                case 'Y' -> "(\\d{4})";
                case 'y', 'm', 'd', 'H', 'I', 'M', 'S' -> "(\\d{1,2})";
                case 'f' -> "(\\d{1,6})";
                case 'j' -> "(\\d{1,3})";
                case 'z' -> "(Z|[+-]\\d{2}:?\\d{2})";
                case 'Z' -> "(UTC|GMT)";
                case 'p' -> "(?i)(AM|PM)";
                case 'b', 'B', 'a', 'A' -> "([A-Za-z]+)";
                case '%' -> null;
                default -> throw fail("strptime: '%" + d + "' is not a supported directive");
            };
            if (part == null) {
                re.append("%");
            } else {
                re.append(part);
                fields.add(d);
            }
        }
        Matcher m = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE).matcher(s);
        if (!m.matches()) throw fail("time data '" + s + "' does not match format '" + format + "'");
        int year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0, micro = 0, yday = -1;
        boolean pm = false, twelve = false;
        ZoneOffset offset = null;
        try {
            for (int g = 0; g < fields.size(); g++) {
                String v = m.group(g + 1);
                switch (fields.get(g)) {
                    case 'Y' -> year = Integer.parseInt(v);
                    case 'y' -> year = Integer.parseInt(v) < 69 ? 2000 + Integer.parseInt(v) : 1900 + Integer.parseInt(v);
                    case 'm' -> month = Integer.parseInt(v);
                    case 'd' -> day = Integer.parseInt(v);
                    case 'H' -> hour = Integer.parseInt(v);
                    case 'I' -> { hour = Integer.parseInt(v); twelve = true; }
                    case 'p' -> pm = v.equalsIgnoreCase("PM");
                    case 'M' -> minute = Integer.parseInt(v);
                    case 'S' -> second = Integer.parseInt(v);
                    case 'f' -> micro = Integer.parseInt((v + "00000").substring(0, 6));
                    case 'j' -> yday = Integer.parseInt(v);
                    case 'z' -> offset = v.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(v.length() == 5 ? v.substring(0, 3) + ":" + v.substring(3) : v);
                    case 'Z' -> offset = ZoneOffset.UTC;
                    case 'b', 'B' -> month = monthNumber(v, s, format);
                    default -> { }
                }
            }
            if (twelve) hour = hour % 12 + (pm ? 12 : 0);
            LocalDateTime t = yday > 0 ? LocalDate.ofYearDay(year, yday).atTime(hour, minute, second, micro * 1000)
                    : LocalDateTime.of(year, month, day, hour, minute, second, micro * 1000);
            return offset == null ? new PyDateTime(t) : new PyDateTime(t.atZone(offset));
        } catch (java.time.DateTimeException e) {
            throw fail("time data '" + s + "' does not match format '" + format + "': " + e.getMessage());
        }
    }

    private static int monthNumber(String name, String s, String format) {
        String n = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(n) || (n.length() == 3 && MONTHS[i].startsWith(n))) return i + 1;
        }
        throw fail("time data '" + s + "' does not match format '" + format + "'");
    }

    private static java.time.ZoneId zone(Object tz) {
        if (tz instanceof PyTimezone p) return p.zone();
        return new DbtContextObjects.Pytz().timezone(tz).zone();
    }

    /** Positional then keyword arguments by Python's parameter names; an unknown keyword is an error. */
    private static Map<String, Object> arguments(Object[] args, String function, String... names) {
        Map<String, Object> out = new LinkedHashMap<>();
        int position = 0;
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof NamedParameter np) {
                if (!List.of(names).contains(np.getName())) throw fail(function + "() got an unexpected keyword argument '" + np.getName() + "'");
                out.put(np.getName(), np.getValue());
            } else {
                if (position >= names.length) throw fail(function + "() takes at most " + names.length + " arguments");
                out.put(names[position++], a);
            }
        }
        return out;
    }

    private static int i(Map<String, Object> a, String k) {
        Object v = a.get(k);
        if (v == null) return 0;
        if (v instanceof Number n) return n.intValue();
        throw fail("an integer is required for '" + k + "' (got '" + v + "')");
    }

    private static double d(Map<String, Object> a, String k) {
        Object v = a.get(k);
        if (v == null) return 0;
        if (v instanceof Number n) return n.doubleValue();
        throw fail("unsupported type for timedelta " + k + " component: " + pyType(v));
    }

    private static RuntimeException fail(String message) {
        return DbtContextObjects.failing(new TemplateException("modules.datetime: " + message));
    }
}
