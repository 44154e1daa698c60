package dev.tributary.destination.postgres;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.Field;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    private final StagingTables staging;
    private int backendPid;

    /** The target's columns as the next commit will leave them: the table's, plus what staged batches added or widened. */
    private List<Column> columns;
    private boolean tableExists;
    private long nextSeq;
    private boolean rejectionsStaged;
    /** OVERWRITE: an earlier commit of this writer already replaced the old rows, so later ones only add. */
    private boolean replaced;
    private boolean keyIndexChecked;
    /** The connection failed; it goes back to the pool only to be thrown away. */
    private boolean broken;
    private boolean closed;

    private PostgresStreamWriter(PostgresSession session, Connection connection, ConfiguredStream stream, RunId run) {
        this.session = session;
        this.connection = connection;
        this.stream = stream;
        this.run = run;
        this.target = session.tableName(stream);
        this.staging = new StagingTables(connection);
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
        if (!tableExists && columns.isEmpty()) return Optional.empty();
        List<Field> fields = columns.stream().map(c -> Field.of(c.sourceName(), c.type())).toList();
        Set<String> names = new HashSet<>(fields.stream().map(Field::name).toList());
        List<String> key = names.containsAll(stream.primaryKey()) ? stream.primaryKey() : List.of();
        return Optional.of(new Schema(fields, key));
    }

    @Override
    public synchronized void write(RecordBatch batch) {
        ensureUsable();
        evolve(batch.schema());
        if (batch.records().isEmpty() && batch.rejections().isEmpty()) return;
        long batchStart = nextSeq;
        Instant stagedAt = Instant.now();
        try {
            long next = batchStart + 1; // batchStart itself numbers the batch's rejections
            if (!batch.records().isEmpty()) {
                try (BinaryRowCopier copier = staging.copyRows(columns)) {
                    next = copier.records(columns, batch, next, stagedAt, keyed() ? keyColumns() : List.of());
                    copier.finish();
                } catch (SQLException e) {
                    Optional<DataException> rejected = rejectedValue(e, batch);
                    if (rejected.isPresent()) throw rejected.get();
                    throw e;
                }
            }
            if (!batch.rejections().isEmpty()) {
                try (BatchCopier copier = staging.copyRejections()) {
                    copier.rejections(batch.rejections(), batchStart, stagedAt);
                    copier.finish();
                }
                rejectionsStaged = true;
            }
            nextSeq = next;
        } catch (SQLException | RuntimeException e) {
            discardFrom(batchStart, e);
            throw e instanceof SQLException s ? failure("staging a batch of " + stream.id(), s) : (RuntimeException) e;
        }
    }

    @Override
    public synchronized void commit(Optional<StreamState> checkpoint) {
        ensureUsable();
        checkpoint.ifPresent(this::checkBelongsHere);
        // A stream that never sent a batch still gets its table, with the columns discovery promised.
        if (!tableExists && columns.isEmpty()) evolve(stream.schema());
        try {
            session.prepareSchema(connection, target, rejectionsStaged);
            session.inTransaction(connection, "committing " + stream.id() + " to " + target, () -> {
                PostgresSession.lockName(connection, target.toString());
                session.catalog().ensure(connection, target, columns);
                if (keyed() && !keyIndexChecked) TableCatalog.ensureKeyIndex(connection, target, keyColumns());
                TargetLoader loader = new TargetLoader(connection, target, staging.rows(), columns, run);
                switch (stream.writeMode()) {
                    case APPEND -> loader.append();
                    case OVERWRITE -> {
                        if (!replaced) loader.deleteAll();
                        // With a primary key, the new contents hold one row per key (the last), as merge would leave them.
                        if (stream.primaryKey().isEmpty()) {
                            loader.append();
                        } else {
                            staging.analyze();
                            loader.merge(keyColumns());
                        }
                    }
                    case MERGE -> {
                        staging.analyze();
                        loader.merge(keyColumns());
                    }
                }
                if (rejectionsStaged) {
                    RejectsTable.insertStaged(connection, RejectsTable.of(target), staging.rejections(), stream.connection(),
                            stream.id().toString(), run);
                }
                staging.clear();
                if (checkpoint.isPresent()) session.stateStore().save(connection, stream.connection(), checkpoint.get(), run);
            });
        } catch (RuntimeException e) {
            noteBroken(e);
            throw e;
        }
        tableExists = true;
        rejectionsStaged = false;
        keyIndexChecked = keyed();
        replaced = stream.writeMode() == WriteMode.OVERWRITE;
    }

    @Override
    public synchronized void abort() {
        ensureUsable();
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
        if (!broken) {
            try {
                staging.drop();
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
            Optional<List<Column>> table = session.catalog().load(connection, target);
            staging.create(table.orElse(List.of()));
            columns = List.copyOf(table.orElse(List.of()));
            tableExists = table.isPresent();
            rejectionsStaged = false;
        } catch (SQLException e) {
            throw failure("preparing to write " + stream.id(), e);
        }
    }

    /** Adds columns for new fields and widens columns for wider fields, in staging; commit does the same to the target. */
    private void evolve(Schema schema) {
        List<Column> evolved = new ArrayList<>(columns);
        Set<String> taken = new HashSet<>();
        for (Column c : evolved) taken.add(c.name());
        List<Column> added = new ArrayList<>();
        List<Column> widened = new ArrayList<>();
        List<Column> before = new ArrayList<>();
        for (Field f : schema.fields()) {
            int i = indexOfSource(evolved, f.name());
            if (i < 0) {
                Column c = new Column(f.name(), Identifiers.unique(Identifiers.normalise(f.name()), taken), f.type());
                taken.add(c.name());
                evolved.add(c);
                added.add(c);
            } else if (!evolved.get(i).type().canHold(f.type())) {
                Column c = evolved.get(i).withType(evolved.get(i).type().widen(f.type()));
                before.add(evolved.get(i));
                evolved.set(i, c);
                widened.add(c);
            }
        }
        if (added.isEmpty() && widened.isEmpty()) return;
        try {
            for (Column c : added) staging.addColumn(c);
            for (int i = 0; i < widened.size(); i++) staging.changeType(widened.get(i), before.get(i).type());
        } catch (SQLException e) {
            throw failure("evolving the staging table of " + stream.id(), e);
        }
        columns = List.copyOf(evolved);
    }

    /** Merge, and overwrite with a primary key, keep one row per key. */
    private boolean keyed() {
        return stream.writeMode() != WriteMode.APPEND && !stream.primaryKey().isEmpty();
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

    private void checkBelongsHere(StreamState checkpoint) {
        if (!checkpoint.stream().equals(stream.id())) {
            throw new IllegalArgumentException("checkpoint of stream " + checkpoint.stream() + " committed by the writer of " + stream.id());
        }
    }

    private void discardFrom(long seq, Exception cause) {
        if (Failures.isTransient(cause)) {
            broken = true;
            return; // the staging tables went with the connection
        }
        try {
            staging.discardFrom(seq);
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

    private static int indexOfSource(List<Column> columns, String sourceName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).sourceName().equals(sourceName)) return i;
        }
        return -1;
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
