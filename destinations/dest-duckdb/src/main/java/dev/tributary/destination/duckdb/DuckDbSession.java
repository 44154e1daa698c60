package dev.tributary.destination.duckdb;

import dev.tributary.destination.warehouse.Bookkeeping;
import dev.tributary.destination.warehouse.SchemaRef;
import dev.tributary.destination.warehouse.Sql;
import dev.tributary.destination.warehouse.SqlDialect;
import dev.tributary.destination.warehouse.StateStore;
import dev.tributary.destination.warehouse.TableCatalog;
import dev.tributary.destination.warehouse.Warehouse;
import dev.tributary.destination.warehouse.WarehouseStreamWriter;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.DuckDbFileOpener;
import dev.tributary.spi.RunId;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriterLock;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBConnection;

/**
 * One open DuckDB database. Owns a connection; each writer works on a duplicate of it, so writers of different
 * streams stage in parallel. Closing the session closes its writers, dropping whatever they had not committed.
 * Opening the same file again in this JVM, even while this session is open, shares the same database.
 */
public final class DuckDbSession implements DestinationSession {
    static final String IN_MEMORY = ":memory:";

    private final String location;
    private final DuckDBConnection connection;
    /** The database's catalog name, {@code current_database()}: the file name without extension, or "memory". */
    private final String catalog;
    /** {@code main} of this database: the state, column-name and reconciliation tables. */
    private final SchemaRef metadataSchema;
    private final StateStore stateStore;
    private final TableCatalog tableCatalog;
    private final Warehouse warehouse = new Writers();
    /**
     * Serialises commits and the session's own queries. DuckDB fails a transaction that conflicts with another
     * instead of waiting for it, and commits share catalog entries (schemas, the state and column tables);
     * staging, on each writer's own TEMP tables, needs no lock.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<StreamWriter> writers = ConcurrentHashMap.newKeySet();
    /** Writers of a connection in this JVM (serve runs several pipelines): database and connection to holder. */
    private static final Map<String, LockHolder> WRITERS = new ConcurrentHashMap<>();
    private final Set<WriterLock> writerLocks = ConcurrentHashMap.newKeySet();
    /** Null for an in-memory database, or where the lock-info file cannot be written. */
    private final WarehouseFileLock fileLock;
    private volatile boolean closed;

    /** DuckDB's memory limit (as DuckDB writes it, e.g. {@code 1GB}) and worker threads (null: one per core). */
    record Resources(String memoryLimit, Integer threads) {
        Resources {
            java.util.Objects.requireNonNull(memoryLimit, "memoryLimit is null");
        }
    }

    /** Opens {@code location} (an absolute database file path, or {@value #IN_MEMORY}) with the default resources. */
    DuckDbSession(String location) {
        this(location, new Resources(DuckDbDestination.DEFAULT_MEMORY_LIMIT, null));
    }

    /** Opens {@code location}: an absolute database file path, or {@value #IN_MEMORY}. */
    DuckDbSession(String location, Resources resources) {
        this.location = location;
        this.fileLock = location.equals(IN_MEMORY) ? null : lockFile(Path.of(location));
        try {
            this.connection = connect(location);
        } catch (RuntimeException e) {
            if (fileLock != null) fileLock.release();
            throw e;
        }
        try {
            useUtc(connection);
            limit(connection, resources);
            this.catalog = currentDatabase(connection);
            this.metadataSchema = new SchemaRef(catalog, "main");
            this.stateStore = new StateStore(DuckDbDialect.INSTANCE, metadataSchema);
            this.tableCatalog = new TableCatalog(DuckDbDialect.INSTANCE, metadataSchema);
            stateStore.createTable(connection);
            tableCatalog.createMappingTable(connection);
        } catch (SQLException e) {
            closeQuietly(e);
            throw failure("preparing the database", e);
        } catch (RuntimeException e) {
            closeQuietly(e);
            throw e;
        }
    }

    /**
     * Takes the warehouse's lock-info file before DuckDB's own lock: a Tributary process holding it is writing, and
     * a second one stops at once naming it.
     */
    private static WarehouseFileLock lockFile(Path file) {
        LockHolder holder = null;
        for (int attempt = 0; attempt < 2 && holder == null; attempt++) {
            try {
                Optional<WarehouseFileLock> lock = WarehouseFileLock.tryAcquire(file, LockHolder.thisProcess(processCommand()));
                if (lock.isPresent()) return lock.get();
            } catch (IOException e) {
                return null; // a read-only folder, say: DuckDB's own lock still keeps writers apart
            }
            // Empty when the holder let go meanwhile: then try once more.
            holder = WarehouseFileLock.holderElsewhere(file).orElse(null);
        }
        if (holder == null) holder = LockHolder.unknown("another Tributary process");
        throw new WarehouseBusyException("the DuckDB warehouse " + file + " is open for writing by " + holder.describe(), holder);
    }

    /**
     * Opens the database. Another process holding DuckDB's file lock while this one holds the lock-info file is a
     * reader (the web UI of {@code tributary serve}, a DuckDB shell): it holds the file briefly, so opening is tried
     * again for up to {@link DuckDbFileOpener#READER_PATIENCE} before giving up as busy.
     */
    private static DuckDBConnection connect(String location) {
        String url = location.equals(IN_MEMORY) ? "jdbc:duckdb:" : "jdbc:duckdb:" + location;
        try {
            return (DuckDBConnection) DuckDbFileOpener.openWaitingForReaders(url, new Properties());
        } catch (SQLException e) {
            throw new DuckDbException("cannot open DuckDB database " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * What this process runs, as {@code tributary -p dir sync hubspot --wait}: the command line after the main class or
     * jar, options included; values of options that may carry secrets ({@code --vars}, anything naming a password,
     * token, secret or key) shown as {@code ***}.
     */
    static String processCommand() {
        return commandLine(System.getProperty("sun.java.command", ""));
    }

    static String commandLine(String javaCommand) {
        String[] words = javaCommand.trim().split("\\s+");
        StringBuilder out = new StringBuilder("tributary");
        boolean hideNext = false;
        for (int i = 1; i < words.length; i++) {
            String word = words[i];
            if (hideNext && !word.startsWith("-")) {
                out.append(" ***");
                hideNext = false;
                continue;
            }
            hideNext = false;
            if (word.startsWith("-") && SECRET_OPTION.matcher(word).find()) {
                int eq = word.indexOf('=');
                if (eq >= 0) word = word.substring(0, eq + 1) + "***";
                else hideNext = true;
            }
            out.append(' ').append(word);
        }
        String line = out.toString();
        return line.length() > MAX_COMMAND ? line.substring(0, MAX_COMMAND - 3) + "..." : line;
    }

    private static final java.util.regex.Pattern SECRET_OPTION = java.util.regex.Pattern.compile("(?i)^--?[^=]*(vars|password|passwd|token|secret|key)");
    private static final int MAX_COMMAND = 200;

    @Override
    public WriterLock lockWriter(String connectionName, LockHolder holder) {
        ensureOpen();
        String key = (location.equals(IN_MEMORY) ? "memory@" + System.identityHashCode(this) : location) + "\u0000" + connectionName;
        LockHolder current = WRITERS.putIfAbsent(key, holder);
        if (current != null) {
            throw new WarehouseBusyException("connection " + connectionName + " is being written to " + describe() + " by " + current.describe(), current);
        }
        if (fileLock != null) fileLock.record(holder);
        // kept until the session closes, which closes it again (a no-op once released)
        WriterLock lock = WriterLock.releasedBy(connectionName, () -> WRITERS.remove(key, holder));
        writerLocks.add(lock);
        return lock;
    }

    @Override
    public StreamWriter writer(ConfiguredStream stream, RunId run) {
        ensureOpen();
        DuckDBConnection c = duplicate("opening a connection for " + stream.id());
        StreamWriter writer = WarehouseStreamWriter.open(warehouse, c, new DuckDbBulkLoad(c), stream, run, tableName(stream).ref());
        writers.add(writer);
        return writer;
    }

    @Override
    public Optional<StreamState> committedState(String connectionName, StreamId stream) {
        ensureOpen();
        return locked("reading the state of " + stream, () -> stateStore.read(connection, connectionName, stream));
    }

    @Override
    public List<StoredState> states() {
        ensureOpen();
        return locked("reading states", () -> stateStore.all(connection));
    }

    @Override
    public int resetState(String connectionName, Optional<StreamId> stream) {
        ensureOpen();
        return locked("resetting state", () -> stateStore.delete(connection, connectionName, stream));
    }

    @Override
    public String dropNamespace(String namespace, String connectionName) {
        ensureOpen();
        String schema = Identifiers.normalise(namespace);
        if (schema.equals("main")) throw new IllegalArgumentException("will not drop the main schema");
        resetState(connectionName, Optional.empty());
        try (Connection c = newConnection()) {
            Bookkeeping.dropSchema(c, DuckDbDialect.INSTANCE, metadataSchema, new SchemaRef(catalog, schema), connectionName);
        } catch (SQLException e) {
            throw failure("dropping schema " + schema, e);
        }
        return schema;
    }

    @Override
    public String describe() {
        return location.equals(IN_MEMORY) ? "DuckDB in-memory database" : "DuckDB database " + location;
    }

    @Override
    public String tableOf(ConfiguredStream stream) {
        return tableName(stream).toString();
    }

    /** Where a stream's rows land. */
    public TableName tableName(ConfiguredStream stream) {
        return TableName.of(catalog, stream);
    }

    /**
     * A new connection to this database, for reading tables or running SQL models in this JVM (DuckDB lets only one
     * process write a file). The caller closes it; close it before the session.
     */
    public Connection newConnection() {
        ensureOpen();
        return duplicate("opening a connection");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        RuntimeException problem = WarehouseStreamWriter.closeAll(writers);
        try {
            connection.close();
        } catch (SQLException e) {
            if (problem == null) problem = failure("closing", e); else problem.addSuppressed(e);
        }
        for (WriterLock lock : List.copyOf(writerLocks)) lock.close();
        if (fileLock != null) fileLock.release();
        if (problem != null) throw problem;
    }

    /** Runs {@code work} holding the session lock. */
    private <T> T locked(String what, Sql.Work<T> work) {
        lock.lock();
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            lock.unlock();
        }
    }

    /** The kit's view of this session, for its writers: commits hold the session lock. */
    private final class Writers implements Warehouse {
        @Override
        public SqlDialect dialect() {
            return DuckDbDialect.INSTANCE;
        }

        @Override
        public SchemaRef metadataSchema() {
            return metadataSchema;
        }

        @Override
        public StateStore stateStore() {
            return stateStore;
        }

        @Override
        public TableCatalog catalog() {
            return tableCatalog;
        }

        @Override
        public void inTransaction(Connection c, String what, Sql.Work<Void> work) {
            locked(what, () -> {
                Sql.inTransaction(c, work);
                return null;
            });
        }

        @Override
        public RuntimeException failure(String what, Exception cause) {
            return DuckDbSession.this.failure(what, cause);
        }

        @Override
        public void writerClosed(StreamWriter writer) {
            writers.remove(writer);
        }
    }

    DuckDbException failure(String what, Exception cause) {
        return new DuckDbException(describe() + ": " + what + ": " + cause.getMessage(), cause);
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(describe() + " is closed");
    }

    private DuckDBConnection duplicate(String what) {
        DuckDBConnection duplicate = null;
        try {
            duplicate = connection.duplicate();
            useUtc(duplicate);
            return duplicate;
        } catch (SQLException e) {
            try {
                if (duplicate != null) duplicate.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw failure(what, e);
        }
    }

    private void closeQuietly(Exception cause) {
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        if (fileLock != null) fileLock.release();
    }

    private static String currentDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Times without a zone are UTC everywhere (casts, widening), matching how values are appended. */
    /** Settings of the database instance (every connection to it shares them). */
    private static void limit(Connection c, Resources resources) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET memory_limit = '" + resources.memoryLimit() + "'");
            if (resources.threads() != null) s.execute("SET threads = " + resources.threads());
        }
    }

    private static void useUtc(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
        }
    }
}
