package dev.tributary.destination.warehouse;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.WriteMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Writes one stream on its own connection: {@link #write} bulk-loads batches into the writer's staging tables
 * through the warehouse's {@link BulkLoad} (widening staging as the schema evolves); {@link #commit} evolves the
 * target table and moves the staged rows, the rejections, the reconciliation and the checkpoint into place in one
 * transaction. Nothing reaches the target before a commit, so a crash leaves the target and its state as they were.
 * One writer per target table at a time.
 */
public final class WarehouseStreamWriter implements StreamWriter {
    private final Warehouse warehouse;
    private final SqlDialect dialect;
    private final Connection connection;
    private final BulkLoad load;
    private final ConfiguredStream stream;
    private final RunId run;
    private final TableRef target;
    private final StagingTables staging;
    private final Reconciler reconciler;

    /** The target's columns as the next commit will leave them: the table's, plus what staged batches added or widened. */
    private List<Column> columns;
    private boolean tableExists;
    private long nextSeq;
    private boolean rejectionsStaged;
    /** Rows were staged since the staging table was last emptied: it must be altered, not made again. */
    private boolean rowsStaged;
    /** OVERWRITE: an earlier commit of this writer already replaced the old rows, so later ones only add. */
    private boolean replaced;
    private boolean closed;

    private WarehouseStreamWriter(Warehouse warehouse, Connection connection, BulkLoad load, ConfiguredStream stream, RunId run, TableRef target) {
        this.warehouse = warehouse;
        this.dialect = warehouse.dialect();
        this.connection = connection;
        this.load = load;
        this.stream = stream;
        this.run = run;
        this.target = target;
        this.staging = new StagingTables(connection, dialect);
        this.reconciler = new Reconciler(connection, dialect, warehouse.metadataSchema(), stream.connection(), stream.id().toString());
    }

    /**
     * A writer of {@code stream} into {@code target} on {@code connection} (the writer's own: its staging tables live
     * there), loading through {@code load}. A failure to prepare closes {@code load}.
     */
    public static WarehouseStreamWriter open(Warehouse warehouse, Connection connection, BulkLoad load, ConfiguredStream stream, RunId run,
            TableRef target) {
        WarehouseStreamWriter writer = new WarehouseStreamWriter(warehouse, connection, load, stream, run, target);
        try {
            writer.startStaging();
            return writer;
        } catch (RuntimeException e) {
            try {
                load.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    @Override
    public synchronized Optional<Schema> tableSchema() {
        ensureOpen();
        return TargetColumns.tableSchema(stream, columns, tableExists);
    }

    @Override
    public synchronized void write(RecordBatch batch) {
        ensureOpen();
        evolve(batch.schema());
        if (!hasWork(batch, reconciles())) return;
        boolean completes = reconciles() && !batch.completions().isEmpty();
        long batchStart = nextSeq;
        Instant stagedAt = Instant.now();
        try {
            if (completes) reconciler.stage(batch.completions(), batchStart, stagedAt);
            long next = batchStart + 1; // batchStart itself numbers the batch's rejections
            if (!batch.records().isEmpty()) {
                rowsStaged = true;
                next = load.stageRecords(columns, batch, next, stagedAt);
            }
            if (!batch.rejections().isEmpty()) {
                load.stageRejections(batch.rejections(), batchStart, stagedAt);
                rejectionsStaged = true;
            }
            nextSeq = Math.max(next, batchStart + 1);
        } catch (SQLException | RuntimeException e) {
            discardFrom(batchStart, e);
            throw e instanceof SQLException ? warehouse.failure("staging a batch of " + stream.id(), e) : (RuntimeException) e;
        }
    }

    @Override
    public synchronized void commit(Optional<StreamState> checkpoint) {
        ensureOpen();
        checkpoint.ifPresent(this::checkBelongsHere);
        // A stream that never sent a batch still gets its table, with the columns discovery promised.
        if (!tableExists && columns.isEmpty()) evolve(stream.schema());
        String what = "committing " + stream.id() + " to " + target;
        try {
            load.flush();
        } catch (SQLException e) {
            throw warehouse.failure("loading the staged batches of " + stream.id(), e);
        }
        // Where DDL would commit the data transaction early, all of it comes first: a crash then leaves new, empty columns and tables only.
        boolean ddlFirst = dialect.ddlCommits();
        if (ddlFirst) {
            try {
                prepareTables();
            } catch (SQLException e) {
                throw warehouse.failure(what, e);
            }
        }
        warehouse.inTransaction(connection, what, () -> {
            if (!ddlFirst) prepareTables();
            TargetLoader loader = new TargetLoader(connection, dialect, target, staging.rows(), columns, run);
            switch (stream.writeMode()) {
                case APPEND -> loader.append();
                case OVERWRITE -> {
                    if (!replaced) loader.deleteAll();
                    // With a primary key, the new contents hold one row per key (the last), as merge would leave them.
                    if (stream.primaryKey().isEmpty()) loader.append();
                    else loader.merge(keyColumns());
                }
                case MERGE -> loader.merge(keyColumns());
            }
            if (reconciler.hasWork()) reconciler.apply(target, staging.rows(), keyColumns(), TargetColumns.bySource(columns), run);
            if (rejectionsStaged) {
                RejectsTable.insertStaged(connection, dialect, RejectsTable.of(target), staging.rejections(), stream.connection(), stream.id().toString(), run);
            }
            staging.clear();
            if (checkpoint.isPresent()) warehouse.stateStore().save(connection, stream.connection(), checkpoint.get(), run);
            return null;
        });
        tableExists = true;
        rejectionsStaged = false;
        rowsStaged = false;
        replaced = stream.writeMode() == WriteMode.OVERWRITE;
    }

    /** The commit's DDL: the target's schema and table as {@link #columns} say, and the rejects and reconciliation tables it needs. */
    private void prepareTables() throws SQLException {
        dialect.lockName(connection, target.schema());
        warehouse.catalog().ensureSchema(connection, target);
        dialect.lockName(connection, target.toString());
        warehouse.catalog().ensure(connection, target, columns);
        if (reconciler.recordsPasses()) reconciler.createTables();
        if (rejectionsStaged) RejectsTable.create(connection, dialect, RejectsTable.of(target));
    }

    @Override
    public boolean reconciles() {
        return reconciles(stream);
    }

    /** Completions make sense only where one row stands for one key: merge streams. */
    public static boolean reconciles(ConfiguredStream stream) {
        return stream.writeMode() == WriteMode.MERGE && !stream.primaryKey().isEmpty();
    }

    /** Whether a batch (its schema already applied) leaves anything to stage: records, rejections or completions to apply. */
    public static boolean hasWork(RecordBatch batch, boolean reconciles) {
        return !batch.records().isEmpty() || !batch.rejections().isEmpty() || (reconciles && !batch.completions().isEmpty());
    }

    /** Closes every writer, going on past failures; returns the first failure (the others suppressed in it), or null. */
    public static RuntimeException closeAll(java.util.Collection<? extends StreamWriter> writers) {
        RuntimeException problem = null;
        for (StreamWriter w : List.copyOf(writers)) {
            try {
                w.close();
            } catch (RuntimeException e) {
                if (problem == null) problem = e; else problem.addSuppressed(e);
            }
        }
        return problem;
    }

    @Override
    public synchronized void abort() {
        ensureOpen();
        // Start over from the table as committed: staged rows and the columns they added are forgotten.
        startStaging();
    }

    @Override
    public synchronized Optional<StreamState> committedState() {
        ensureOpen();
        try {
            return warehouse.stateStore().read(connection, stream.connection(), stream.id());
        } catch (SQLException e) {
            throw warehouse.failure("reading the state of " + stream.id(), e);
        }
    }

    /** Closing the connection drops the staging tables and so everything not committed. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            load.close();
        } catch (SQLException e) {
            throw warehouse.failure("closing the writer of " + stream.id(), e);
        } finally {
            warehouse.writerClosed(this);
        }
    }

    private void startStaging() {
        try {
            Optional<List<Column>> table = warehouse.catalog().load(connection, target);
            load.discardFrom(0); // what the bulk load held back of an aborted run
            staging.create(table.orElse(List.of()));
            reconciler.startStaging();
            columns = List.copyOf(table.orElse(List.of()));
            tableExists = table.isPresent();
            rejectionsStaged = false;
            rowsStaged = false;
        } catch (SQLException e) {
            throw warehouse.failure("preparing to write " + stream.id(), e);
        }
    }

    /** Adds columns for new fields and widens columns for wider fields, in staging; commit does the same to the target. */
    private void evolve(Schema schema) {
        TargetColumns.Evolution change = TargetColumns.evolve(dialect, columns, schema);
        if (change.isEmpty()) return;
        try {
            staging.evolve(change, rowsStaged);
        } catch (SQLException e) {
            throw warehouse.failure("evolving the staging table of " + stream.id(), e);
        }
        columns = change.columns();
    }

    private List<Column> keyColumns() {
        return TargetColumns.keyColumns(stream, columns, target);
    }

    private void checkBelongsHere(StreamState checkpoint) {
        checkBelongs(stream, checkpoint);
    }

    /** A checkpoint committed by the writer of {@code stream} must be of that stream. */
    public static void checkBelongs(ConfiguredStream stream, StreamState checkpoint) {
        if (!checkpoint.stream().equals(stream.id())) {
            throw new IllegalArgumentException("checkpoint of stream " + checkpoint.stream() + " committed by the writer of " + stream.id());
        }
    }

    private void discardFrom(long seq, Exception cause) {
        try {
            load.discardFrom(seq);
            staging.discardFrom(seq);
            reconciler.discardFrom(seq);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the writer of " + stream.id() + " is closed");
    }
}
