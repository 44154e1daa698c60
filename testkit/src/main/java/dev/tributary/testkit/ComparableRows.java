package dev.tributary.testkit;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A relation's rows as sorted text, so that two warehouses' rows compare equal when they hold the same values
 * (DuckDB's and Spark's builds of the same models): numbers by value (1200.50 and 1200.5 alike), timestamps and dates
 * in ISO form.
 */
public final class ComparableRows {
    private ComparableRows() {}

    /** Every row of {@code select * from relation}, as {@code column=value, ...}, sorted. */
    public static List<String> of(Connection c, String relation) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + relation)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(rs.getMetaData().getColumnName(i).toLowerCase() + "=" + text(rs.getObject(i)));
                out.add(String.join(", ", row));
            }
        }
        out.sort(null);
        return out;
    }

    /** One value as text: numbers without trailing zeros, timestamps as local date-times, dates in ISO form. */
    public static String text(Object v) {
        if (v == null) return "null";
        if (v instanceof java.sql.Timestamp t) return t.toLocalDateTime().toString();
        if (v instanceof java.time.OffsetDateTime t) return t.toLocalDateTime().toString();
        if (v instanceof java.sql.Date d) return d.toLocalDate().toString();
        if (v instanceof BigDecimal b) return b.stripTrailingZeros().toPlainString();
        if (v instanceof Double || v instanceof Float) return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
        if (v instanceof Number num) return new BigDecimal(num.toString()).toPlainString();
        return v.toString();
    }
}
