package dev.tributary.destination.iceberg;

import dev.tributary.destination.iceberg.TableShape.Column;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.WriteMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;

/**
 * Writes one stream into its lakehouse table. Batches go straight into Parquet data files (nothing is held in memory
 * but the current batch and, for merges, each staged key's place); {@link #commit} adds them to the table in one
 * Iceberg snapshot whose summary also holds the stream's state, so data and state appear together or not at all.
 * A merge deletes the stored rows of the staged keys by position (merge-on-read: position delete files); see the README.
 */
final class IcebergStreamWriter implements StreamWriter {
    private static final int COMMIT_ATTEMPTS = 10;

    private final IcebergSession session;
    private final ConfiguredStream stream;
    private final RunId run;
    private final TableIdentifier id;
    private final Optional<String> tenant;
    private final String stateKey;
    private Table table;
    private TableShape shape;
    private StagedFiles staged;
    /** Merge: each staged key's last row, by key text. */
    private final Map<String, Staged> keys = new HashMap<>();
    /** Merge: the first key column's staged values, to prune the files a merge must read. */
    private final Set<Object> firstKeyValues = new HashSet<>();
    /** Staged rows a later row of the same key replaced (file number and position). */
    private final List<Long> superseded = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();
    /** Stored data files the staged position deletes point at. */
    private final List<CharSequence> storedReferenced = new ArrayList<>();
    private boolean replaced;
    private boolean closed;

    /** Where a key's staged row is, and when the source deleted it (null when it did not). */
    private record Staged(long where, Instant deletedAt) {}

    IcebergStreamWriter(IcebergSession session, ConfiguredStream stream, RunId run) {
        this.session = session;
        this.stream = stream;
        this.run = run;
        this.id = IcebergNames.tableFor(stream);
        this.tenant = IcebergNames.tenantOf(stream.connection());
        this.stateKey = StateSummary.key(stream.connection(), stream.id());
        this.table = TableFactory.load(session.catalog(), id).orElse(null);
        this.shape = table == null ? null : TableShape.of(table);
    }

    TableIdentifier tableId() {
        return id;
    }

    @Override
    public Optional<Schema> tableSchema() {
        return shape == null ? Optional.empty() : Optional.of(shape.spiSchema(stream.primaryKey()));
    }

    @Override
    public void write(RecordBatch batch) {
        ensureOpen();
        ensureTable(batch.schema().fields());
        evolve(batch.schema());
        List<Record> rows = toRows(batch);
        if (staged == null) staged = new StagedFiles(table, table.schema(), run.value() + "-" + UUID.randomUUID());
        List<String> keyColumns = keyColumns();
        for (int i = 0; i < rows.size(); i++) {
            long where = staged.write(rows.get(i));
            if (stream.writeMode() == WriteMode.MERGE) {
                Record r = rows.get(i);
                String key = KeyPositions.keyOf(r, keyColumns, tenant);
                Staged before = keys.put(key, new Staged(where, batch.records().get(i).deletedAt()));
                if (before != null) superseded.add(before.where());
                firstKeyValues.add(r.getField(keyColumns.get(0)));
            }
        }
        rejections.addAll(batch.rejections());
    }

    @Override
    public void commit(Optional<StreamState> checkpoint) {
        ensureOpen();
        boolean hasRows = staged != null && !staged.isEmpty();
        if (!hasRows && checkpoint.isEmpty() && rejections.isEmpty() && !(stream.writeMode() == WriteMode.OVERWRITE && !replaced)) return;
        ensureTable(stream.schema().fields());
        if (!rejections.isEmpty()) {
            session.rejects().append(id.namespace(), stream.connection(), stream.id().toString(), run.value(), rejections);
            rejections.clear();
        }
        List<DeleteFile> deletes = new ArrayList<>();
        List<DataFile> dataFiles = List.of();
        try {
            if (stream.writeMode() == WriteMode.MERGE && hasRows) reviveDeletedRows();
            dataFiles = staged == null ? List.of() : staged.finish();
            if (stream.writeMode() == WriteMode.MERGE && hasRows) deletes = mergeDeletes(dataFiles);
            commitSnapshot(dataFiles, deletes, checkpoint);
        } catch (RuntimeException e) {
            discardStaged();
            for (DeleteFile d : deletes) deleteQuietly(d.location());
            throw e;
        }
        replaced = true;
        staged = null;
        clearKeys();
        session.remember(stateKey, id);
    }

    @Override
    public void abort() {
        discardStaged();
        rejections.clear();
    }

    @Override
    public Optional<StreamState> committedState() {
        return session.committedState(stream.connection(), stream.id());
    }

    @Override
    public void close() {
        if (closed) return;
        abort();
        closed = true;
        session.forget(this);
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the writer of " + stream.id() + " is closed");
    }

    private void ensureTable(List<Field> fields) {
        if (table != null) return;
        table = TableFactory.loadOrCreate(session.catalog(), id, fields, stream.primaryKey(), tenant.isPresent(),
                session.config().tableSettings(IcebergNames.baseConnection(stream.connection()), stream.id().name()));
        shape = TableShape.of(table);
    }

    /** Adds the batch's new columns (one metadata commit; they read as null in older rows) and widens types Iceberg can widen. */
    private void evolve(Schema batchSchema) {
        TableShape.Changes changes = shape.changesFor(batchSchema);
        if (changes.isEmpty()) return;
        if (!changes.widened().isEmpty()) {
            boolean hadStaged = staged != null && !staged.isEmpty();
            List<DataFile> stagedFiles = staged == null ? List.of() : staged.finish();
            List<Long> keep = List.copyOf(superseded);
            TableRewriter.Retyped retyped = TableRewriter.widen(table, changes.widened(), stagedFiles, keep, run.value());
            table.refresh();
            shape = TableShape.of(table);
            if (staged != null) {
                staged.discard();
                staged = null;
            }
            clearKeys();
            if (hadStaged) restage(retyped.stagedRows());
            changes = shape.changesFor(batchSchema);
            if (changes.added().isEmpty()) return;
        }
        var txn = table.newTransaction();
        var update = txn.updateSchema();
        Set<String> json = new HashSet<>(TableShape.jsonColumns(table.properties()));
        for (Column c : changes.added()) {
            update.addColumn(c.name(), IcebergTypes.icebergType(c.type()), c.source());
            if (c.type() == DataType.JSON) json.add(c.name());
        }
        update.commit();
        if (!json.equals(TableShape.jsonColumns(table.properties()))) {
            txn.updateProperties().set(IcebergTypes.JSON_COLUMNS, TableShape.jsonColumnsValue(json)).commit();
        }
        txn.commitTransaction();
        table.refresh();
        shape = TableShape.of(table);
        if (staged != null) staged.useSchema(table.schema());
    }

    /** Stages again rows that were staged before a column was retyped, now in the new types. */
    private void restage(List<Record> rows) {
        staged = new StagedFiles(table, table.schema(), run.value() + "-" + UUID.randomUUID());
        List<String> keyColumns = keyColumns();
        for (Record r : rows) {
            long where = staged.write(r);
            if (stream.writeMode() == WriteMode.MERGE) {
                Object deleted = r.getField(TributaryColumns.DELETED_AT);
                Staged before = keys.put(KeyPositions.keyOf(r, keyColumns, tenant),
                        new Staged(where, deleted == null ? null : ((OffsetDateTime) deleted).toInstant()));
                if (before != null) superseded.add(before.where());
                firstKeyValues.add(r.getField(keyColumns.get(0)));
            }
        }
    }

    private List<String> keyColumns() {
        List<String> out = new ArrayList<>();
        for (String k : stream.primaryKey()) {
            out.add(shape.column(k).orElseThrow(() -> new IllegalStateException("stream " + stream.id() + ": primary key column '" + k
                    + "' is not in table " + id)).name());
        }
        return out;
    }

    /** The batch's records as rows of the table, every value converted first, so a bad value stages nothing of the batch. */
    private List<Record> toRows(RecordBatch batch) {
        org.apache.iceberg.Schema schema = table.schema();
        Types.StructType struct = schema.asStruct();
        List<Field> fields = batch.schema().fields();
        int[] position = new int[fields.size()];
        DataType[] types = new DataType[fields.size()];
        List<Types.NestedField> columns = struct.fields();
        for (int f = 0; f < fields.size(); f++) {
            Column c = shape.column(fields.get(f).name()).orElseThrow();
            types[f] = c.type();
            position[f] = indexOf(columns, c.name());
        }
        int extractedAt = indexOf(columns, TributaryColumns.EXTRACTED_AT);
        int runId = indexOf(columns, TributaryColumns.RUN_ID);
        int deletedAt = indexOf(columns, TributaryColumns.DELETED_AT);
        int tenantAt = tenant.isPresent() ? indexOf(columns, TributaryColumns.TENANT) : -1;
        OffsetDateTime now = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        GenericRecord template = GenericRecord.create(struct);
        List<Record> rows = new ArrayList<>(batch.records().size());
        for (dev.tributary.spi.Record in : batch.records()) {
            GenericRecord r = template.copy();
            Object[] values = in.values();
            for (int f = 0; f < fields.size(); f++) {
                Object v = f < values.length ? values[f] : null;
                r.set(position[f], IcebergTypes.toIceberg(v, types[f], in.origin(), fields.get(f).name()));
            }
            r.set(extractedAt, now);
            r.set(runId, run.value());
            if (in.deletedAt() != null) r.set(deletedAt, in.deletedAt().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
            if (tenantAt >= 0) r.set(tenantAt, tenant.get());
            rows.add(r);
        }
        return rows;
    }

    private static int indexOf(List<Types.NestedField> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) return i;
        }
        throw new IllegalStateException("column " + name + " is missing from the table");
    }

    /**
     * A deletion of a key that is stored keeps the stored values, marked deleted (as in every warehouse): the stored
     * row is staged again with the deletion's time, and the staged deletion record is dropped.
     */
    private void reviveDeletedRows() {
        Set<String> deleted = new HashSet<>();
        for (Map.Entry<String, Staged> e : keys.entrySet()) {
            if (e.getValue().deletedAt() != null) deleted.add(e.getKey());
        }
        if (deleted.isEmpty() || table.currentSnapshot() == null) return;
        List<String> keyColumns = keyColumns();
        Expression filter = KeyPositions.filter(table, keyColumns, firstKeyValues, tenant);
        OffsetDateTime now = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        for (Record stored : KeyPositions.liveRows(table, keyColumns, deleted, filter, tenant)) {
            if (stored.getField(TributaryColumns.DELETED_AT) != null) continue;
            String key = KeyPositions.keyOf(stored, keyColumns, tenant);
            Staged deletion = keys.get(key);
            Record revived = stored.copy();
            revived.setField(TributaryColumns.DELETED_AT, deletion.deletedAt().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
            revived.setField(TributaryColumns.EXTRACTED_AT, now);
            revived.setField(TributaryColumns.RUN_ID, run.value());
            long where = staged.write(revived);
            superseded.add(deletion.where());
            keys.put(key, new Staged(where, deletion.deletedAt()));
        }
    }

    /** Position deletes: staged rows a later row of their key replaced, and the stored rows of every staged key. */
    private List<DeleteFile> mergeDeletes(List<DataFile> dataFiles) {
        PositionDeletes deletes = new PositionDeletes(table, run.value() + "-" + UUID.randomUUID());
        Map<String, DataFile> byPath = new HashMap<>();
        for (DataFile f : dataFiles) byPath.put(f.location(), f);
        for (long where : superseded) {
            DataFile f = byPath.get(staged.path((int) (where >>> 40)));
            deletes.add(f.location(), where & ((1L << 40) - 1), table.specs().get(f.specId()), f.partition());
        }
        List<String> keyColumns = keyColumns();
        Expression filter = KeyPositions.filter(table, keyColumns, firstKeyValues, tenant);
        for (KeyPositions.Position p : KeyPositions.find(table, keyColumns, keys, filter, tenant)) {
            deletes.add(p.path(), p.position(), p.spec(), p.partition());
            if (storedReferenced.isEmpty() || !storedReferenced.get(storedReferenced.size() - 1).equals(p.path())) storedReferenced.add(p.path());
        }
        return deletes.write();
    }

    private void commitSnapshot(List<DataFile> dataFiles, List<DeleteFile> deletes, Optional<StreamState> checkpoint) {
        Instant now = Instant.now();
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            Long base = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
            Map<String, String> states = StateSummary.current(table);
            checkpoint.ifPresent(s -> states.put(stateKey, StateSummary.value(s, run.value(), now)));
            SnapshotUpdate<?> op;
            if (stream.writeMode() == WriteMode.OVERWRITE && !replaced) {
                OverwriteFiles overwrite = table.newOverwrite()
                        .overwriteByRowFilter(tenant.isPresent() ? Expressions.equal(TributaryColumns.TENANT, tenant.get()) : Expressions.alwaysTrue());
                dataFiles.forEach(overwrite::addFile);
                op = overwrite;
            } else if (!deletes.isEmpty()) {
                RowDelta delta = table.newRowDelta();
                dataFiles.forEach(delta::addRows);
                deletes.forEach(delta::addDeletes);
                if (base != null) delta.validateFromSnapshot(base);
                // a compaction that rewrote the files these deletes point at would make them point at nothing: fail loudly
                delta.validateDataFilesExist(storedReferenced);
                op = delta;
            } else {
                var append = table.newAppend();
                dataFiles.forEach(append::appendFile);
                op = append;
            }
            op.set("tributary.run-id", run.value());
            op.set("tributary.connection", stream.connection());
            states.forEach(op::set);
            try {
                op.commit();
                return;
            } catch (CommitFailedException e) {
                // another writer (another tenant of the same table) committed first: read its states and try again
                if (attempt >= COMMIT_ATTEMPTS) throw new IllegalStateException("committing " + id + " failed " + attempt
                        + " times because other writers committed at the same time: " + e.getMessage(), e);
            }
        }
    }

    private void discardStaged() {
        if (staged != null) staged.discard();
        staged = null;
        clearKeys();
    }

    private void clearKeys() {
        keys.clear();
        firstKeyValues.clear();
        superseded.clear();
        storedReferenced.clear();
    }

    private void deleteQuietly(String path) {
        try {
            table.io().deleteFile(path);
        } catch (RuntimeException e) {
            // left for remove-orphans
        }
    }
}
