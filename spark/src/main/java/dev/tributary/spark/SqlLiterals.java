package dev.tributary.spark;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Map;

/** Spark SQL literals for prepared-statement parameters, and binding them in place of the {@code ?} marks. */
final class SqlLiterals {
    private SqlLiterals() {}

    static String string(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String number(Object n) {
        if (n == null) return "null";
        if (n instanceof Double d && (d.isNaN() || d.isInfinite())) return "double('" + d + "')";
        if (n instanceof Float f && (f.isNaN() || f.isInfinite())) return "float('" + f + "')";
        if (n instanceof Double || n instanceof Float) return n + "D";
        if (n instanceof Long) return n + "L";
        return String.valueOf(n);
    }

    static String of(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return string(s);
        if (v instanceof BigDecimal b) return b.toPlainString() + "BD";
        if (v instanceof Number n) return number(n);
        if (v instanceof Boolean b) return b.toString();
        if (v instanceof java.sql.Timestamp t) return "timestamp_ntz " + string(t.toLocalDateTime().toString());
        if (v instanceof java.time.LocalDateTime t) return "timestamp_ntz " + string(t.toString());
        if (v instanceof java.sql.Date || v instanceof java.time.LocalDate) return "date " + string(v.toString());
        return string(v.toString());
    }

    /** sql with each {@code ?} outside quotes and comments replaced by its parameter, numbered from 1. */
    static String bind(String sql, Map<Integer, String> parameters) throws SQLException {
        StringBuilder out = new StringBuilder(sql.length() + 16 * parameters.size());
        int index = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '\'' || ch == '"' || ch == '`') {
                int end = closing(sql, i, ch);
                out.append(sql, i, end);
                i = end - 1;
            } else if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                out.append(sql, i, end);
                i = end - 1;
            } else if (ch == '?') {
                String p = parameters.get(++index);
                if (p == null) throw new SQLException("parameter " + index + " is not set");
                out.append(p);
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /**
     * sql with each doubled quote inside a string literal ({@code 'it''s'}, standard SQL, as DuckDB and PostgreSQL read
     * it) written as Spark reads it ({@code 'it\'s'}): Spark takes {@code 'it''s'} for two adjacent strings and gives
     * {@code its}. Backslash escapes, identifiers in double quotes or backticks, and comments are left as they are.
     */
    static String standardQuotes(String sql) {
        if (sql.indexOf("''") < 0) return sql;
        StringBuilder out = new StringBuilder(sql.length() + 8);
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char ch = sql.charAt(i);
            if (ch == '\'') {
                out.append(ch);
                int j = i + 1;
                for (; j < n; j++) {
                    char c = sql.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        out.append(c).append(sql.charAt(++j));
                    } else if (c == '\'' && j + 1 < n && sql.charAt(j + 1) == '\'') {
                        out.append("\\'");
                        j++;
                    } else {
                        out.append(c);
                        if (c == '\'') break;
                    }
                }
                i = j;
            } else if (ch == '"' || ch == '`') {
                int end = closing(sql, i, ch);
                out.append(sql, i, end);
                i = end - 1;
            } else if (ch == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end - 1;
            } else if (ch == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end - 1;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static int closing(String sql, int start, char quote) {
        for (int i = start + 1; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '\\' && quote != '`') i++;
            else if (ch == quote) return i + 1;
        }
        return sql.length();
    }

    static String stripLeadingComments(String sql) {
        String s = sql.stripLeading();
        while (true) {
            if (s.startsWith("--")) {
                int nl = s.indexOf('\n');
                s = nl < 0 ? "" : s.substring(nl + 1).stripLeading();
            } else if (s.startsWith("/*")) {
                int end = s.indexOf("*/");
                s = end < 0 ? "" : s.substring(end + 2).stripLeading();
            } else {
                return s;
            }
        }
    }
}
