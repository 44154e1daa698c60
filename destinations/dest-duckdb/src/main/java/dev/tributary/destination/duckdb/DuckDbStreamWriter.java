package dev.tributary.destination.duckdb;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Field;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.WriteMode;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes one stream on its own connection: {@link #write} appends batches to the writer's staging tables (and
 * widens them as the schema evolves); {@link #commit} evolves the target table and moves the staged rows, the
 * rejections and the checkpoint into place in one transaction. Nothing reaches the target before a commit, so a
 * crash leaves the target and its state as they were. One writer per target table at a time.
 */
final class DuckDbStreamWriter implements StreamWriter {
    private final DuckDbSession session;
    private final DuckDBConnection connection;
    private final ConfiguredStream stream;
    private final RunId run;
    private final TableName target;
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

    private DuckDbStreamWriter(DuckDbSession session, DuckDBConnection connection, ConfiguredStream stream, RunId run) {
        this.session = session;
        this.connection = connection;
        this.stream = stream;
        this.run = run;
        this.target = session.tableName(stream);
        this.staging = new StagingTables(connection);
        this.reconciler = new Reconciler(connection, target.catalog(), stream.connection(), stream.id().toString());
    }

    static DuckDbStreamWriter open(DuckDbSession session, DuckDBConnection connection, ConfiguredStream stream, RunId run) {
        DuckDbStreamWriter writer = new DuckDbStreamWriter(session, connection, stream, run);
        try {
            writer.startStaging();
            return writer;
        } catch (RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    @Override
    public synchronized Optional<Schema> tableSchema() {
        ensureOpen();
        if (!tableExists && columns.isEmpty()) return Optional.empty();
        List<Field> fields = columns.stream().map(c -> Field.of(c.sourceName(), c.type())).toList();
        Set<String> names = new HashSet<>(fields.stream().map(Field::name).toList());
        List<String> key = names.containsAll(stream.primaryKey()) ? stream.primaryKey() : List.of();
        return Optional.of(new Schema(fields, key));
    }

    @Override
    public synchronized void write(RecordBatch batch) {
        ensureOpen();
        evolve(batch.schema());
        boolean completes = reconciles() && !batch.completions().isEmpty();
        if (batch.records().isEmpty() && batch.rejections().isEmpty() && !completes) return;
        long batchStart = nextSeq;
        Instant stagedAt = Instant.now();
        try {
            if (completes) reconciler.stage(batch.completions(), batchStart, stagedAt);
            long next = batchStart + 1; // batchStart itself numbers the batch's rejections
            if (!batch.records().isEmpty()) {
                rowsStaged = true;
                try (DuckDBAppender a = staging.rowsAppender()) {
                    next = BatchAppender.appendRecords(a, columns, batch, next, stagedAt);
                }
            }
            if (!batch.rejections().isEmpty()) {
                try (DuckDBAppender a = staging.rejectionsAppender()) {
                    BatchAppender.appendRejections(a, batch.rejections(), batchStart, stagedAt);
                }
                rejectionsStaged = true;
            }
            nextSeq = Math.max(next, batchStart + 1);
        } catch (SQLException | RuntimeException e) {
            discardFrom(batchStart, e);
            throw e instanceof SQLException ? session.failure("staging a batch of " + stream.id(), e) : (RuntimeException) e;
        }
    }

    @Override
    public synchronized void commit(Optional<StreamState> checkpoint) {
        ensureOpen();
        checkpoint.ifPresent(this::checkBelongsHere);
        // A stream that never sent a batch still gets its table, with the columns discovery promised.
        if (!tableExists && columns.isEmpty()) evolve(stream.schema());
        session.inTransaction(connection, "committing " + stream.id() + " to " + target, () -> {
            TableCatalog.ensure(connection, target, columns);
            TargetLoader loader = new TargetLoader(connection, target, staging.rows(), columns, run);
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
            if (reconciler.hasWork()) reconciler.apply(target, staging.rows(), keyColumns(), columnsBySource(), run);
            if (rejectionsStaged) {
                RejectsTable.insertStaged(connection, RejectsTable.of(target), staging.rejections(), stream.connection(),
                        stream.id().toString(), run);
            }
            staging.clear();
            if (checkpoint.isPresent()) session.stateStore().save(connection, stream.connection(), checkpoint.get(), run);
            return null;
        });
        tableExists = true;
        rejectionsStaged = false;
        rowsStaged = false;
        replaced = stream.writeMode() == WriteMode.OVERWRITE;
    }

    /** Completions make sense only where one row stands for one key: merge streams. */
    @Override
    public boolean reconciles() {
        return stream.writeMode() == WriteMode.MERGE && !stream.primaryKey().isEmpty();
    }

    private java.util.Map<String, Column> columnsBySource() {
        java.util.Map<String, Column> out = new java.util.HashMap<>();
        for (Column c : columns) out.put(c.sourceName(), c);
        return out;
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
            return session.stateStore().read(connection, stream.connection(), stream.id());
        } catch (SQLException e) {
            throw session.failure("reading the state of " + stream.id(), e);
        }
    }

    /** Closing the connection drops the staging tables and so everything not committed. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            throw session.failure("closing the writer of " + stream.id(), e);
        } finally {
            session.writerClosed(this);
        }
    }

    private void startStaging() {
        try {
            Optional<List<Column>> table = TableCatalog.load(connection, target);
            staging.create(table.orElse(List.of()));
            reconciler.startStaging();
            columns = List.copyOf(table.orElse(List.of()));
            tableExists = table.isPresent();
            rejectionsStaged = false;
            rowsStaged = false;
        } catch (SQLException e) {
            throw session.failure("preparing to write " + stream.id(), e);
        }
    }

    /** Adds columns for new fields and widens columns for wider fields, in staging; commit does the same to the target. */
    private void evolve(Schema schema) {
        List<Column> evolved = new ArrayList<>(columns);
        Set<String> taken = new HashSet<>();
        for (Column c : evolved) taken.add(c.name().toLowerCase(Locale.ROOT));
        List<Column> added = new ArrayList<>();
        List<Column> widened = new ArrayList<>();
        for (Field f : schema.fields()) {
            int i = indexOfSource(evolved, f.name());
            if (i < 0) {
                Column c = new Column(f.name(), f.name().equals(MetadataColumns.TENANT) ? MetadataColumns.TENANT
                        : Identifiers.unique(Identifiers.normalise(f.name()), taken), f.type());
                taken.add(c.name());
                evolved.add(c);
                added.add(c);
            } else if (!evolved.get(i).type().canHold(f.type())) {
                Column c = evolved.get(i).withType(evolved.get(i).type().widen(f.type()));
                evolved.set(i, c);
                widened.add(c);
            }
        }
        if (added.isEmpty() && widened.isEmpty()) return;
        try {
            if (!rowsStaged) {
                staging.createRows(evolved);
            } else {
                for (Column c : added) staging.addColumn(c);
                for (Column c : widened) staging.changeType(c);
            }
        } catch (SQLException e) {
            throw session.failure("evolving the staging table of " + stream.id(), e);
        }
        columns = List.copyOf(evolved);
    }

    private List<Column> keyColumns() {
        List<Column> key = new ArrayList<>();
        for (String name : stream.primaryKey()) {
            int i = indexOfSource(columns, name);
            if (i < 0) throw new IllegalStateException("stream " + stream.id() + ": primary key field '" + name + "' is not a column of " + target);
            key.add(columns.get(i));
        }
        return key;
    }

    private void checkBelongsHere(StreamState checkpoint) {
        if (!checkpoint.stream().equals(stream.id())) {
            throw new IllegalArgumentException("checkpoint of stream " + checkpoint.stream() + " committed by the writer of " + stream.id());
        }
    }

    private void discardFrom(long seq, Exception cause) {
        try {
            staging.discardFrom(seq);
            reconciler.discardFrom(seq);
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static int indexOfSource(List<Column> columns, String sourceName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).sourceName().equals(sourceName)) return i;
        }
        return -1;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the writer of " + stream.id() + " is closed");
    }
}
