package dev.tributary.source.jdbc;

import dev.tributary.spi.DataException;
import dev.tributary.spi.TransientException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One connection, inside a read-only snapshot transaction from the moment it opens: discovery, checks and reads
 * all go through one. Failures come out with the password removed, as {@link TransientException} when retrying
 * from the last commit may help (a lost connection), else as {@link DataException}.
 */
final class JdbcSession implements AutoCloseable {
    private final Dialect dialect;
    private final ConnectionSettings settings;
    private final Connection connection;

    private JdbcSession(Dialect dialect, ConnectionSettings settings, Connection connection) {
        this.dialect = dialect;
        this.settings = settings;
        this.connection = connection;
    }

    static JdbcSession open(Dialect dialect, ConnectionSettings settings) {
        Connection c;
        try {
            c = dialect.driver().connect(settings.url(), settings.properties());
        } catch (SQLException e) {
            throw failure(dialect, settings, "cannot connect to " + dialect.product() + " at " + settings.location(), e);
        }
        if (c == null) {
            throw new DataException(settings.location(), "the " + dialect.product() + " driver does not accept this URL");
        }
        try {
            dialect.beginReadOnly(c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure(dialect, settings, "cannot start a read-only transaction on " + settings.location(), e);
        }
        return new JdbcSession(dialect, settings, c);
    }

    Connection connection() {
        return connection;
    }

    Dialect dialect() {
        return dialect;
    }

    ConnectionSettings settings() {
        return settings;
    }

    /** The exception for {@code e} while {@code doing} something, without the password. */
    RuntimeException failure(String doing, SQLException e) {
        return failure(dialect, settings, doing, e);
    }

    static RuntimeException failure(Dialect dialect, ConnectionSettings settings, String doing, SQLException e) {
        String original = describe(e);
        String message = settings.redact(doing + ": " + original);
        // A cause whose message held a secret would print it further up: leave it off then.
        Throwable cause = message.equals(doing + ": " + original) ? e : null;
        if (dialect.isTransient(e)) return new TransientException(message, cause);
        return new DataException("", message, cause);
    }

    private static String describe(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        if (e.getSQLState() != null && !m.contains(e.getSQLState())) m += " [SQLState " + e.getSQLState() + "]";
        return m;
    }

    @Override
    public void close() {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) connection.rollback();
        } catch (SQLException e) {
            // Read only: nothing to keep or lose; the connection is closed next.
        }
        closeQuietly(connection);
    }

    /**
     * Drops the connection at once. For a read closed in the middle of a streamed result: MariaDB's driver would
     * otherwise read every remaining row off the socket before the connection could close.
     */
    void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | SecurityException e) {
            // Closed normally instead.
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Already broken; nothing else to release.
        }
    }
}
