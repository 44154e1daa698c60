package dev.tributary.sandbox.xero.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Xero's Microsoft JSON dates ({@code /Date(1541116800000+0000)/}) and the ISO strings that accompany them. */
public final class MsDate {
    private static final Pattern MS = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");
    private static final DateTimeFormatter CONNECTION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");

    private MsDate() {}

    /** With the +0000 offset, as Xero writes document dates and UpdatedDateUTC. */
    public static String withOffset(long millis) { return "/Date(" + millis + "+0000)/"; }

    /** Without an offset, as in the envelope's DateTimeUTC. */
    public static String plain(long millis) { return "/Date(" + millis + ")/"; }

    /** A date at midnight UTC, as Xero sends Date and DueDate. */
    public static String ofDate(LocalDate d) { return withOffset(d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()); }

    /** {@code 2024-01-02T00:00:00}: DateString and friends. */
    public static String dateString(LocalDate d) { return d + "T00:00:00"; }

    public static LocalDate dateOf(long millis) { return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate(); }

    /** The /connections style: local time without zone, seven fractional digits. */
    public static String connectionTime(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC).format(CONNECTION);
    }

    /** Milliseconds of an MS date, or null when {@code s} is not one. */
    public static Long parse(String s) {
        if (s == null) return null;
        Matcher m = MS.matcher(s);
        return m.matches() ? Long.parseLong(m.group(1)) : null;
    }
}
