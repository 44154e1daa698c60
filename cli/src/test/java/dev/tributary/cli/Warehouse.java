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
}
