package dev.tributary.transform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs statements on a connection, optionally as one transaction. */
final class SqlRunner {
    private SqlRunner() {}

    static int execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            boolean rs = s.execute(sql);
            return rs ? -1 : s.getUpdateCount();
        }
    }

    static void inTransaction(Connection c, String... statements) throws SQLException {
        c.setAutoCommit(false);
        try {
            for (String sql : statements) {
                if (sql != null) execute(c, sql);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
