package dev.tributary.destination.iceberg;

import dev.tributary.destination.iceberg.TableShape.Column;
import dev.tributary.spi.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
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
import org.apache.iceberg.io.DeleteSchemaUtil;
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

    /** What a compaction did: data and delete files it replaced, the files it wrote instead, and the rows it rewrote. */
    record Compaction(String table, int filesBefore, int deleteFilesBefore, int filesAfter, int deleteFilesAfter, long rowsRewritten) {
        boolean nothing() {
            return filesBefore == 0 && deleteFilesBefore == 0;
        }
    }

    /** A data file is rewritten without its deleted rows once this share of its rows is deleted (Spark's default). */
    static final double DELETED_SHARE = 0.3;
    /** Small files are gathered smallest first; the next one joins while it is at most this many times what is gathered. */
    static final int SIZE_STEP = 4;

    /** Rows staged before a retyping, in the new types (superseded rows left out). */
    record Retyped(List<Record> stagedRows) {}

    /**
     * Compacts {@code table} in proportion to what changed, in one {@link RewriteFiles} commit validated from the
     * snapshot it planned (a concurrent commit that deletes from a rewritten file fails it loudly). In each partition:
     * <ul>
     * <li>a data file with equality deletes, or with at least {@link #DELETED_SHARE} of its rows deleted by position,
     * is rewritten without them;</li>
     * <li>files under 3/4 of the target file size are gathered smallest first into groups of similar size (the next
     * file joins while it is at most {@link #SIZE_STEP} times what the group holds); a group of two or more, or with a
     * file rewritten for its deletes, is rewritten together (so the one small file of a merge waits for others rather
     * than rewriting a big one);</li>
     * <li>position deletes of the files kept are folded into one delete file per partition when a partition has
     * several, or when a delete file also named a rewritten file.</li>
     * </ul>
     * A file with a few deleted rows keeps them as position deletes: rewriting a big file for a few changed keys is
     * what made a compaction after a merge cost a rewrite of the whole table.
     */
    static Compaction compact(Table table, String operationId) {
        if (table.currentSnapshot() == null) return new Compaction(table.name(), 0, 0, 0, 0, 0);
        long target = PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
        long base = table.currentSnapshot().snapshotId();
        Map<String, List<FileScanTask>> groups = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask t : tasks) {
                String key = t.file().specId() + "/" + table.specs().get(t.file().specId()).partitionToPath(t.file().partition());
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, BitSet> deleted = deletedPositions(table, groups.values().stream().flatMap(List::stream).toList());
        List<FileScanTask> chosen = new ArrayList<>();
        List<FileScanTask> kept = new ArrayList<>();
        for (List<FileScanTask> group : groups.values()) {
            List<FileScanTask> small = new ArrayList<>();
            Set<FileScanTask> mustGo = new HashSet<>();
            for (FileScanTask t : group) {
                boolean deletes = hasEqualityDeletes(t) || deletedShare(t, deleted) >= DELETED_SHARE;
                if (t.file().fileSizeInBytes() < target * 3 / 4) {
                    small.add(t);
                    if (deletes) mustGo.add(t);
                } else {
                    (deletes ? chosen : kept).add(t);
                }
            }
            small.sort(Comparator.comparingLong(t -> t.file().fileSizeInBytes()));
            List<FileScanTask> gathered = new ArrayList<>();
            long size = 0;
            for (FileScanTask t : small) {
                if (!gathered.isEmpty() && t.file().fileSizeInBytes() > SIZE_STEP * size) {
                    gather(gathered, mustGo, chosen, kept);
                    gathered = new ArrayList<>();
                    size = 0;
                }
                gathered.add(t);
                size += t.file().fileSizeInBytes();
            }
            gather(gathered, mustGo, chosen, kept);
        }
        // delete files: those only rewritten files use go; position deletes of kept files are folded when worth it
        Set<String> rewrittenPaths = new HashSet<>();
        for (FileScanTask t : chosen) rewrittenPaths.add(t.file().location());
        Map<String, DeleteFile> goneDeletes = new LinkedHashMap<>();
        Map<String, DeleteFile> keptDeletes = new HashMap<>();
        for (FileScanTask t : kept) for (DeleteFile d : t.deletes()) keptDeletes.put(d.location(), d);
        for (FileScanTask t : chosen) for (DeleteFile d : t.deletes()) if (!keptDeletes.containsKey(d.location())) goneDeletes.put(d.location(), d);
        boolean foldDeletes = false;
        for (List<FileScanTask> group : groups.values()) {
            Set<String> positional = new HashSet<>();
            for (FileScanTask t : group) {
                if (rewrittenPaths.contains(t.file().location())) continue;
                for (DeleteFile d : t.deletes()) if (d.content() == FileContent.POSITION_DELETES) positional.add(d.location());
            }
            if (positional.size() >= 2) foldDeletes = true;
        }
        for (FileScanTask t : chosen) {
            for (DeleteFile d : t.deletes()) {
                if (d.content() == FileContent.POSITION_DELETES && keptDeletes.containsKey(d.location())) foldDeletes = true;
            }
        }
        if (chosen.isEmpty() && !foldDeletes) return new Compaction(table.name(), 0, 0, 0, 0, 0);
        PositionDeletes folded = new PositionDeletes(table, operationId);
        if (foldDeletes) {
            for (DeleteFile d : keptDeletes.values()) if (d.content() == FileContent.POSITION_DELETES) goneDeletes.put(d.location(), d);
            for (FileScanTask t : kept) {
                BitSet positions = deleted.get(t.file().location());
                if (positions == null) continue;
                PartitionSpec spec = table.specs().get(t.file().specId());
                for (int p = positions.nextSetBit(0); p >= 0; p = positions.nextSetBit(p + 1)) folded.add(t.file().location(), p, spec, t.file().partition());
            }
        }
        StagedFiles out = StagedFiles.pipelined(table, table.schema(), operationId);
        List<DeleteFile> newDeletes = List.of();
        try {
            for (FileScanTask t : chosen) {
                if (hasEqualityDeletes(t)) LiveRows.read(table, t, table.schema(), out::write);
                else LiveRows.readInternal(table, t, table.schema(), deleted.get(t.file().location()), out::write);
            }
            List<DataFile> written = out.finish();
            newDeletes = folded.write();
            RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(base);
            chosen.forEach(t -> rewrite.deleteFile(t.file()));
            goneDeletes.values().forEach(rewrite::deleteFile);
            written.forEach(rewrite::addFile);
            newDeletes.forEach(rewrite::addFile);
            carryStates(table, rewrite);
            rewrite.set("tributary.operation", "compact");
            rewrite.commit();
            return new Compaction(table.name(), chosen.size(), goneDeletes.size(), written.size(), newDeletes.size(), out.rows());
        } catch (RuntimeException e) {
            out.discard();
            for (DeleteFile d : newDeletes) {
                try {
                    table.io().deleteFile(d.location());
                } catch (RuntimeException ignored) {
                    // left for remove-orphans
                }
            }
            throw e;
        }
    }

    /** A group of small files of similar size is rewritten when it has two or more, or one that must go for its deletes. */
    private static void gather(List<FileScanTask> group, Set<FileScanTask> mustGo, List<FileScanTask> chosen, List<FileScanTask> kept) {
        (group.size() >= 2 || group.stream().anyMatch(mustGo::contains) ? chosen : kept).addAll(group);
    }

    private static boolean hasEqualityDeletes(FileScanTask t) {
        return t.deletes().stream().anyMatch(d -> d.content() == FileContent.EQUALITY_DELETES);
    }

    private static double deletedShare(FileScanTask t, Map<String, BitSet> deleted) {
        BitSet positions = deleted.get(t.file().location());
        return positions == null || t.file().recordCount() == 0 ? 0 : (double) positions.cardinality() / t.file().recordCount();
    }

    /**
     * The positions deleted from each data file of {@code tasks}, reading each position delete file once, and only its
     * rows for the data files Iceberg's planning applies it to.
     */
    static Map<String, BitSet> deletedPositions(Table table, List<FileScanTask> tasks) {
        Map<String, Set<String>> appliesTo = new HashMap<>();
        for (FileScanTask t : tasks) {
            for (DeleteFile d : t.deletes()) {
                if (d.content() == FileContent.POSITION_DELETES) appliesTo.computeIfAbsent(d.location(), k -> new HashSet<>()).add(t.file().location());
            }
        }
        Map<String, BitSet> out = new HashMap<>();
        Schema pathPos = DeleteSchemaUtil.pathPosSchema();
        for (Map.Entry<String, Set<String>> e : appliesTo.entrySet()) {
            try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(e.getKey())).project(pathPos)
                    .createReaderFunc(fs -> GenericParquetReaders.buildReader(pathPos, fs)).build()) {
                for (Record r : rows) {
                    String path = r.get(0).toString();
                    if (!e.getValue().contains(path)) continue;
                    long pos = (Long) r.get(1);
                    if (pos > Integer.MAX_VALUE) {
                        throw new IllegalStateException("position delete file " + e.getKey() + " of " + table.name() + " deletes row " + pos
                                + " of " + path + ": compaction handles files of at most " + Integer.MAX_VALUE + " rows");
                    }
                    out.computeIfAbsent(path, k -> new BitSet()).set((int) pos);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("reading position deletes " + e.getKey() + " of " + table.name() + ": " + ex.getMessage(), ex);
            }
        }
        return out;
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
