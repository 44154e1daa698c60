package dev.tributary.sandbox.sheets.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A range in A1 notation: {@code Sheet1}, {@code Sheet1!A1:D4}, {@code 'Leads 2026'!A2:F} (open-ended),
 * {@code 'Bob''s'!A:A} (whole column), {@code Sheet1!3:5} (whole rows), {@code A1:B2} (first sheet), {@code B7}.
 * Bounds are 0-based and inclusive; null means open (to the data's edge).
 */
public record A1Range(String sheet, Integer startRow, Integer startColumn, Integer endRow, Integer endColumn) {
    private static final Pattern REF = Pattern.compile("([A-Za-z]{0,3})([0-9]{0,7})");

    /** Parses {@code text}; a bare name is a sheet if {@code isSheet} says so, else a cell range on the first sheet. */
    public static A1Range parse(String text, java.util.function.Predicate<String> isSheet) {
        String t = text.trim();
        if (t.isEmpty()) throw new IllegalArgumentException("Unable to parse range: " + text);
        String sheet = null;
        String cells;
        if (t.startsWith("'")) {
            StringBuilder name = new StringBuilder();
            int i = 1;
            while (true) {
                if (i >= t.length()) throw new IllegalArgumentException("Unable to parse range: " + text);
                char ch = t.charAt(i);
                if (ch == '\'') {
                    if (i + 1 < t.length() && t.charAt(i + 1) == '\'') { name.append('\''); i += 2; continue; }
                    i++;
                    break;
                }
                name.append(ch);
                i++;
            }
            sheet = name.toString();
            if (i == t.length()) return new A1Range(sheet, null, null, null, null);
            if (t.charAt(i) != '!') throw new IllegalArgumentException("Unable to parse range: " + text);
            cells = t.substring(i + 1);
        } else {
            int bang = t.lastIndexOf('!');
            if (bang >= 0) {
                sheet = t.substring(0, bang);
                cells = t.substring(bang + 1);
            } else if (isSheet.test(t)) {
                return new A1Range(t, null, null, null, null);
            } else {
                cells = t;
            }
        }
        return cells(sheet, cells, text);
    }

    private static A1Range cells(String sheet, String cells, String original) {
        String[] parts = cells.split(":", -1);
        if (parts.length > 2) throw new IllegalArgumentException("Unable to parse range: " + original);
        int[] a = ref(parts[0], original);
        int[] b = parts.length == 2 ? ref(parts[1], original) : a;
        // a[0] column (-1 = none), a[1] row (-1 = none)
        if (parts.length == 1 && (a[0] < 0 || a[1] < 0)) throw new IllegalArgumentException("Unable to parse range: " + original);
        int startCol = Math.max(a[0], 0);
        int startRow = Math.max(a[1], 0);
        Integer endCol = b[0] < 0 ? null : b[0];
        Integer endRow = b[1] < 0 ? null : b[1];
        // "A:B" has no rows at all, "1:3" no columns: both ends must agree
        if ((a[0] < 0) != (b[0] < 0) && a[1] < 0) throw new IllegalArgumentException("Unable to parse range: " + original);
        if (a[0] < 0 && b[0] < 0 && (a[1] < 0 || b[1] < 0)) throw new IllegalArgumentException("Unable to parse range: " + original);
        if (endCol != null && endCol < startCol) { int x = startCol; startCol = endCol; endCol = x; }
        if (endRow != null && endRow < startRow) { int x = startRow; startRow = endRow; endRow = x; }
        return new A1Range(sheet, startRow, startCol, endRow, endCol);
    }

    /** {column, row}, each -1 when absent; 0-based. */
    private static int[] ref(String s, String original) {
        Matcher m = REF.matcher(s);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) throw new IllegalArgumentException("Unable to parse range: " + original);
        int col = m.group(1).isEmpty() ? -1 : columnIndex(m.group(1));
        int row = m.group(2).isEmpty() ? -1 : Integer.parseInt(m.group(2)) - 1;
        if (m.group(2).length() > 0 && row < 0) throw new IllegalArgumentException("Unable to parse range: " + original);
        return new int[] {col, row};
    }

    public static int columnIndex(String letters) {
        int n = 0;
        for (char ch : letters.toUpperCase(java.util.Locale.ROOT).toCharArray()) n = n * 26 + (ch - 'A' + 1);
        return n - 1;
    }

    public static String columnLetters(int index) {
        StringBuilder b = new StringBuilder();
        int n = index + 1;
        while (n > 0) {
            int rem = (n - 1) % 26;
            b.insert(0, (char) ('A' + rem));
            n = (n - 1) / 26;
        }
        return b.toString();
    }

    /** A sheet title as A1 notation needs it: quoted (apostrophes doubled) unless it is letters, digits and underscores. */
    public static String quoteTitle(String title) {
        return title.matches("[A-Za-z_][A-Za-z0-9_]*") && !title.matches("[A-Za-z]{1,3}[0-9]+") ? title : "'" + title.replace("'", "''") + "'";
    }

    /** {@code Sheet!A1:F120} for 0-based inclusive bounds. */
    public static String format(String title, int r0, int c0, int r1, int c1) {
        String start = columnLetters(c0) + (r0 + 1);
        String end = columnLetters(c1) + (r1 + 1);
        return quoteTitle(title) + "!" + (start.equals(end) ? start : start + ":" + end);
    }
}
