package dev.tributary.destination.postgres;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The text format of {@code COPY ... FROM STDIN} for rejections: a backslash, tab, newline and carriage return
 * inside a value are escaped ({@code \\}, {@code \t}, {@code \n}, {@code \r}), so only {@code \N} means NULL;
 * times in UTC. And PostgreSQL's limit on text (no U+0000). Value conversions are the kit's {@code StagedValues}.
 */
final class CopyValues {
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
