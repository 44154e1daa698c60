package dev.tributary.destination.snowflake;

import static dev.tributary.destination.snowflake.SnowflakeDialect.ident;

import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.MetadataColumns;
import dev.tributary.destination.warehouse.SqlDialect;
import dev.tributary.destination.warehouse.TableRef;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Field;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.WriteMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes one stream on a connection of its own. {@link #write} only writes local gzip CSV files; {@link #commit}
 * adds or widens the target's columns (Snowflake DDL commits by itself, and a new nullable column is harmless), PUTs the
 * files to a temporary stage, COPYs them into a temporary staging table, then in one transaction inserts or merges the
 * staged rows into the target and replaces the stream's state row. A crash before that transaction's COMMIT leaves the
 * target's rows and the state as they were.
 */
final class SnowflakeStreamWriter implements StreamWriter {
    private final SnowflakeSession session;
    private final ConfiguredStream stream;
    private final RunId run;
    private final List<String> target;
    private final String targetSql;
    private final String stage;
    private final String staging;
    private final StagedFiles files = new StagedFiles();
    private final Connection connection;
    /** The data columns the next commit leaves, by column name: the table's plus what batches added or widened. */
    private final Map<String, Column> columns = new LinkedHashMap<>();
    /** The table's data columns as of the last commit (or as found); empty when it does not exist. */
    private Map<String, Column> tableColumns = new LinkedHashMap<>();
    private boolean tableExists;
    private long nextSeq;
    private boolean replaced;
    private boolean closed;

    SnowflakeStreamWriter(SnowflakeSession session, ConfiguredStream stream, RunId run) {
        this.session = session;
        this.stream = stream;
        this.run = run;
        this.target = session.tableName(stream);
        this.targetSql = SnowflakeDialect.qualified(target.get(0), target.get(1), target.get(2));
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
        this.stage = ident(session.database()) + "." + ident(session.metadataSchema()) + "." + ident("_TRIBUTARY_LOAD_" + suffix);
        this.staging = ident(session.database()) + "." + ident(session.metadataSchema()) + "." + ident("_TRIBUTARY_STAGED_" + suffix);
        this.connection = session.newConnection();
        try {
            readTable();
        } catch (SQLException e) {
            SnowflakeSession.closeQuietly(connection);
            files.close();
            throw session.failure("reading the columns of " + targetSql, e);
        }
    }

    private void readTable() throws SQLException {
        tableColumns = new LinkedHashMap<>();
        List<SqlDialect.StoredColumn> stored = SnowflakeDialect.INSTANCE.columns(connection, new TableRef(target.get(0), target.get(1), target.get(2)));
        tableExists = !stored.isEmpty();
        for (SqlDialect.StoredColumn c : stored) {
            if (MetadataColumns.isMetadata(c.name())) continue;
            tableColumns.put(c.name(), new Column(c.name(), c.name(), SnowflakeDialect.INSTANCE.dataType(c.nativeType()), c.nativeType()));
        }
        columns.clear();
        columns.putAll(tableColumns);
    }

    @Override
    public synchronized Optional<Schema> tableSchema() {
        ensureOpen();
        if (!tableExists && columns.isEmpty()) return Optional.empty();
        List<Field> fields = columns.values().stream().map(c -> Field.of(c.sourceName(), c.type())).toList();
        List<String> names = fields.stream().map(Field::name).toList();
        return Optional.of(new Schema(fields, names.containsAll(stream.primaryKey()) ? stream.primaryKey() : List.of()));
    }

    @Override
    public synchronized void write(RecordBatch batch) {
        ensureOpen();
        if (!batch.rejections().isEmpty()) {
            throw new UnsupportedOperationException("the Snowflake destination does not store rejections yet (" + batch.rejections().size()
                    + " in a batch of " + stream.id() + "): use on_error: fail");
        }
        List<Column> batchColumns = new ArrayList<>();
        for (Field f : batch.schema().fields()) {
            String name = SnowflakeDialect.identifier(f.name());
            Column known = columns.get(name);
            Column c = known == null ? new Column(f.name(), name, f.type()) : known.withType(known.type().widen(f.type()));
            columns.put(name, c);
            batchColumns.add(c);
        }
        if (batch.records().isEmpty()) return;
        files.write(batch.records(), batchColumns, nextSeq, Instant.now());
        nextSeq += batch.records().size();
    }

    @Override
    public synchronized void commit(Optional<StreamState> checkpoint) {
        ensureOpen();
        if (files.isEmpty() && checkpoint.isEmpty() && unchanged() && !(stream.writeMode() == WriteMode.OVERWRITE && !replaced)) return;
        String doing = "evolving " + targetSql;
        try {
            session.ensureSchema(connection, target.get(1));
            evolveTarget();
            List<Column> all = List.copyOf(columns.values());
            boolean staged = !files.isEmpty();
            if (staged) {
                doing = "loading the staged files of " + stream.id() + " into " + staging;
                try (Statement s = connection.createStatement()) {
                    s.execute("CREATE TEMPORARY STAGE IF NOT EXISTS " + stage);
                    s.execute(SnowflakeDialect.createStaging(staging, all));
                }
                files.load(connection, stage, staging);
            }
            doing = "committing " + stream.id() + " to " + targetSql;
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                if (stream.writeMode() == WriteMode.OVERWRITE && !replaced) s.executeUpdate("DELETE FROM " + targetSql);
                if (staged) {
                    List<String> key = stream.primaryKey().stream().map(SnowflakeDialect::identifier).toList();
                    s.executeUpdate(stream.writeMode() == WriteMode.MERGE ? SnowflakeDialect.merge(targetSql, staging, all, key, run.value())
                            : SnowflakeDialect.insert(targetSql, staging, all, run.value()));
                }
                if (checkpoint.isPresent()) session.saveState(connection, stream.connection(), checkpoint.get(), run);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            replaced = true;
            if (staged) {
                try (Statement s = connection.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + staging);
                }
            }
        } catch (SQLException e) {
            files.clear();
            throw session.failure(doing, e);
        } catch (RuntimeException e) {
            files.clear();
            throw e;
        }
    }

    /** Whether the columns are the table's, with the table's types. */
    private boolean unchanged() {
        if (!columns.keySet().equals(tableColumns.keySet())) return false;
        for (Column c : columns.values()) if (tableColumns.get(c.name()).type() != c.type()) return false;
        return true;
    }

    /** New columns added, wider ones widened (each a DDL statement, which Snowflake commits by itself). */
    private void evolveTarget() throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (!tableExists) {
                s.execute(SnowflakeDialect.createTarget(targetSql, List.copyOf(columns.values())));
                tableExists = true;
            } else {
                for (Column c : columns.values()) {
                    Column had = tableColumns.get(c.name());
                    if (had == null) {
                        s.execute(SnowflakeDialect.addColumn(targetSql, c));
                    } else if (had.type() != c.type()) {
                        for (String sql : SnowflakeDialect.widen(targetSql, c)) s.execute(sql);
                    }
                }
            }
        }
        tableColumns = new LinkedHashMap<>(columns);
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public synchronized void abort() {
        if (closed) return;
        files.clear();
        columns.clear();
        columns.putAll(tableColumns);
    }

    @Override
    public synchronized Optional<StreamState> committedState() {
        return session.committedState(stream.connection(), stream.id());
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("writer of " + stream.id() + " to " + targetSql + " is closed");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        files.close();
        SnowflakeSession.closeQuietly(connection);
    }
}
