package dev.tributary.destination.postgres;

import dev.tributary.spi.DestinationSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.util.PGobject;

/** Reads query results back as column-name-to-value maps, for assertions. */
final class Rows {
    private Rows() {}

    static List<Map<String, Object>> query(DestinationSession session, String sql) {
        try (Connection c = ((PostgresSession) session).newConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    // jsonb comes out as the driver's PGobject; its text is what was stored.
                    row.put(md.getColumnLabel(i), v instanceof PGobject o ? o.getValue() : v);
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static void execute(DestinationSession session, String sql) {
        try (Connection c = ((PostgresSession) session).newConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Every row of a table, or none when the table does not exist. */
    static List<Map<String, Object>> table(DestinationSession session, TableName table) {
        List<Map<String, Object>> exists = query(session, "SELECT 1 FROM pg_tables WHERE schemaname = " + literal(table.schema())
                + " AND tablename = " + literal(table.table()));
        return exists.isEmpty() ? List.of() : query(session, "SELECT * FROM " + table.quoted());
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
