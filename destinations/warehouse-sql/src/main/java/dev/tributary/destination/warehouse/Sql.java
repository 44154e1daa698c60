package dev.tributary.destination.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Running statements; small enough to need no framework. */
public final class Sql {
    private Sql() {}

    /** Work on the database that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public static void execute(Connection c, List<String> statements) throws SQLException {
        for (String sql : statements) execute(c, sql);
    }

    /**
     * Runs {@code work} as one transaction on {@code c}: commits it, or rolls it back and rethrows. Autocommit is on
     * again afterwards (a failure to restore it means the connection broke, and the failure that broke it is already
     * on its way).
     */
    public static void inTransaction(Connection c, Work<Void> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // see above
            }
        }
    }

    /** Runs {@code sql} with string parameters; returns the update count. */
    public static int update(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) p.setString(i + 1, parameters[i]);
            return p.executeUpdate();
        }
    }
}
