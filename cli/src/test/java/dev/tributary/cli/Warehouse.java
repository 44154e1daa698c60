package dev.tributary.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads a project's DuckDB warehouse file directly, as a user's SQL client would. */
final class Warehouse {
    private Warehouse() {}

    /** The first column of the first row of {@code sql}, as a number. */
    static long number(Path database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows of schema.table a (dead) sync left committed in a project's warehouse.duckdb; 0 before its first commit. */
    static long committedRows(Path project, String schema, String table) throws SQLException {
        Path db = project.resolve("warehouse.duckdb").toAbsolutePath();
        if (!java.nio.file.Files.exists(db)) return 0;
        if (number(db, "select count(*) from information_schema.tables where table_schema = '" + schema + "' and table_name = '" + table + "'") == 0) return 0;
        return number(db, "select count(*) from " + schema + "." + table);
    }
}
