package dev.tributary.transform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

final class TestDatabasesDuck {
    private TestDatabasesDuck() {}

    static void exec(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String part : sql.split(";")) if (!part.isBlank()) s.execute(part);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
