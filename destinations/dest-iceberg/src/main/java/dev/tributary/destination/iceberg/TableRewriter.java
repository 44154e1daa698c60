package dev.tributary.destination.iceberg;

import dev.tributary.destination.iceberg.TableShape.Column;
import dev.tributary.spi.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Rewrites a table's data files with our own reader and writer (iceberg-core has no rewrite action without Spark),
 * committing a {@link RewriteFiles} that carries the tables' stream states forward: compaction of small files (and of
 * files with deletes), and the retyping of columns Iceberg cannot widen in metadata.
 */
final class TableRewriter {
    private TableRewriter() {}

    /** What a compaction did. */
    record Compaction(String table, int filesBefore, int deleteFilesRemoved, int filesAfter, long rowsRewritten) {}

    /** Rows staged before a retyping, in the new types (superseded rows left out). */
    record Retyped(List<Record> stagedRows) {}

    /**
     * Compacts {@code table}: in each partition, files smaller than 3/4 of the target file size are rewritten together
     * when there are at least two of them, and every file of a partition that has delete files is rewritten with its
     * deletes applied (the delete files go). Returns empty when nothing needed it.
     */
    static Compaction compact(Table table, String operationId) {
        if (table.currentSnapshot() == null) return new Compaction(table.name(), 0, 0, 0, 0);
        long target = PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
        long small = target * 3 / 4;
        Map<String, List<FileScanTask>> groups = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                String key = t.file().specId() + "/" + table.specs().get(t.file().specId()).partitionToPath(t.file().partition());
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<FileScanTask> chosen = new ArrayList<>();
        for (List<FileScanTask> group : groups.values()) {
            boolean hasDeletes = group.stream().anyMatch(t -> !t.deletes().isEmpty());
            if (hasDeletes) {
                chosen.addAll(group);
                continue;
            }
            List<FileScanTask> smallOnes = group.stream().filter(t -> t.file().fileSizeInBytes() < small).toList();
            if (smallOnes.size() >= 2) chosen.addAll(smallOnes);
        }
        if (chosen.isEmpty()) return new Compaction(table.name(), 0, 0, 0, 0);
        long base = table.currentSnapshot().snapshotId();
        StagedFiles out = new StagedFiles(table, table.schema(), operationId);
        Set<DataFile> oldData = new HashSet<>();
        Map<String, DeleteFile> oldDeletes = new HashMap<>();
        try {
            for (FileScanTask t : chosen) {
                oldData.add(t.file());
                for (DeleteFile d : t.deletes()) oldDeletes.put(d.location(), d);
                LiveRows.read(table, t, table.schema(), out::write);
            }
            List<DataFile> written = out.finish();
            RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(base);
            oldData.forEach(rewrite::deleteFile);
            oldDeletes.values().forEach(rewrite::deleteFile);
            written.forEach(rewrite::addFile);
            carryStates(table, rewrite);
            rewrite.set("tributary.operation", "compact");
            rewrite.commit();
            return new Compaction(table.name(), oldData.size(), oldDeletes.size(), written.size(), out.rows());
        } catch (RuntimeException e) {
            out.discard();
            throw e;
        }
    }

    /**
     * Retypes {@code widened} columns to their wider types, which Iceberg cannot do in metadata (integer to decimal,
     * double or text; date to timestamp; anything to text): in one transaction the column is replaced by a new one of
     * the same name and every live row is rewritten with its value converted. Costs a rewrite of the whole table.
     * Rows a writer had staged ({@code stagedFiles}, less {@code superseded} positions) come back converted.
     */
    static Retyped widen(Table table, List<Column> widened, List<DataFile> stagedFiles, List<Long> superseded, String runId) {
        Schema oldSchema = table.schema();
        Map<String, DataType> oldTypes = new HashMap<>();
        Set<String> json = TableShape.jsonColumns(table.properties());
        for (Column c : widened) {
            Types.NestedField f = oldSchema.findField(c.name());
            oldTypes.put(c.name(), IcebergTypes.dataType(f.type(), json.contains(c.name())));
            for (var spec : table.specs().values()) {
                if (spec.fields().stream().anyMatch(pf -> pf.sourceId() == f.fieldId())) {
                    throw new IllegalStateException("table " + table.name() + ": column " + c.name() + " would have to change type from "
                            + oldTypes.get(c.name()).configName() + " to " + c.type().configName() + ", but the table is partitioned on it; "
                            + "Iceberg cannot change a partition column's type: cast it in the source or start a new table");
                }
            }
        }
        Transaction txn = table.newTransaction();
        UpdateSchema update = txn.updateSchema();
        for (Column c : widened) {
            String doc = oldSchema.findField(c.name()).doc();
            update.deleteColumn(c.name());
            update.addColumn(c.name(), IcebergTypes.icebergType(c.type()), doc);
        }
        update.commit();
        Set<String> newJson = new HashSet<>(json);
        for (Column c : widened) {
            if (c.type() == DataType.JSON) newJson.add(c.name());
            else newJson.remove(c.name());
        }
        if (!newJson.equals(json)) txn.updateProperties().set(IcebergTypes.JSON_COLUMNS, TableShape.jsonColumnsValue(newJson)).commit();
        Schema newSchema = txn.table().schema();
        Map<String, DataType> newTypes = new HashMap<>();
        for (Column c : widened) newTypes.put(c.name(), c.type());
        StagedFiles out = new StagedFiles(txn.table(), newSchema, runId + "-retype-" + UUID.randomUUID());
        try {
            if (table.currentSnapshot() != null) {
                RewriteFiles rewrite = txn.newRewrite().validateFromSnapshot(table.currentSnapshot().snapshotId());
                Map<String, DeleteFile> oldDeletes = new HashMap<>();
                try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
                    for (FileScanTask t : tasks) {
                        rewrite.deleteFile(t.file());
                        for (DeleteFile d : t.deletes()) oldDeletes.put(d.location(), d);
                        LiveRows.read(table, t, oldSchema, r -> out.write(convert(r, newSchema, oldTypes, newTypes)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                oldDeletes.values().forEach(rewrite::deleteFile);
                out.finish().forEach(rewrite::addFile);
                carryStates(table, rewrite);
                rewrite.set("tributary.operation", "retype " + widened.stream().map(Column::name).toList());
                rewrite.commit();
            }
            txn.commitTransaction();
        } catch (RuntimeException e) {
            out.discard();
            throw e;
        }
        List<Record> restaged = new ArrayList<>();
        Set<Long> skip = new HashSet<>(superseded);
        for (int fileId = 0; fileId < stagedFiles.size(); fileId++) {
            DataFile f = stagedFiles.get(fileId);
            long pos = 0;
            try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(f.location())).project(oldSchema)
                    .createReaderFunc(fs -> GenericParquetReaders.buildReader(oldSchema, fs)).build()) {
                for (Record r : rows) {
                    if (!skip.contains(((long) fileId << 40) | pos)) restaged.add(convert(r, newSchema, oldTypes, newTypes));
                    pos++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading staged " + f.location() + ": " + e.getMessage(), e);
            }
        }
        return new Retyped(restaged);
    }

    private static Record convert(Record old, Schema newSchema, Map<String, DataType> oldTypes, Map<String, DataType> newTypes) {
        GenericRecord r = GenericRecord.create(newSchema);
        List<Types.NestedField> columns = newSchema.columns();
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name();
            Object v = old.getField(name);
            DataType to = newTypes.get(name);
            r.set(i, to == null ? v : IcebergTypes.widen(v, oldTypes.get(name), to));
        }
        return r;
    }

    /** A rewrite changes no data: it carries the current snapshot's stream states forward. */
    static void carryStates(Table table, org.apache.iceberg.SnapshotUpdate<?> op) {
        StateSummary.current(table).forEach(op::set);
    }
}
