package dev.tributary.destination.postgres;

import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.Reconciler;
import dev.tributary.destination.warehouse.RejectsTable;
import dev.tributary.destination.warehouse.TableRef;
import dev.tributary.destination.warehouse.TargetColumns;
import dev.tributary.destination.warehouse.TargetLoader;
import dev.tributary.destination.warehouse.WarehouseStreamWriter;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.TransientException;
import dev.tributary.spi.WriteMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Writes one stream on its own pooled connection: {@link #write} COPYs batches into the writer's staging tables
 * (and widens them as the schema evolves); {@link #commit} evolves the target table and moves the staged rows, the
 * rejections and the checkpoint into place in one transaction. Nothing reaches the target before a commit, so a
 * crash or a lost connection leaves the target and its state as they were. One writer per target table at a time.
 */
final class PostgresStreamWriter implements StreamWriter {
    /** Where the server says a COPY failed: {@code COPY _tributary_staged_rows, line 3, column amount: "..."}. */
    private static final Pattern COPY_LINE = Pattern.compile("COPY \\S+, line (\\d+)(?:, column ([^:]+))?");

    private final PostgresSession session;
    private final Connection connection;
    private final ConfiguredStream stream;
    private final RunId run;
    private final TableName target;
    private final dev.tributary.destination.warehouse.StagingTables staging;
    /** The COPY side of staging. */
    private final StagingTables copies;
    private final Reconciler reconciler;
    private int backendPid;

    /** The target's columns as the next commit will leave them: the table's, plus what staged batches added or widened. */
    private List<Column> columns;
    private boolean tableExists;
    private long nextSeq;
    private boolean rejectionsStaged;
    /** OVERWRITE: an earlier commit of this writer already replaced the old rows, so later ones only add. */
    private boolean replaced;
    private boolean keyIndexChecked;
    /**
     * Append, and overwrite without a key, copy each batch straight into the target inside a transaction that the
     * next commit ends (each batch under a savepoint), when the target's types are exactly Tributary's: the rows
     * then cross the server once instead of twice, and nothing is visible before the commit either way.
     */
    private final boolean directCapable;
    /** The target turned out to have types of its own: this writer stages instead. */
    private boolean directRefused;
    /** A direct transaction is open: batches since the last commit are in the target, uncommitted. */
    private boolean inTransaction;
    /** The columns the target holds inside the open transaction; batches with others are staged until the commit. */
    private List<Column> ensuredColumns;
    /** The open transaction created the target, so no one else can see it and changing it blocks no reader. */
    private boolean createdInTransaction;
    /** Rows of the open transaction wait in staging (they needed columns the target gets only at the commit). */
    private boolean stagedInTransaction;
    /** The target's columns as of the last commit (or as found). */
    private List<Column> targetColumns;
    /** The connection failed; it goes back to the pool only to be thrown away. */
    private boolean broken;
    private boolean closed;

    private PostgresStreamWriter(PostgresSession session, Connection connection, ConfiguredStream stream, RunId run) {
        this.session = session;
        this.connection = connection;
        this.stream = stream;
        this.run = run;
        this.target = session.tableName(stream);
        this.staging = new dev.tributary.destination.warehouse.StagingTables(connection, PostgresDialect.INSTANCE);
        this.copies = new StagingTables(connection);
        this.reconciler = new Reconciler(connection, PostgresDialect.INSTANCE, session.metadataSchemaRef(), stream.connection(), stream.id().toString());
        this.directCapable = stream.writeMode() == WriteMode.APPEND
                || (stream.writeMode() == WriteMode.OVERWRITE && stream.primaryKey().isEmpty());
    }

    static PostgresStreamWriter open(PostgresSession session, Connection connection, ConfiguredStream stream, RunId run) {
        PostgresStreamWriter writer = new PostgresStreamWriter(session, connection, stream, run);
        try {
            writer.backendPid = backendPid(connection);
            writer.startStaging();
            return writer;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e instanceof SQLException s ? session.failure("preparing to write " + stream.id(), s) : (RuntimeException) e;
        }
    }

    @Override
    public synchronized Optional<Schema> tableSchema() {
        ensureOpen();
        return TargetColumns.tableSchema(stream, columns, tableExists);
    }

    @Override
    public synchronized void write(RecordBatch batch) {
        ensureUsable();
        evolve(batch.schema());
        if (!WarehouseStreamWriter.hasWork(batch, reconciles())) return;
        boolean direct = direct();
        if (inTransaction && !direct) stagedInTransaction = true;
        copyBatch(batch, direct);
    }

    /**
     * Copies one batch into the target ({@code intoTarget}, inside the open transaction) or into staging. Inside a
     * transaction the batch runs under a savepoint, so a batch that fails takes back only itself; in autocommit a
     * failed COPY left nothing and what the batch numbered is deleted.
     */
    private void copyBatch(RecordBatch batch, boolean intoTarget) {
        long batchStart = nextSeq;
        Instant at = Instant.now();
        boolean saved = false;
        try {
            if (inTransaction) {
                execute("SAVEPOINT tributary_batch");
                saved = true;
            }
            long next = batchStart + 1; // batchStart itself numbers the batch's rejections
            if (!batch.records().isEmpty()) {
                try (BinaryRowCopier copier = intoTarget ? copies.copyInto(target, columns) : copies.copyRows(columns)) {
                    next = copier.records(columns, batch, next, at, keyed() ? keyColumns() : List.of(), intoTarget ? run.value() : null);
                    copier.finish();
                } catch (SQLException e) {
                    Optional<DataException> rejected = rejectedValue(e, batch);
                    if (rejected.isPresent()) throw rejected.get();
                    throw e;
                }
            }
            if (!batch.rejections().isEmpty()) {
                try (BatchCopier copier = copies.copyRejections()) {
                    copier.rejections(batch.rejections(), batchStart, at);
                    copier.finish();
                }
                rejectionsStaged = true;
            }
            if (reconciles() && !batch.completions().isEmpty()) reconciler.stage(batch.completions(), batchStart, at);
            if (saved) execute("RELEASE SAVEPOINT tributary_batch");
            nextSeq = next;
        } catch (SQLException | RuntimeException e) {
            if (!inTransaction) {
                discardFrom(batchStart, e);
            } else if (Failures.isTransient(e) || !saved) {
                broken = true;
            } else {
                try {
                    execute("ROLLBACK TO SAVEPOINT tributary_batch");
                } catch (SQLException undo) {
                    e.addSuppressed(undo);
                    broken = true;
                }
            }
            String what = (intoTarget ? "writing a batch of " + stream.id() + " to " + target : "staging a batch of " + stream.id());
            throw e instanceof SQLException s ? failure(what, s) : (RuntimeException) e;
        }
    }

    /**
     * Whether this batch goes straight into the target; opens the direct transaction when none is open. A target
     * that others can see is never altered inside the open transaction (an ALTER would block its readers until the
     * commit): a batch that needs new or wider columns is staged, and the commit alters the table and moves it in.
     */
    private boolean direct() {
        if (!directCapable || directRefused) return false;
        try {
            if (!inTransaction) {
                session.prepareSchema(connection, target, false);
                connection.setAutoCommit(false);
                inTransaction = true;
                PostgresDialect.INSTANCE.lockName(connection, target.toString());
                boolean exists = PostgresDialect.INSTANCE.tableExists(connection, target.ref());
                if (exists && !PostgresTables.holdsExactly(session.catalog(), connection, target)) {
                    rollbackDirect();
                    directRefused = true;
                    return false;
                }
                createdInTransaction = !exists;
                ensuredColumns = exists ? targetColumns : List.of();
                if (stream.writeMode() == WriteMode.OVERWRITE && !replaced && exists) {
                    loader().deleteAll();
                }
            }
            if (stagedInTransaction) return false;
            if (columns != ensuredColumns) {
                if (!createdInTransaction) return false;
                session.catalog().ensure(connection, target.ref(), columns);
                ensuredColumns = columns;
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            if (inTransaction) rollbackDirect(e);
            throw e instanceof SQLException s ? failure("starting to write " + stream.id() + " to " + target, s) : (RuntimeException) e;
        }
    }

    /** Ends the direct transaction: the rejections, the state row, and everything written since the last commit. */
    private void commitDirect(Optional<StreamState> checkpoint) {
        try {
            if (columns != ensuredColumns) session.catalog().ensure(connection, target.ref(), columns);
            if (stagedInTransaction) loader().append();
            if (rejectionsStaged) {
                TableRef rejects = RejectsTable.of(target.ref());
                if (!PostgresDialect.INSTANCE.tableExists(connection, rejects)) {
                    PostgresDialect.INSTANCE.lockName(connection, target.schema());
                    RejectsTable.create(connection, PostgresDialect.INSTANCE, rejects);
                }
                insertRejections();
            }
            staging.clear();
            if (checkpoint.isPresent()) session.stateStore().save(connection, stream.connection(), checkpoint.get(), run);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackDirect(e);
            RuntimeException failure = e instanceof SQLException s ? failure("committing " + stream.id() + " to " + target, s) : (RuntimeException) e;
            noteBroken(failure);
            throw failure;
        } finally {
            endDirect();
        }
    }

    private void rollbackDirect(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            broken = true;
        } finally {
            endDirect();
        }
    }

    private void rollbackDirect() throws SQLException {
        try {
            connection.rollback();
        } finally {
            endDirect();
        }
    }

    private void endDirect() {
        inTransaction = false;
        ensuredColumns = null;
        createdInTransaction = false;
        stagedInTransaction = false;
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            broken = true;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public synchronized void commit(Optional<StreamState> checkpoint) {
        ensureUsable();
        checkpoint.ifPresent(c -> WarehouseStreamWriter.checkBelongs(stream, c));
        if (inTransaction) {
            commitDirect(checkpoint);
            targetColumns = columns;
            tableExists = true;
            rejectionsStaged = false;
            replaced = stream.writeMode() == WriteMode.OVERWRITE;
            return;
        }
        // A stream that never sent a batch still gets its table, with the columns discovery promised.
        if (!tableExists && columns.isEmpty()) evolve(stream.schema());
        try {
            session.prepareSchema(connection, target, rejectionsStaged);
            session.inTransaction(connection, "committing " + stream.id() + " to " + target, () -> {
                PostgresDialect.INSTANCE.lockName(connection, target.toString());
                session.catalog().ensure(connection, target.ref(), columns);
                if (keyed() && !keyIndexChecked) PostgresTables.ensureKeyIndex(connection, target, keyColumns());
                TargetLoader loader = loader();
                switch (stream.writeMode()) {
                    case APPEND -> loader.append();
                    case OVERWRITE -> {
                        if (!replaced) loader.deleteAll();
                        // With a primary key, the new contents hold one row per key (the last), as merge would leave them.
                        if (stream.primaryKey().isEmpty()) {
                            loader.append();
                        } else {
                            copies.analyze();
                            loader.merge(keyColumns());
                        }
                    }
                    case MERGE -> {
                        copies.analyze();
                        loader.merge(keyColumns());
                    }
                }
                if (reconciler.recordsPasses()) reconciler.createTables();
                if (reconciler.hasWork()) reconciler.apply(target.ref(), staging.rows(), keyColumns(), TargetColumns.bySource(columns), run);
                if (rejectionsStaged) insertRejections();
                staging.clear();
                if (checkpoint.isPresent()) session.stateStore().save(connection, stream.connection(), checkpoint.get(), run);
                return null;
            });
        } catch (RuntimeException e) {
            noteBroken(e);
            throw e;
        }
        tableExists = true;
        targetColumns = columns;
        rejectionsStaged = false;
        keyIndexChecked = keyed();
        replaced = stream.writeMode() == WriteMode.OVERWRITE;
    }

    @Override
    public boolean reconciles() {
        return WarehouseStreamWriter.reconciles(stream);
    }

    private TargetLoader loader() {
        return new TargetLoader(connection, PostgresDialect.INSTANCE, target.ref(), staging.rows(), columns, run);
    }

    private void insertRejections() throws SQLException {
        RejectsTable.insertStaged(connection, PostgresDialect.INSTANCE, RejectsTable.of(target.ref()), staging.rejections(), stream.connection(),
                stream.id().toString(), run);
    }

    @Override
    public synchronized void abort() {
        ensureUsable();
        if (inTransaction) {
            IllegalStateException undo = new IllegalStateException("rolling back " + stream.id());
            rollbackDirect(undo);
            if (undo.getSuppressed().length > 0) throw failure("rolling back " + stream.id(), (SQLException) undo.getSuppressed()[0]);
        }
        // Start over from the table as committed: staged rows and the columns they added are forgotten.
        startStaging();
    }

    @Override
    public synchronized Optional<StreamState> committedState() {
        ensureUsable();
        try {
            return session.stateStore().read(connection, stream.connection(), stream.id());
        } catch (SQLException e) {
            throw failure("reading the state of " + stream.id(), e);
        }
    }

    /** Drops the staging tables, and so everything not committed, and gives the connection back. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (!broken && inTransaction) rollbackDirect(new IllegalStateException("closing the writer of " + stream.id()));
        if (!broken) {
            try {
                copies.drop();
            } catch (SQLException e) {
                broken = true;
            }
        }
        session.writerClosed(this, connection, broken);
    }

    /** The server process behind this writer's connection, for tests that cut it off. */
    int backendPid() {
        return backendPid;
    }

    private void startStaging() {
        try {
            Optional<List<Column>> table = session.catalog().load(connection, target.ref());
            staging.create(table.orElse(List.of()));
            reconciler.startStaging();
            columns = List.copyOf(table.orElse(List.of()));
            targetColumns = columns;
            tableExists = table.isPresent();
            rejectionsStaged = false;
        } catch (SQLException e) {
            throw failure("preparing to write " + stream.id(), e);
        }
    }

    /** Adds columns for new fields and widens columns for wider fields, in staging; commit does the same to the target. */
    private void evolve(Schema schema) {
        TargetColumns.Evolution change = TargetColumns.evolve(PostgresDialect.INSTANCE, columns, schema);
        if (change.isEmpty()) return;
        try {
            staging.evolve(change, true); // one ALTER TABLE, as rows may be staged
        } catch (SQLException e) {
            throw failure("evolving the staging table of " + stream.id(), e);
        }
        columns = change.columns();
    }

    /** Merge, and overwrite with a primary key, keep one row per key. */
    private boolean keyed() {
        return stream.writeMode() != WriteMode.APPEND && !stream.primaryKey().isEmpty();
    }

    private List<Column> keyColumns() {
        return TargetColumns.keyColumns(stream, columns, target);
    }

    /**
     * A COPY the server refused because of one value (class 22, data exception, or 23, integrity) as a
     * {@link DataException} naming the record's origin and field: the line of the COPY is the record's place in the batch.
     */
    private Optional<DataException> rejectedValue(SQLException e, RecordBatch batch) {
        if (!(e instanceof PSQLException p) || p.getServerErrorMessage() == null) return Optional.empty();
        ServerErrorMessage server = p.getServerErrorMessage();
        String state = e.getSQLState();
        if (state == null || !(state.startsWith("22") || state.startsWith("23")) || server.getWhere() == null) return Optional.empty();
        Matcher m = COPY_LINE.matcher(server.getWhere());
        if (!m.find()) return Optional.empty();
        int line = Integer.parseInt(m.group(1));
        if (line < 1 || line > batch.records().size()) return Optional.empty();
        String field = m.group(2) == null ? "" : columns.stream().filter(c -> c.name().equals(m.group(2))).map(c -> c.sourceName() + ": ")
                .findFirst().orElse(m.group(2) + ": ");
        return Optional.of(new DataException(batch.records().get(line - 1).origin(), field + "PostgreSQL cannot store the value: "
                + server.getMessage(), e));
    }

    private void discardFrom(long seq, Exception cause) {
        if (Failures.isTransient(cause)) {
            broken = true;
            return; // the staging tables went with the connection
        }
        try {
            staging.discardFrom(seq);
            reconciler.discardFrom(seq);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private RuntimeException failure(String what, SQLException e) {
        RuntimeException failure = session.failure(what, e);
        noteBroken(failure);
        return failure;
    }

    private void noteBroken(RuntimeException e) {
        if (Failures.isTransient(e)) broken = true;
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the writer of " + stream.id() + " is closed");
    }

    /** Open, and its connection not lost: what was staged went with the connection, so only a new writer can go on. */
    private void ensureUsable() {
        ensureOpen();
        if (broken) {
            throw new TransientException(session.describe() + ": the connection of the writer of " + stream.id()
                    + " was lost with what it had staged; a new writer starts again from the last commit");
        }
    }
}
