package dev.tributary.destination.snowflake;

import static dev.tributary.destination.snowflake.SnowflakeDialect.ident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.RunId;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.TransientException;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriterLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An open Snowflake database. Tributary's own tables live in schema {@code <prefix>TRIBUTARY}: {@code _TRIBUTARY_STATE}
 * (one row per connection and stream, written in the transaction of the data it describes) and
 * {@code _TRIBUTARY_LOCKS} (one row per connection being written: Snowflake has no advisory locks, so the row is the
 * lock; closing the session deletes its rows). Each writer works on a connection of its own.
 */
public final class SnowflakeSession implements DestinationSession {
    static final String STATE = "_TRIBUTARY_STATE";
    static final String LOCKS = "_TRIBUTARY_LOCKS";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnowflakeSettings settings;
    private final Connection connection;
    private final String metadataSchema;
    private final Set<String> lockedHere = ConcurrentHashMap.newKeySet();
    private final Set<String> schemasMade = ConcurrentHashMap.newKeySet();

    SnowflakeSession(SnowflakeSettings settings) {
        this.settings = settings;
        this.metadataSchema = SnowflakeDialect.identifier(settings.schemaPrefix() + "tributary");
        try {
            this.connection = SnowflakeDriver.connect(settings);
        } catch (SQLException e) {
            throw failure("connecting", e);
        }
        try (Statement s = connection.createStatement()) {
            ensureSchema(connection, metadataSchema);
            s.execute("CREATE TABLE IF NOT EXISTS " + table(STATE) + " (CONNECTION VARCHAR NOT NULL, NAMESPACE VARCHAR NOT NULL, STREAM VARCHAR NOT NULL,"
                    + " VERSION NUMBER(10,0) NOT NULL, VALUE VARCHAR NOT NULL, RUN_ID VARCHAR NOT NULL, COMMITTED_AT TIMESTAMP_TZ NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + table(LOCKS) + " (CONNECTION VARCHAR NOT NULL, HOLDER VARCHAR NOT NULL, LOCKED_AT TIMESTAMP_TZ NOT NULL)");
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure("creating " + metadataSchema + "'s tables", e);
        }
    }

    /** A new connection to the same database, as the destination's settings make it (for writers, models, tests). */
    public Connection newConnection() {
        try {
            return SnowflakeDriver.connect(settings);
        } catch (SQLException e) {
            throw failure("connecting", e);
        }
    }

    /** Where a stream lands: database, schema and table, each as Snowflake names it. */
    public List<String> tableName(ConfiguredStream stream) {
        String namespace = stream.targetNamespace().isBlank() ? "public" : stream.targetNamespace();
        return List.of(settings.database(), SnowflakeDialect.identifier(settings.schemaPrefix() + namespace), SnowflakeDialect.identifier(stream.target()));
    }

    String metadataSchema() {
        return metadataSchema;
    }

    String database() {
        return settings.database();
    }

    String table(String name) {
        return SnowflakeDialect.qualified(settings.database(), metadataSchema, name);
    }

    void ensureSchema(Connection c, String schema) throws SQLException {
        if (!schemasMade.add(schema)) return;
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + ident(settings.database()) + "." + ident(schema));
        }
    }

    @Override
    public StreamWriter writer(ConfiguredStream stream, RunId run) {
        return new SnowflakeStreamWriter(this, stream, run);
    }

    @Override
    public synchronized WriterLock lockWriter(String connectionName, LockHolder holder) {
        try {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement p = connection.prepareStatement("SELECT HOLDER FROM " + table(LOCKS) + " WHERE CONNECTION = ?")) {
                    p.setString(1, connectionName);
                    try (ResultSet rs = p.executeQuery()) {
                        if (rs.next()) {
                            connection.rollback();
                            LockHolder current = Optional.ofNullable(LockHolder.decode(rs.getString(1))).orElse(LockHolder.unknown(rs.getString(1)));
                            throw new WarehouseBusyException("connection " + connectionName + " is being written to " + describe() + " by " + current.describe()
                                    + " (a process that died leaves its row in " + metadataSchema + "." + LOCKS + ": delete it once that process is gone)", current);
                        }
                    }
                }
                try (PreparedStatement p = connection.prepareStatement("INSERT INTO " + table(LOCKS) + " VALUES (?, ?, CURRENT_TIMESTAMP())")) {
                    p.setString(1, connectionName);
                    p.setString(2, holder.encode());
                    p.executeUpdate();
                }
                connection.commit();
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("locking connection " + connectionName, e);
        }
        lockedHere.add(connectionName);
        return WriterLock.releasedBy(connectionName, () -> unlock(connectionName));
    }

    private synchronized void unlock(String connectionName) {
        if (!lockedHere.remove(connectionName)) return;
        try (PreparedStatement p = connection.prepareStatement("DELETE FROM " + table(LOCKS) + " WHERE CONNECTION = ?")) {
            p.setString(1, connectionName);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure("unlocking connection " + connectionName, e);
        }
    }

    @Override
    public synchronized Optional<StreamState> committedState(String connectionName, StreamId stream) {
        try (PreparedStatement p = connection.prepareStatement("SELECT VERSION, VALUE FROM " + table(STATE) + " WHERE CONNECTION = ? AND NAMESPACE = ? AND STREAM = ?")) {
            p.setString(1, connectionName);
            p.setString(2, stream.namespace());
            p.setString(3, stream.name());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(state(stream, rs.getInt(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("reading the state of " + connectionName + "/" + stream, e);
        }
    }

    @Override
    public synchronized List<StoredState> states() {
        List<StoredState> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT CONNECTION, NAMESPACE, STREAM, VERSION, VALUE, RUN_ID, COMMITTED_AT FROM " + table(STATE)
                     + " ORDER BY CONNECTION, NAMESPACE, STREAM")) {
            while (rs.next()) {
                StreamId id = new StreamId(rs.getString(2), rs.getString(3));
                out.add(new StoredState(rs.getString(1), state(id, rs.getInt(4), rs.getString(5)), rs.getString(6), rs.getTimestamp(7).toInstant()));
            }
        } catch (SQLException e) {
            throw failure("reading states", e);
        }
        return out;
    }

    @Override
    public synchronized int resetState(String connectionName, Optional<StreamId> stream) {
        String sql = "DELETE FROM " + table(STATE) + " WHERE CONNECTION = ?" + (stream.isPresent() ? " AND NAMESPACE = ? AND STREAM = ?" : "");
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setString(1, connectionName);
            if (stream.isPresent()) {
                p.setString(2, stream.get().namespace());
                p.setString(3, stream.get().name());
            }
            return p.executeUpdate();
        } catch (SQLException e) {
            throw failure("resetting the state of " + connectionName, e);
        }
    }

    /** Replaces a stream's state row; call inside the transaction that commits its data. */
    void saveState(Connection c, String connectionName, StreamState state, RunId run) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table(STATE) + " WHERE CONNECTION = ? AND NAMESPACE = ? AND STREAM = ?");
             PreparedStatement i = c.prepareStatement("INSERT INTO " + table(STATE) + " VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP())")) {
            d.setString(1, connectionName);
            d.setString(2, state.stream().namespace());
            d.setString(3, state.stream().name());
            d.executeUpdate();
            i.setString(1, connectionName);
            i.setString(2, state.stream().namespace());
            i.setString(3, state.stream().name());
            i.setInt(4, state.version());
            try {
                i.setString(5, JSON.writeValueAsString(state.value()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("state of " + state.stream() + " is not serialisable: " + e.getOriginalMessage(), e);
            }
            i.setString(6, run.value());
            i.executeUpdate();
        }
    }

    private static StreamState state(StreamId stream, int version, String json) {
        try {
            return new StreamState(stream, version, JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state of " + stream + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String tableOf(ConfiguredStream stream) {
        List<String> t = tableName(stream);
        return (t.get(1) + "." + t.get(2)).toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    /** A failure naming the database and what was being done, with any secret masked; lost connections are transient. */
    RuntimeException failure(String doing, SQLException e) {
        String message = "Snowflake (" + describe() + "): " + doing + " failed: " + settings.redact(e.getMessage());
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) return new TransientException(message, e);
        return new SnowflakeException(message, e);
    }

    @Override
    public synchronized void close() {
        for (String locked : List.copyOf(lockedHere)) {
            try {
                unlock(locked);
            } catch (RuntimeException e) {
                // closing anyway: the row names its holder, and the message of the next writer says how to clear it
            }
        }
        closeQuietly(connection);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // nothing left to do with a connection that will not close
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
