package dev.tributary.destination.postgres;

import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriterLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * One writer per connection: a session-level advisory lock keyed by (metadata schema, connection), held by a
 * connection of its own (outside the pool) for the whole sync. PostgreSQL lets go of it when that connection ends,
 * so a writer that dies frees the connection for the next. The holder is recorded in
 * {@code <metadata schema>._tributary_writers} (connection, holder, locked_at) and in the lock session's
 * {@code application_name}, so that a second writer can name it.
 */
final class WriterLocks {
    static final String TABLE = "_tributary_writers";

    private final String metadataSchema;
    private final String table;

    WriterLocks(String metadataSchema) {
        this.metadataSchema = metadataSchema;
        this.table = new TableName(metadataSchema, TABLE).quoted();
    }

    void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (connection text PRIMARY KEY, holder text NOT NULL, locked_at timestamptz NOT NULL)");
        }
    }

    /**
     * Takes the lock on {@code dedicated}, a fresh connection that the returned lock closes; when another session
     * holds it, closes {@code dedicated} and throws {@link WarehouseBusyException} naming the holder.
     */
    WriterLock lock(Connection dedicated, String connection, LockHolder holder, String where) throws SQLException {
        boolean returned = false;
        boolean locked;
        try {
            dedicated.setAutoCommit(true);
            try (PreparedStatement p = dedicated.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                p.setString(1, applicationName(holder));
                p.execute();
            }
            try (PreparedStatement p = dedicated.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?), hashtext(?))")) {
                p.setString(1, "tributary-writer:" + metadataSchema);
                p.setString(2, connection);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    locked = rs.getBoolean(1);
                }
            }
            if (!locked) {
                LockHolder current = holderOf(dedicated, connection);
                throw new WarehouseBusyException("connection " + connection + " is being written to " + where + " by " + current.describe(), current);
            }
            try (PreparedStatement p = dedicated.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?) "
                    + "ON CONFLICT (connection) DO UPDATE SET holder = excluded.holder, locked_at = excluded.locked_at")) {
                p.setString(1, connection);
                p.setString(2, holder.encode());
                p.setTimestamp(3, Timestamp.from(holder.since()));
                p.executeUpdate();
            }
            // closing the dedicated connection ends the session and so the lock
            WriterLock held = WriterLock.releasedBy(connection, () -> closeQuietly(dedicated));
            returned = true;
            return held;
        } finally {
            // Any failure, even after the lock was taken (recording the holder), ends the session and so the lock.
            if (!returned) dedicated.close();
        }
    }

    /** What the holder recorded; the holding session's application name when it has not recorded itself yet. */
    private LockHolder holderOf(Connection c, String connection) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT holder FROM " + table + " WHERE connection = ?")) {
            p.setString(1, connection);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    LockHolder recorded = LockHolder.decode(rs.getString(1));
                    if (recorded != null && holdsLock(c, connection)) return recorded;
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT a.application_name, a.pid, coalesce(host(a.client_addr), 'local'), a.backend_start "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                + "AND l.classid::int = hashtext(?) AND l.objid::int = hashtext(?) AND l.objsubid = 2")) {
            p.setString(1, "tributary-writer:" + metadataSchema);
            p.setString(2, connection);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    Timestamp since = rs.getTimestamp(4);
                    return new LockHolder(rs.getString(1) + " (server session " + rs.getInt(2) + ")", 0, rs.getString(3),
                            since == null ? Instant.EPOCH : since.toInstant());
                }
            }
        }
        return LockHolder.unknown("another writer");
    }

    /** Whether the recorded holder can be the one holding the lock now (a row may outlive a writer that died). */
    private boolean holdsLock(Connection c, String connection) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND classid::int = hashtext(?) AND objid::int = hashtext(?) AND objsubid = 2")) {
            p.setString(1, "tributary-writer:" + metadataSchema);
            p.setString(2, connection);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** PostgreSQL keeps 63 bytes of it; the lock-info row has the rest. */
    private static String applicationName(LockHolder holder) {
        String name = "tributary writer pid " + holder.pid() + ": " + holder.command();
        return name.length() > 60 ? name.substring(0, 60) : name;
    }

    private static void closeQuietly(Connection dedicated) {
        try {
            dedicated.close();
        } catch (SQLException e) {
            // a connection that cannot close cleanly is gone, and its lock with it
        }
    }
}
