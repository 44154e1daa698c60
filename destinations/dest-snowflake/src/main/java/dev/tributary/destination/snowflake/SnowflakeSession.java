package dev.tributary.destination.snowflake;

import static dev.tributary.destination.snowflake.SnowflakeDialect.ident;

import dev.tributary.destination.warehouse.Bookkeeping;
import dev.tributary.destination.warehouse.SchemaRef;
import dev.tributary.destination.warehouse.Sql;
import dev.tributary.destination.warehouse.SqlDialect;
import dev.tributary.destination.warehouse.StateStore;
import dev.tributary.destination.warehouse.TableCatalog;
import dev.tributary.destination.warehouse.TableRef;
import dev.tributary.destination.warehouse.Warehouse;
import dev.tributary.destination.warehouse.WarehouseStreamWriter;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An open Snowflake database. Tributary's own tables live in schema {@code <prefix>TRIBUTARY}: the kit's
 * {@code _TRIBUTARY_STATE} (one row per connection and stream, written in the transaction of the data it describes),
 * {@code _TRIBUTARY_COLUMNS} and reconciliation tables, and {@code _TRIBUTARY_LOCKS} (one row per connection being
 * written: Snowflake has no advisory locks, so the row is the lock; closing the session deletes its rows). Each writer
 * is the kit's {@link WarehouseStreamWriter} on a connection of its own, loading through {@link SnowflakeBulkLoad}.
 */
public final class SnowflakeSession implements DestinationSession {
    /** The lock table; its column CONNECTION is a reserved word in Snowflake, so it is always quoted. */
    static final String LOCKS = "_TRIBUTARY_LOCKS";

    private final SnowflakeSettings settings;
    private final Connection connection;
    private final String metadataSchema;
    private final Set<String> lockedHere = ConcurrentHashMap.newKeySet();
    private final StateStore stateStore;
    private final TableCatalog catalog;
    private final Set<StreamWriter> writers = ConcurrentHashMap.newKeySet();
    private final Warehouse warehouse = new Writers();

    SnowflakeSession(SnowflakeSettings settings) {
        this.settings = settings;
        this.metadataSchema = SnowflakeDialect.identifier(settings.schemaPrefix() + "tributary");
        SchemaRef metadata = new SchemaRef(settings.database(), metadataSchema);
        this.stateStore = new StateStore(SnowflakeDialect.INSTANCE, metadata);
        this.catalog = new TableCatalog(SnowflakeDialect.INSTANCE, metadata);
        try {
            this.connection = SnowflakeDriver.connect(settings);
        } catch (SQLException e) {
            throw failure("connecting", e);
        }
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + ident(settings.database()) + "." + ident(metadataSchema));
            stateStore.createTable(connection);
            catalog.createMappingTable(connection);
            s.execute("CREATE TABLE IF NOT EXISTS " + table(LOCKS) + " (\"CONNECTION\" VARCHAR NOT NULL, HOLDER VARCHAR NOT NULL, LOCKED_AT TIMESTAMP_TZ NOT NULL)");
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

    String table(String name) {
        return SnowflakeDialect.qualified(settings.database(), metadataSchema, name);
    }

    /** Where a stream lands, for the kit. */
    private TableRef tableRef(ConfiguredStream stream) {
        List<String> t = tableName(stream);
        return new TableRef(t.get(0), t.get(1), t.get(2));
    }

    /**
     * The kit's writer on a new connection whose current schema is the metadata schema: Snowflake keeps a session's
     * temporary tables (the kit's staging) in the current schema, and Tributary made that one.
     */
    @Override
    public StreamWriter writer(ConfiguredStream stream, RunId run) {
        Connection c = newConnection();
        String stage = table("_tributary_load_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT));
        try {
            Sql.execute(c, "USE SCHEMA " + ident(settings.database()) + "." + ident(metadataSchema));
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure("preparing a connection to write " + stream.id(), e);
        }
        StreamWriter writer = WarehouseStreamWriter.open(warehouse, c, new SnowflakeBulkLoad(c, stage), stream, run, tableRef(stream));
        writers.add(writer);
        return writer;
    }

    @Override
    public synchronized WriterLock lockWriter(String connectionName, LockHolder holder) {
        try {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement p = connection.prepareStatement("SELECT HOLDER FROM " + table(LOCKS) + " WHERE \"CONNECTION\" = ?")) {
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
        try (PreparedStatement p = connection.prepareStatement("DELETE FROM " + table(LOCKS) + " WHERE \"CONNECTION\" = ?")) {
            p.setString(1, connectionName);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure("unlocking connection " + connectionName, e);
        }
    }

    @Override
    public synchronized Optional<StreamState> committedState(String connectionName, StreamId stream) {
        try {
            return stateStore.read(connection, connectionName, stream);
        } catch (SQLException e) {
            throw failure("reading the state of " + connectionName + "/" + stream, e);
        }
    }

    @Override
    public synchronized List<StoredState> states() {
        try {
            return stateStore.all(connection);
        } catch (SQLException e) {
            throw failure("reading states", e);
        }
    }

    @Override
    public synchronized int resetState(String connectionName, Optional<StreamId> stream) {
        try {
            return stateStore.delete(connection, connectionName, stream);
        } catch (SQLException e) {
            throw failure("resetting the state of " + connectionName, e);
        }
    }

    /** Drops the namespace's schema ({@code <prefix><namespace>}) with its tables, after forgetting the connection's states. */
    @Override
    public synchronized String dropNamespace(String namespace, String connectionName) {
        String schema = SnowflakeDialect.identifier(settings.schemaPrefix() + namespace);
        if (schema.equals(metadataSchema)) throw new IllegalArgumentException("will not drop Tributary's own schema " + schema);
        resetState(connectionName, Optional.empty());
        try {
            Bookkeeping.dropSchema(connection, SnowflakeDialect.INSTANCE, new SchemaRef(settings.database(), metadataSchema),
                    new SchemaRef(settings.database(), schema), connectionName);
        } catch (SQLException e) {
            throw failure("dropping schema " + schema, e);
        }
        return schema.toUpperCase(java.util.Locale.ROOT);
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
    RuntimeException failure(String doing, Exception e) {
        String message = "Snowflake (" + describe() + "): " + doing + " failed: " + settings.redact(e.getMessage());
        if (e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) return new TransientException(message, e);
        return new SnowflakeException(message, e);
    }

    /** The kit's view of this session, for its writers. */
    private final class Writers implements Warehouse {
        @Override
        public SqlDialect dialect() {
            return SnowflakeDialect.INSTANCE;
        }

        @Override
        public SchemaRef metadataSchema() {
            return new SchemaRef(settings.database(), metadataSchema);
        }

        @Override
        public StateStore stateStore() {
            return stateStore;
        }

        @Override
        public TableCatalog catalog() {
            return catalog;
        }

        @Override
        public RuntimeException failure(String what, Exception cause) {
            return SnowflakeSession.this.failure(what, cause);
        }

        @Override
        public void writerClosed(StreamWriter writer) {
            writers.remove(writer);
        }
    }

    /** Closes the writers still open (their connections, with their staging), releases this session's locks and closes it. */
    @Override
    public synchronized void close() {
        RuntimeException problem = WarehouseStreamWriter.closeAll(writers);
        for (String locked : List.copyOf(lockedHere)) {
            try {
                unlock(locked);
            } catch (RuntimeException e) {
                // closing anyway: the row names its holder, and the message of the next writer says how to clear it
            }
        }
        closeQuietly(connection);
        if (problem != null) throw problem;
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
