package dev.tributary.destination.iceberg;

import dev.tributary.destination.iceberg.TableShape.Column;
import dev.tributary.spi.Completion;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WriteMode;
import dev.tributary.spi.WriterLock;
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
    /** Snapshot summary property: this commit's own id, to find whether it landed when the catalog's answer was lost. */
    static final String COMMIT_ID = "tributary.commit-id";
    /** Runs just before the catalog commit of each snapshot; tests use it to kill a process at that moment. */
    static volatile Runnable beforeCatalogCommit = () -> {};
    /** Runs just after the catalog accepted a commit; tests use it to lose the answer (a connection dropped after the UPDATE). */
    static volatile Runnable afterCatalogCommit = () -> {};

    private final IcebergSession session;
    private final ConfiguredStream stream;
    private final RunId run;
    private final TableIdentifier id;
    private final String stateKey;
    private Table table;
    private TableShape shape;
    private StagedFiles staged;
    /** Merge: each staged key's last row. */
    private final StagedKeys keys = new StagedKeys();
    /** Merge: the first key column's staged values, to prune the files a merge must read (and their range). */
    private final KeyRange firstKeyValues = new KeyRange();
    /** Staged rows a later row of the same key replaced (file number and position). */
    private final List<Long> superseded = new ArrayList<>();
    private final List<Rejection> rejections = new ArrayList<>();
    /** Whether this writer has looked for rejects batches a lost data commit left (see {@link RejectsTable}); again after an abort. */
    private boolean rejectsChecked;
    /** Reconciliation: the pass this writer works on (null: none), when it began, its committed key files, staged keys. */
    private String passId;
    private Instant passStarted;
    private List<String> passFiles = List.of();
    private final Set<String> passKeys = new HashSet<>();
    private Instant passEndsAt;
    private boolean passLoaded;
    /** Scoped completions of this commit: scope (columns and value, as text) to the keys of the last batch covering it. */
    private final Map<String, Scope> scopes = new HashMap<>();
    /** Staged keys of batches that had scopes, with each record's scope text per scope columns. */
    private final Map<String, Map<List<String>, String>> stagedScopes = new HashMap<>();
    /** Stored data files the staged position deletes point at. */
    private final List<CharSequence> storedReferenced = new ArrayList<>();
    private boolean replaced;
    private boolean closed;
    /** The table lock, shared with the other writers of the table, held from the first staged batch to commit or abort. */
    private WriterLock tableLock;
    /** The schema the staged files were written under (null: nothing staged). */
    private org.apache.iceberg.Schema stagedSchema;
    /** The snapshot the merge's key scan read: the commit validates from it. */
    private Long scannedSnapshot;

    /** The complete set of keys (as text) for one scope value. */
    private record Scope(List<String> columns, String value, Set<String> keys, Instant deletedAt) {}

    IcebergStreamWriter(IcebergSession session, ConfiguredStream stream, RunId run) {
        this.session = session;
        this.stream = stream;
        this.run = run;
        this.id = IcebergNames.tableFor(stream);
        this.stateKey = StateSummary.key(stream.connection(), stream.id());
        this.table = TableFactory.load(session.catalog(), id).map(t -> TableFactory.matchSettings(t, id,
                session.config().tableSettings(stream.connection(), stream.id().name()))).orElse(null);
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
        holdTable();
        ensureTable(batch.schema().fields());
        evolve(batch.schema());
        List<TableRow> rows = toRows(batch);
        if (staged == null) staged = StagedFiles.pipelined(table, table.schema(), run.value() + "-" + UUID.randomUUID());
        stagedSchema = table.schema();
        KeyPositions.RowKey key = KeyPositions.RowKey.of(table.schema(), keyColumns());
        for (int i = 0; i < rows.size(); i++) stage(rows.get(i), batch.records().get(i).deletedAt(), key);
        rejections.addAll(batch.rejections());
        if (stream.writeMode() == WriteMode.MERGE && !batch.completions().isEmpty()) stageCompletions(batch, rows, key);
    }

    @Override
    public boolean reconciles() {
        return stream.writeMode() == WriteMode.MERGE;
    }

    /** Notes what the batch's completions say, to apply at commit (see {@link Reconciliation}). */
    private void stageCompletions(RecordBatch batch, List<TableRow> rows, KeyPositions.RowKey rowKey) {
        for (Completion c : batch.completions()) {
            switch (c) {
                case Completion.KeysSeen k -> {
                    loadPass();
                    if (!k.passId().equals(passId)) {
                        passId = k.passId();
                        passStarted = Instant.now().truncatedTo(ChronoUnit.MICROS);
                        passFiles = List.of();
                        passKeys.clear();
                        passEndsAt = null;
                    }
                    for (List<Object> key : k.keys()) passKeys.add(Completion.asText(key));
                    if (k.endsPass()) passEndsAt = k.deletedAt();
                }
                case Completion.Scopes sc -> {
                    List<String> columns = sc.columns().stream().map(col -> shape.column(col).orElseThrow(() -> new IllegalArgumentException(
                            "stream " + stream.id() + ": scope column '" + col + "' is not a field")).name()).toList();
                    KeyPositions.RowKey scope = KeyPositions.RowKey.of(table.schema(), columns);
                    Set<String> batchKeys = new HashSet<>();
                    for (TableRow r : rows) {
                        String k = rowKey.of(r);
                        batchKeys.add(k);
                        stagedScopes.computeIfAbsent(k, x -> new HashMap<>()).put(columns, scope.of(r));
                    }
                    for (List<Object> v : sc.values()) {
                        String value = Completion.asText(v);
                        scopes.put(columns + "=" + value, new Scope(columns, value, batchKeys, sc.deletedAt()));
                    }
                }
            }
        }
    }

    /** The pass committed for this stream, once per writer. */
    private void loadPass() {
        if (passLoaded) return;
        passLoaded = true;
        Reconciliation.read(table, passKey()).ifPresent(p -> {
            passId = p.id();
            passStarted = p.started();
            passFiles = p.files();
        });
    }

    private String passKey() {
        return Reconciliation.key(stream.connection(), stream.id().toString());
    }

    @Override
    public void commit(Optional<StreamState> checkpoint) {
        ensureOpen();
        boolean hasRows = staged != null && !staged.isEmpty();
        boolean reconciling = passEndsAt != null || !passKeys.isEmpty() || !scopes.isEmpty();
        if (!hasRows && checkpoint.isEmpty() && rejections.isEmpty() && !reconciling && !(stream.writeMode() == WriteMode.OVERWRITE && !replaced)) {
            releaseTable();
            return;
        }
        holdTable();
        ensureTable(stream.schema().fields());
        String rejectsBatch = null;
        if (!rejections.isEmpty() || !rejectsChecked) {
            table.refresh();
            String acknowledged = table.currentSnapshot() == null ? null : table.currentSnapshot().summary().get(rejectsKey());
            rejectsBatch = session.rejects().append(id.namespace(), stream.connection(), stream.id().toString(), run.value(), rejections, acknowledged);
            rejectsChecked = true;
            rejections.clear();
        }
        List<DeleteFile> deletes = new ArrayList<>();
        List<DataFile> dataFiles = List.of();
        boolean keepFiles = false;
        try {
            table.refresh();
            refuseStaleStagedFiles();
            // what the key scans below read: the commit validates every change since, whatever it re-reads before trying
            scannedSnapshot = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
            if (stream.writeMode() == WriteMode.MERGE && hasRows) reviveDeletedRows();
            List<KeyPositions.Position> reconciled = new ArrayList<>();
            if (passEndsAt != null || !scopes.isEmpty()) {
                if (staged == null) staged = StagedFiles.pipelined(table, table.schema(), run.value() + "-" + UUID.randomUUID());
                reconciled.addAll(markStoredRows());
            }
            dataFiles = new ArrayList<>(staged == null ? List.of() : staged.finish());
            if (!scopes.isEmpty() && !stagedScopes.isEmpty()) dataFiles.addAll(markStagedRows(dataFiles));
            if (stream.writeMode() == WriteMode.MERGE && (hasRows || !reconciled.isEmpty())) deletes = mergeDeletes(dataFiles, reconciled);
            String keyFile = passId != null && passEndsAt == null && !passKeys.isEmpty() ? Reconciliation.writeKeys(table, passKeys) : null;
            commitSnapshot(dataFiles, deletes, checkpoint, keyFile, rejectsBatch);
        } catch (CommitOutcomeUnknown e) {
            // the commit may have landed: deleting the files could leave the table pointing at nothing; remove-orphans
            // deletes them once no snapshot refers to them
            keepFiles = true;
            throw e;
        } catch (RuntimeException e) {
            rejectsChecked = false; // the rejects batch (if any) is not acknowledged: the next commit replaces it
            discardStaged();
            for (DeleteFile d : deletes) deleteQuietly(d.location());
            throw e;
        } finally {
            if (keepFiles) {
                staged = null;
                clearKeys();
            }
            releaseTable();
        }
        replaced = true;
        staged = null;
        clearKeys();
        forgetCompletions(passEndsAt != null);
        session.remember(stateKey, id);
    }

    @Override
    public void abort() {
        discardStaged();
        releaseTable();
        rejections.clear();
        rejectsChecked = false;
        // what was staged of a pass goes; the committed pass is read again when a batch speaks of it
        passLoaded = false;
        forgetCompletions(true);
    }

    /** Forgets the staged completions, and the pass itself when {@code pass} (it ended, or was aborted). */
    private void forgetCompletions(boolean pass) {
        if (pass) {
            passId = null;
            passFiles = List.of();
        }
        passKeys.clear();
        passEndsAt = null;
        scopes.clear();
        stagedScopes.clear();
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

    /** Takes the table lock shared (once per commit), then reads the table afresh: a retyping may have happened before. */
    private void holdTable() {
        if (tableLock != null) return;
        tableLock = session.lockTable(id, false, LockHolder.thisProcess("sync " + stream.connection()));
        if (table != null) {
            table.refresh();
            shape = TableShape.of(table);
        }
    }

    private void releaseTable() {
        stagedSchema = null;
        if (tableLock == null) return;
        tableLock.close();
        tableLock = null;
    }

    /**
     * Staged files must still mean what they say: a column retyped since they were written has a new field id, and
     * the old one would read as NULL. The table lock keeps this from happening; this is the check if it did.
     */
    private void refuseStaleStagedFiles() {
        if (stagedSchema == null || staged == null) return;
        for (Types.NestedField f : stagedSchema.columns()) {
            Types.NestedField now = table.schema().findField(f.fieldId());
            if (now == null || !now.type().equals(f.type())) {
                throw new IllegalStateException("the files staged for " + id + " were written under schema " + stagedSchema.schemaId()
                        + ", but column " + f.name() + " (" + f.type() + ") was changed since (schema " + table.schema().schemaId()
                        + "): committing them would read it as NULL; nothing was committed, run the sync again");
            }
        }
    }

    private void ensureTable(List<Field> fields) {
        if (table != null) return;
        table = TableFactory.loadOrCreate(session.catalog(), id, fields, stream.primaryKey(),
                session.config().tableSettings(stream.connection(), stream.id().name()));
        shape = TableShape.of(table);
    }

    /** Adds the batch's new columns (one metadata commit; they read as null in older rows) and widens types Iceberg can widen. */
    private void evolve(Schema batchSchema) {
        TableShape.Changes changes = shape.changesFor(batchSchema);
        if (changes.isEmpty()) return;
        if (!changes.widened().isEmpty()) {
            WriterLock alone = retypeLock();
            try {
                table.refresh();
                shape = TableShape.of(table);
                changes = shape.changesFor(batchSchema);
                if (!changes.widened().isEmpty()) retype(changes);
            } finally {
                alone.close();
                tableLock = session.lockTable(id, false, LockHolder.thisProcess("sync " + stream.connection()));
            }
            changes = shape.changesFor(batchSchema);
            if (changes.isEmpty() || changes.added().isEmpty()) return;
        }
        addColumns(changes);
    }

    /**
     * The table lock alone, for a retyping (it rewrites every writer's rows): given up shared, then taken exclusively;
     * refused loudly while another writer stages files for the table (they would commit under the old field id).
     */
    private WriterLock retypeLock() {
        LockHolder me = LockHolder.thisProcess("sync " + stream.connection() + " (retyping " + id + ")");
        if (tableLock != null) {
            tableLock.close();
            tableLock = null;
        }
        try {
            return session.lockTable(id, true, me);
        } catch (RuntimeException busy) {
            tableLock = session.lockTable(id, false, LockHolder.thisProcess("sync " + stream.connection()));
            throw new IllegalStateException("stream " + stream.id() + " of " + stream.connection() + " needs a column of " + id
                    + " widened, which rewrites the whole table, but other writers are staging files for it: " + busy.getMessage(), busy);
        }
    }

    private void retype(TableShape.Changes changes) {
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
    }

    private void addColumns(TableShape.Changes changes) {
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
        staged = StagedFiles.pipelined(table, table.schema(), run.value() + "-" + UUID.randomUUID());
        KeyPositions.RowKey key = KeyPositions.RowKey.of(table.schema(), keyColumns());
        TableRow.Converter converter = new TableRow.Converter(table.schema());
        for (Record r : rows) {
            Object deleted = r.getField(TributaryColumns.DELETED_AT);
            stage(converter.row(r), deleted == null ? null : ((OffsetDateTime) deleted).toInstant(), key);
        }
    }

    /** Writes a row into the staged files; a merge remembers where its key's row is (a later one replaces it). */
    private void stage(TableRow r, Instant deletedAt, KeyPositions.RowKey key) {
        long where = staged.write(r);
        if (stream.writeMode() != WriteMode.MERGE) return;
        long before = keys.put(r, key, where, deletedAt);
        if (before != StagedKeys.NONE) superseded.add(before);
        firstKeyValues.add(key.first(r));
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
    private List<TableRow> toRows(RecordBatch batch) {
        List<Types.NestedField> columns = table.schema().columns();
        List<Field> fields = batch.schema().fields();
        int[] position = new int[fields.size()];
        DataType[] types = new DataType[fields.size()];
        for (int f = 0; f < fields.size(); f++) {
            Column c = shape.column(fields.get(f).name()).orElseThrow();
            types[f] = c.type();
            position[f] = indexOf(columns, c.name());
        }
        int extractedAt = indexOf(columns, TributaryColumns.EXTRACTED_AT);
        int runId = indexOf(columns, TributaryColumns.RUN_ID);
        int deletedAt = indexOf(columns, TributaryColumns.DELETED_AT);
        Long now = IcebergTypes.micros(Instant.now());
        List<TableRow> rows = new ArrayList<>(batch.records().size());
        for (dev.tributary.spi.Record in : batch.records()) {
            TableRow r = new TableRow(columns.size());
            Object[] values = in.values();
            for (int f = 0; f < fields.size(); f++) {
                Object v = f < values.length ? values[f] : null;
                r.set(position[f], IcebergTypes.toInternal(v, types[f], in.origin(), fields.get(f).name()));
            }
            r.set(extractedAt, now);
            r.set(runId, run.value());
            if (in.deletedAt() != null) r.set(deletedAt, IcebergTypes.micros(in.deletedAt()));
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
     * row (soft-deleted already or not) is staged again with the deletion's time, and the staged deletion record is dropped.
     */
    private void reviveDeletedRows() {
        Set<String> deleted = keys.deleted();
        if (deleted.isEmpty() || table.currentSnapshot() == null) return;
        List<String> keyColumns = keyColumns();
        Expression filter = KeyPositions.filter(table, keyColumns, firstKeyValues);
        OffsetDateTime now = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        for (Record stored : KeyPositions.liveRows(table, keyColumns, deleted, filter)) {
            String key = KeyPositions.keyOf(stored, keyColumns);
            StagedKeys.Staged deletion = keys.get(key);
            Record revived = stored.copy();
            revived.setField(TributaryColumns.DELETED_AT, deletion.deletedAt().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
            revived.setField(TributaryColumns.EXTRACTED_AT, now);
            revived.setField(TributaryColumns.RUN_ID, run.value());
            long where = staged.write(revived);
            superseded.add(deletion.where());
            keys.put(key, where, deletion.deletedAt());
        }
    }

    /**
     * The stored rows a reconciliation marks deleted: unseen by the pass that ends here (not deleted yet, older than the
     * pass, not staged now), and rows of a scope this commit covers whose key its last batch for that scope did not hold.
     * Each is staged again with {@code _tributary_deleted_at} set; returns the stored positions to delete.
     */
    private List<KeyPositions.Position> markStoredRows() {
        List<KeyPositions.Position> out = new ArrayList<>();
        if (table.currentSnapshot() == null) return out;
        List<String> keyColumns = keyColumns();
        Set<String> seen = passEndsAt == null ? Set.of() : new HashSet<>(Reconciliation.readKeys(table, passFiles));
        if (passEndsAt != null) seen.addAll(passKeys);
        Set<List<String>> scopeColumns = new HashSet<>();
        scopes.values().forEach(sc -> scopeColumns.add(sc.columns()));
        OffsetDateTime started = passStarted == null ? null : passStarted.atOffset(ZoneOffset.UTC);
        OffsetDateTime now = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        org.apache.iceberg.Schema withPos = new org.apache.iceberg.Schema(concat(table.schema().columns(), org.apache.iceberg.MetadataColumns.ROW_POSITION));
        try (var tasks = table.newScan().planFiles()) {
            for (var task : tasks) {
                LiveRows.read(table, task, withPos, r -> {
                    if (r.getField(TributaryColumns.DELETED_AT) != null) return;
                    if (keys.contains(r, keyColumns)) return;
                    String key = KeyPositions.keyOf(r, keyColumns);
                    Instant deletedAt = null;
                    if (passEndsAt != null && !seen.contains(key)) {
                        OffsetDateTime extracted = (OffsetDateTime) r.getField(TributaryColumns.EXTRACTED_AT);
                        if (extracted == null || extracted.isBefore(started)) deletedAt = passEndsAt;
                    }
                    for (List<String> columns : scopeColumns) {
                        Scope sc = scopes.get(columns + "=" + KeyPositions.keyOf(r, columns));
                        if (deletedAt == null && sc != null && !sc.keys().contains(key)) deletedAt = sc.deletedAt();
                    }
                    if (deletedAt == null) return;
                    long pos = (Long) r.getField(org.apache.iceberg.MetadataColumns.ROW_POSITION.name());
                    out.add(new KeyPositions.Position(task.file().location(), pos, task.spec(), task.file().partition()));
                    staged.write(marked(r, deletedAt, now));
                });
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** Staged rows of a scope whose last batch in this commit did not hold their key: marked deleted too. */
    private List<DataFile> markStagedRows(List<DataFile> dataFiles) {
        Map<String, List<Long>> wanted = new HashMap<>();
        Map<Long, Instant> deleteAt = new HashMap<>();
        for (Map.Entry<String, Map<List<String>, String>> e : stagedScopes.entrySet()) {
            StagedKeys.Staged st = keys.get(e.getKey());
            if (st == null || st.deletedAt() != null) continue;
            String key = e.getKey();
            for (Map.Entry<List<String>, String> scope : e.getValue().entrySet()) {
                Scope sc = scopes.get(scope.getKey() + "=" + scope.getValue());
                if (sc != null && !sc.keys().contains(key)) {
                    wanted.computeIfAbsent(staged.path((int) (st.where() >>> 40)), p -> new ArrayList<>()).add(st.where() & ((1L << 40) - 1));
                    deleteAt.put(st.where(), sc.deletedAt());
                    superseded.add(st.where());
                }
            }
        }
        if (wanted.isEmpty()) return List.of();
        StagedFiles extra = new StagedFiles(table, table.schema(), run.value() + "-" + UUID.randomUUID());
        OffsetDateTime now = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        org.apache.iceberg.Schema schema = table.schema();
        for (int fileId = 0; ; fileId++) {
            String path;
            try {
                path = staged.path(fileId);
            } catch (IndexOutOfBoundsException end) {
                break;
            }
            List<Long> positions = wanted.get(path);
            if (positions == null) continue;
            Set<Long> want = new HashSet<>(positions);
            long base = (long) fileId << 40;
            try (org.apache.iceberg.io.CloseableIterable<Record> rows = org.apache.iceberg.parquet.Parquet.read(table.io().newInputFile(path))
                    .project(schema).createReaderFunc(fs -> org.apache.iceberg.data.parquet.GenericParquetReaders.buildReader(schema, fs)).build()) {
                long pos = 0;
                for (Record r : rows) {
                    if (want.contains(pos)) extra.write(marked(r, deleteAt.get(base | pos), now));
                    pos++;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return extra.finish();
    }

    private Record marked(Record r, Instant deletedAt, OffsetDateTime now) {
        GenericRecord out = GenericRecord.create(table.schema());
        for (Types.NestedField f : table.schema().columns()) out.setField(f.name(), r.getField(f.name()));
        out.setField(TributaryColumns.DELETED_AT, deletedAt.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
        out.setField(TributaryColumns.EXTRACTED_AT, now);
        out.setField(TributaryColumns.RUN_ID, run.value());
        return out;
    }

    private static List<Types.NestedField> concat(List<Types.NestedField> columns, Types.NestedField extra) {
        List<Types.NestedField> out = new ArrayList<>(columns);
        out.add(extra);
        return out;
    }

    /** Position deletes: staged rows a later row of their key replaced, the stored rows of every staged key, and {@code reconciled}. */
    private List<DeleteFile> mergeDeletes(List<DataFile> dataFiles, List<KeyPositions.Position> reconciled) {
        PositionDeletes deletes = new PositionDeletes(table, run.value() + "-" + UUID.randomUUID());
        for (KeyPositions.Position p : reconciled) {
            deletes.add(p.path(), p.position(), p.spec(), p.partition());
            if (!storedReferenced.contains(p.path())) storedReferenced.add(p.path());
        }
        Map<String, DataFile> byPath = new HashMap<>();
        for (DataFile f : dataFiles) byPath.put(f.location(), f);
        for (long where : superseded) {
            DataFile f = byPath.get(staged.path((int) (where >>> 40)));
            deletes.add(f.location(), where & ((1L << 40) - 1), table.specs().get(f.specId()), f.partition());
        }
        List<String> keyColumns = keyColumns();
        Expression filter = KeyPositions.filter(table, keyColumns, firstKeyValues);
        List<KeyPositions.Position> stored = keys.isEmpty() ? List.of() : KeyPositions.find(table, keyColumns, r -> keys.contains(r, keyColumns), filter);
        for (KeyPositions.Position p : stored) {
            deletes.add(p.path(), p.position(), p.spec(), p.partition());
            if (storedReferenced.isEmpty() || !storedReferenced.get(storedReferenced.size() - 1).equals(p.path())) storedReferenced.add(p.path());
        }
        return deletes.write();
    }

    private String rejectsKey() {
        return StateSummary.rejectsKey(stream.connection(), stream.id());
    }

    private void commitSnapshot(List<DataFile> dataFiles, List<DeleteFile> deletes, Optional<StreamState> checkpoint, String keyFile, String rejectsBatch) {
        Instant now = Instant.now();
        String commitId = UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            table.refresh();
            Map<String, String> states = StateSummary.current(table);
            checkpoint.ifPresent(s -> states.put(stateKey, StateSummary.value(s, run.value(), now)));
            if (rejectsBatch != null) states.put(rejectsKey(), rejectsBatch);
            if (passEndsAt != null) {
                states.remove(passKey());
            } else if (passId != null) {
                List<String> files = new ArrayList<>(passFiles);
                if (keyFile != null) files.add(keyFile);
                states.put(passKey(), Reconciliation.value(new Reconciliation.Pass(passId, passStarted, files)));
            }
            SnapshotUpdate<?> op;
            if (stream.writeMode() == WriteMode.OVERWRITE && !replaced) {
                OverwriteFiles overwrite = table.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue());
                dataFiles.forEach(overwrite::addFile);
                op = overwrite;
            } else if (!deletes.isEmpty()) {
                RowDelta delta = table.newRowDelta();
                dataFiles.forEach(delta::addRows);
                deletes.forEach(delta::addDeletes);
                if (scannedSnapshot != null) delta.validateFromSnapshot(scannedSnapshot);
                // a compaction that rewrote the files these deletes point at would make them point at nothing: fail loudly
                delta.validateDataFilesExist(storedReferenced);
                op = delta;
            } else {
                var append = table.newAppend();
                dataFiles.forEach(append::appendFile);
                op = append;
            }
            op.set("tributary.run-id", run.value());
            op.set(COMMIT_ID, commitId);
            op.set("tributary.connection", stream.connection());
            states.forEach(op::set);
            try {
                beforeCatalogCommit.run();
                op.commit();
                afterCatalogCommit.run();
                return;
            } catch (CommitFailedException | org.apache.iceberg.exceptions.ValidationException e) {
                if (e instanceof org.apache.iceberg.exceptions.ValidationException) throw e;
                // another writer of the same table committed first: read its states and try again
                if (attempt >= COMMIT_ATTEMPTS) throw new IllegalStateException("committing " + id + " failed " + attempt
                        + " times because other writers committed at the same time: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                // CommitStateUnknownException, a connection lost after the catalog's UPDATE...: did this commit land?
                if (landed(commitId)) return;
                throw new CommitOutcomeUnknown("committing " + id + " failed and whether it landed is unknown (" + e
                        + "); its files are kept (tributary lakehouse remove-orphans deletes them if no snapshot refers to them); "
                        + "the stream's state did not move as far as can be seen, so the next sync writes these records again", e);
            }
        }
    }

    /** Whether a snapshot of this commit is in the table (read afresh); false when it cannot even be read. */
    private boolean landed(String commitId) {
        try {
            table.refresh();
            for (org.apache.iceberg.Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
                if (commitId.equals(s.summary().get(COMMIT_ID))) return true;
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A commit that failed in a way that may have let it land. */
    static final class CommitOutcomeUnknown extends IllegalStateException {
        CommitOutcomeUnknown(String message, Throwable cause) {
            super(message, cause);
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
