package dev.tributary.source.sheets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configured range: a tab ({@code Leads}, {@code 'Bob''s Import'}) with optional cells ({@code A1:F}, {@code B3:H200},
 * {@code A:F}). Rows are 1-based; a null end is open. Pages are asked for as {@code 'Tab'!A{from}:F{to}}.
 */
record SheetRange(String tab, String startColumn, int startRow, String endColumn, Integer endRow) {
    private static final Pattern CELLS = Pattern.compile("([A-Za-z]{1,3})?([0-9]+)?(?::([A-Za-z]{1,3})?([0-9]+)?)?");

    static SheetRange parse(String text) {
        String t = text.trim();
        String tab;
        String cells = null;
        if (t.startsWith("'")) {
            int i = 1;
            StringBuilder b = new StringBuilder();
            while (i < t.length()) {
                char c = t.charAt(i);
                if (c == '\'') {
                    if (i + 1 < t.length() && t.charAt(i + 1) == '\'') { b.append('\''); i += 2; continue; }
                    break;
                }
                b.append(c);
                i++;
            }
            if (i >= t.length()) throw new IllegalArgumentException("unclosed quote in range " + text);
            tab = b.toString();
            String rest = t.substring(i + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith("!")) throw new IllegalArgumentException("expected ! after the sheet name in range " + text);
                cells = rest.substring(1);
            }
        } else {
            int bang = t.lastIndexOf('!');
            tab = bang < 0 ? t : t.substring(0, bang);
            cells = bang < 0 ? null : t.substring(bang + 1);
        }
        if (tab.isEmpty()) throw new IllegalArgumentException("no sheet name in range " + text);
        if (cells == null || cells.isEmpty()) return new SheetRange(tab, "A", 1, null, null);
        Matcher m = CELLS.matcher(cells);
        if (!m.matches()) throw new IllegalArgumentException("cannot read the cells '" + cells + "' of range " + text + " (A1 notation, e.g. A1:F or A2:H500)");
        String c0 = m.group(1) == null ? "A" : m.group(1).toUpperCase(java.util.Locale.ROOT);
        int r0 = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        String c1 = m.group(3) == null ? (m.group(4) == null && cells.indexOf(':') < 0 ? c0 : null) : m.group(3).toUpperCase(java.util.Locale.ROOT);
        Integer r1 = m.group(4) == null ? (cells.indexOf(':') < 0 ? Integer.valueOf(r0) : null) : Integer.valueOf(m.group(4));
        if (r0 < 1) throw new IllegalArgumentException("rows start at 1 in range " + text);
        return new SheetRange(tab, c0, r0, c1, r1);
    }

    /** Rows {@code from..to} of this range's columns, in A1 notation. */
    String rows(int from, int to, int gridColumns) {
        String end = endColumn != null ? endColumn : SheetRows.columnLetters(Math.max(gridColumns, 1) - 1);
        return quote(tab) + "!" + startColumn + from + ":" + end + to;
    }

    /** Rows {@code from..to} without knowing the grid: whole rows when the range spans all columns. */
    String rows(int from, int to) {
        if (startColumn.equals("A") && endColumn == null) return quote(tab) + "!" + from + ":" + to;
        return quote(tab) + "!" + startColumn + from + ":" + (endColumn != null ? endColumn : "ZZZ") + to;
    }

    static String quote(String title) {
        return "'" + title.replace("'", "''") + "'";
    }
}
