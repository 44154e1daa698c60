package dev.tributary.transform;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BooleanSupplier;

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
        inTransaction(c, () -> true, statements);
    }

    /** Runs the statements as one transaction and commits it only when {@code gate} says so right before the commit. */
    static void inTransaction(Connection c, BooleanSupplier gate, String... statements) throws SQLException {
        c.setAutoCommit(false);
        try {
            for (String sql : statements) {
                if (sql != null) execute(c, sql);
            }
            requireGate(gate);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Throws {@link CommitRefused} when {@code gate} refuses: nothing more of the node may be committed. */
    static void requireGate(BooleanSupplier gate) throws CommitRefused {
        if (!gate.getAsBoolean()) throw new CommitRefused();
    }

    /**
     * The commit gate ({@link TransformRunner#useCommitGate}) refused a node's commit: what the node built was rolled
     * back or not started, and the command stops (the nodes not started are skipped).
     */
    static final class CommitRefused extends SQLException {
        CommitRefused() {
            super("not committed: the commit gate refused (this process may no longer write for the run: another worker may resume it)");
        }
    }
}
