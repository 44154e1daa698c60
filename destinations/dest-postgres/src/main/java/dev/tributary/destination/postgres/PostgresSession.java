package dev.tributary.destination.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.destination.warehouse.Bookkeeping;
import dev.tributary.destination.warehouse.RejectsTable;
import dev.tributary.destination.warehouse.SchemaRef;
import dev.tributary.destination.warehouse.Sql;
import dev.tributary.destination.warehouse.StateStore;
import dev.tributary.destination.warehouse.TableCatalog;
import dev.tributary.destination.warehouse.TableRef;
import dev.tributary.destination.warehouse.WarehouseStreamWriter;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WriterLock;
import dev.tributary.spi.RunId;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.TransientException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One PostgreSQL database, reached through a HikariCP pool of {@code pool_size} connections. Each writer holds one
 * connection for its life (its staging tables live there), so at most {@code pool_size - 1} streams are written at
 * once and more wait their turn; the last connection is kept for the session's own queries. Closing the session
 * closes its writers, dropping whatever they had not committed. The metadata schema ({@code <schema_prefix>tributary})
 * holds the state and column-name tables and is created when missing.
 */
public final class PostgresSession implements DestinationSession {
    /** The schema of the state and column-name tables, before the schema prefix. */
    static final String METADATA_NAMESPACE = "tributary";

    private final PostgresSettings settings;
    private final HikariDataSource pool;
    private final String metadataSchema;
    private final StateStore stateStore;
    private final TableCatalog catalog;
    private final WriterLocks writerLocks;
    private final Semaphore writerSlots;
    private final Set<PostgresStreamWriter> writers = ConcurrentHashMap.newKeySet();
    private final Set<WriterLock> heldLocks = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    PostgresSession(PostgresSettings settings) {
        this.settings = settings;
        this.metadataSchema = TableName.schema(settings.schemaPrefix(), METADATA_NAMESPACE);
        this.stateStore = new StateStore(PostgresDialect.INSTANCE, metadataSchemaRef());
        this.catalog = new TableCatalog(PostgresDialect.INSTANCE, metadataSchemaRef());
        this.writerLocks = new WriterLocks(metadataSchema);
        this.writerSlots = new Semaphore(settings.poolSize() - 1, true);
        this.pool = openPool(settings);
        try (Connection c = borrow("preparing the metadata schema " + metadataSchema)) {
            inTransaction(c, "preparing the metadata schema " + metadataSchema, () -> {
                PostgresDialect.INSTANCE.lockName(c, metadataSchema);
                createSchema(c, metadataSchema);
                stateStore.createTable(c);
                catalog.createMappingTable(c);
                writerLocks.createTable(c);
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e instanceof SQLException s ? failure("preparing the metadata schema " + metadataSchema, s) : (RuntimeException) e;
        }
    }

    @Override
    public StreamWriter writer(ConfiguredStream stream, RunId run) {
        ensureOpen();
        try {
            writerSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException(describe() + ": interrupted while waiting for a connection for " + stream.id(), e);
        }
        try {
            PostgresStreamWriter writer = PostgresStreamWriter.open(this, borrow("opening a connection for " + stream.id()), stream, run);
            writers.add(writer);
            return writer;
        } catch (RuntimeException e) {
            writerSlots.release();
            throw e;
        }
    }

    /** See {@link WriterLocks}: an advisory lock held by a connection of its own, outside the pool, until closed. */
    @Override
    public WriterLock lockWriter(String connectionName, LockHolder holder) {
        ensureOpen();
        String what = "locking connection " + connectionName + " for writing";
        Connection dedicated;
        try {
            dedicated = settings.dataSource().getConnection();
        } catch (SQLException e) {
            throw failure(what, e);
        }
        WriterLock lock;
        try {
            lock = writerLocks.lock(dedicated, connectionName, holder, describe());
        } catch (SQLException e) {
            throw failure(what, e);
        }
        heldLocks.add(lock);
        return new WriterLock() {
            @Override
            public String connection() {
                return lock.connection();
            }

            @Override
            public void close() {
                heldLocks.remove(lock);
                lock.close();
            }
        };
    }

    @Override
    public Optional<StreamState> committedState(String connectionName, StreamId stream) {
        return withConnection("reading the state of " + stream, c -> stateStore.read(c, connectionName, stream));
    }

    @Override
    public List<StoredState> states() {
        return withConnection("reading states", stateStore::all);
    }

    @Override
    public int resetState(String connectionName, Optional<StreamId> stream) {
        return withConnection("resetting state", c -> stateStore.delete(c, connectionName, stream));
    }

    @Override
    public String dropNamespace(String namespace, String connectionName) {
        String schema = schemaOf(namespace);
        if (schema.equals(metadataSchema)) throw new IllegalArgumentException("will not drop the metadata schema " + schema);
        resetState(connectionName, Optional.empty());
        return withConnection("dropping schema " + schema, c -> {
            Sql.inTransaction(c, () -> {
                Bookkeeping.dropSchema(c, PostgresDialect.INSTANCE, metadataSchemaRef(), new SchemaRef(null, schema), connectionName);
                return null;
            });
            return schema;
        });
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    @Override
    public String tableOf(ConfiguredStream stream) {
        return tableName(stream).toString();
    }

    /** Where a stream's rows land. */
    public TableName tableName(ConfiguredStream stream) {
        return TableName.of(settings.schemaPrefix(), stream);
    }

    /** The schema a namespace's tables land in (the schema prefix applied, as the warehouse names it). */
    public String schemaOf(String namespace) {
        return TableName.schema(settings.schemaPrefix(), namespace);
    }

    /** The schema of {@code _tributary_state} and {@code _tributary_columns}. */
    public String metadataSchema() {
        return metadataSchema;
    }

    /** The metadata schema as the warehouse kit addresses it. */
    SchemaRef metadataSchemaRef() {
        return new SchemaRef(null, metadataSchema);
    }

    /** A connection from the session's pool, for reading tables or running SQL models; the caller closes it. */
    public Connection newConnection() {
        ensureOpen();
        return borrow("opening a connection");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        RuntimeException problem = WarehouseStreamWriter.closeAll(writers);
        pool.close();
        for (WriterLock lock : List.copyOf(heldLocks)) lock.close();
        if (problem != null) throw problem;
    }

    /** Runs {@code work} as one transaction on {@code c}: all of it or nothing. */
    void inTransaction(Connection c, String what, Sql.Work<Void> work) {
        try {
            Sql.inTransaction(c, work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Creates a target's schema, and its rejects table when asked, in a transaction of their own: streams of one
     * schema commit concurrently, and two concurrent {@code CREATE ... IF NOT EXISTS} of one name can both try to
     * create it, so creation runs under a lock on the name. Does nothing when both exist.
     */
    void prepareSchema(Connection c, TableName target, boolean withRejects) {
        TableRef rejects = RejectsTable.of(target.ref());
        try {
            if (schemaExists(c, target.schema()) && (!withRejects || PostgresDialect.INSTANCE.tableExists(c, rejects))) return;
        } catch (SQLException e) {
            throw failure("looking for schema " + target.schema(), e);
        }
        inTransaction(c, "creating schema " + target.schema(), () -> {
            PostgresDialect.INSTANCE.lockName(c, target.schema());
            createSchema(c, target.schema());
            if (withRejects) RejectsTable.create(c, PostgresDialect.INSTANCE, rejects);
            return null;
        });
    }

    StateStore stateStore() {
        return stateStore;
    }

    TableCatalog catalog() {
        return catalog;
    }

    String schemaPrefix() {
        return settings.schemaPrefix();
    }

    /**
     * The exception to throw for a failed operation: says what was being done on which database, never the password,
     * and is a {@link TransientException} when the connection or server went away, so the engine retries the stream
     * from its last commit.
     */
    RuntimeException failure(String what, Exception cause) {
        String message = describe() + ": " + what + ": " + settings.redactPassword(cause.getMessage());
        return Failures.isTransient(cause)
                ? new TransientException(message + " (lost the connection; retrying from the last commit is safe)", cause)
                : new PostgresException(message, cause);
    }

    /** A writer's connection goes back to the pool, or is thrown away when it is broken. */
    void writerClosed(PostgresStreamWriter writer, Connection c, boolean broken) {
        try {
            if (broken) pool.evictConnection(c); else c.close();
        } catch (SQLException e) {
            pool.evictConnection(c);
        } finally {
            if (writers.remove(writer)) writerSlots.release();
        }
    }

    private <T> T withConnection(String what, SqlQuery<T> query) {
        ensureOpen();
        try (Connection c = borrow(what)) {
            return query.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private Connection borrow(String what) {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(describe() + " is closed");
    }

    private static boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            p.setString(1, schema);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void createSchema(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
        }
    }

    private HikariDataSource openPool(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tributary-postgres");
        config.setDataSource(settings.dataSource());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        // Times without a zone are UTC everywhere (casts, widening, text output), matching how values are written.
        config.setConnectionInitSql("SET TIME ZONE 'UTC'");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = describe() + ": cannot connect: " + settings.redactPassword(cause.getMessage());
            throw Failures.isTransient(cause) ? new TransientException(message, cause) : new PostgresException(message, cause);
        }
    }

    @FunctionalInterface
    private interface SqlQuery<T> {
        T run(Connection c) throws SQLException;
    }
}
