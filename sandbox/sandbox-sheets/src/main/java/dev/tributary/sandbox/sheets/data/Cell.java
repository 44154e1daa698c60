package dev.tributary.sandbox.sheets.data;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Objects;

/**
 * One stored cell as Sheets keeps it: an effective value (text, number or boolean), a number format, and the
 * formula that produced it, if any. Dates and times are numbers (serial days since 1899-12-30) with a date format.
 */
public record Cell(Object value, Format format, String formula) {
    /** Day zero of Sheets' (and Lotus') serial dates. */
    public static final LocalDate SERIAL_EPOCH = LocalDate.of(1899, 12, 30);

    public enum Format { GENERAL, DATE, DATE_TIME, CURRENCY }

    public Cell {
        Objects.requireNonNull(format, "format is null");
        if (!(value instanceof String || value instanceof Double || value instanceof Boolean)) {
            throw new IllegalArgumentException("a cell holds text, a number or a boolean, not " + value);
        }
    }

    public static Cell text(String s) { return new Cell(s, Format.GENERAL, null); }
    public static Cell number(double d) { return new Cell(d, Format.GENERAL, null); }
    public static Cell currency(double d) { return new Cell(d, Format.CURRENCY, null); }
    public static Cell date(LocalDate d) { return new Cell((double) (d.toEpochDay() - SERIAL_EPOCH.toEpochDay()), Format.DATE, null); }
    public static Cell formula(String formula, double result) { return new Cell(result, Format.GENERAL, formula); }

    /** A value typed into the control API: JSON numbers stay numbers, "=..." strings are kept as formulas of themselves. */
    public static Cell of(Object v) {
        if (v == null) return null;
        if (v instanceof Number n) return number(n.doubleValue());
        if (v instanceof Boolean b) return new Cell(b, Format.GENERAL, null);
        String s = v.toString();
        return s.isEmpty() ? null : text(s);
    }

    public static boolean isEmpty(Cell c) {
        return c == null || (c.value instanceof String s && s.isEmpty());
    }

    /** What FORMATTED_VALUE shows (en_US locale, as a new spreadsheet has). */
    public String formatted() {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b ? "TRUE" : "FALSE";
            case Double d -> switch (format) {
                case GENERAL -> plain(d);
                case DATE -> formatDate(d);
                case DATE_TIME -> formatDateTime(d);
                case CURRENCY -> currencyFormat().format(d);
            };
            default -> String.valueOf(value);
        };
    }

    /** What UNFORMATTED_VALUE returns: numbers as JSON numbers (dates too, or formatted with FORMATTED_STRING). */
    public Object unformatted(boolean datesAsStrings) {
        if (value instanceof Double d && datesAsStrings && (format == Format.DATE || format == Format.DATE_TIME)) return formatted();
        return value;
    }

    public boolean isDate() {
        return value instanceof Double && (format == Format.DATE || format == Format.DATE_TIME);
    }

    public static LocalDate dateOf(double serial) {
        return SERIAL_EPOCH.plusDays((long) Math.floor(serial));
    }

    private static String formatDate(double serial) {
        LocalDate d = dateOf(serial);
        return d.getMonthValue() + "/" + d.getDayOfMonth() + "/" + d.getYear();
    }

    private static String formatDateTime(double serial) {
        LocalDateTime t = dateOf(serial).atStartOfDay().plusSeconds(Math.round((serial - Math.floor(serial)) * 86_400));
        return t.getMonthValue() + "/" + t.getDayOfMonth() + "/" + t.getYear() + " " + t.getHour() + ":"
                + String.format(Locale.ROOT, "%02d:%02d", t.getMinute(), t.getSecond());
    }

    static String plain(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static DecimalFormat currencyFormat() {
        return new DecimalFormat("$#,##0.00", DecimalFormatSymbols.getInstance(Locale.US));
    }
}
