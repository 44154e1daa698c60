package dev.tributary.lakehouse.duckdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.regex.Pattern;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * The files of a table's current snapshot, as Iceberg's own scan planning finds them: data files with their data
 * sequence numbers and partitions, and the position and equality delete files that apply. Everything this reader
 * could not reproduce exactly is refused here, with the table named.
 *
 * @param table           {@code namespace.table}, for messages
 * @param schema          the current schema (columns by field id)
 * @param snapshotId      the current snapshot, or null for a table never written
 * @param data            data files
 * @param positionDeletes position delete files
 * @param equalityDeletes equality delete files
 * @param identitySourcesBySpec per partition spec, the field ids of its identity partition columns (a file must hold them)
 */
record SnapshotScan(String table, Schema schema, Long snapshotId, List<FileRef> data, List<FileRef> positionDeletes, List<FileRef> equalityDeletes,
                    Map<Integer, Set<Integer>> identitySourcesBySpec) {
    static final int MAX_FORMAT_VERSION = 3;
    private static final Pattern KNOWN_TRANSFORM = Pattern.compile("identity|year|month|day|hour|void|bucket\\[\\d+]|truncate\\[\\d+]");

    /**
     * A data or delete file.
     *
     * @param location    as the table's metadata names it
     * @param path        the local path DuckDB reads
     * @param sequence    data sequence number
     * @param specId      partition spec it was written with
     * @param partition   its partition as a path ({@code a=1/b=x}), empty when unpartitioned
     * @param global      an equality delete written unpartitioned: applies to every partition
     * @param equalityIds the equality field ids (equality deletes only)
     * @param size        its size in bytes, as the metadata says
     */
    record FileRef(String location, String path, long sequence, int specId, String partition, boolean global, List<Integer> equalityIds, long size) {
    }

    SnapshotScan {
        data = List.copyOf(data);
        positionDeletes = List.copyOf(positionDeletes);
        equalityDeletes = List.copyOf(equalityDeletes);
        identitySourcesBySpec = Map.copyOf(identitySourcesBySpec);
    }

    static SnapshotScan plan(Table table, String name) {
        return plan(table, name, SnapshotScan::localPath);
    }

    /** Plans the scan; {@code localPaths} turns each file's location (and the table, for errors) into the path DuckDB reads. */
    static SnapshotScan plan(Table table, String name, BinaryOperator<String> localPaths) {
        int version = TableUtil.formatVersion(table);
        if (version > MAX_FORMAT_VERSION) throw new UnreadableTableException(name, "format version " + version + " (this reader knows up to " + MAX_FORMAT_VERSION + ")");
        Schema schema = table.schema();
        for (Types.NestedField f : schema.columns()) {
            DuckDbTypes.of(f.type(), name, f.name());
            if (f.initialDefault() != null) {
                throw new UnreadableTableException(name, "column " + f.name() + " has an initial default value (format v3), which this reader does not apply to older files");
            }
        }
        for (PartitionSpec spec : table.specs().values()) {
            for (PartitionField field : spec.fields()) {
                if (!KNOWN_TRANSFORM.matcher(field.transform().toString()).matches()) {
                    throw new UnreadableTableException(name, "partition field " + field.name() + " uses the unknown transform " + field.transform());
                }
            }
        }
        Map<Integer, Set<Integer>> identitySources = new LinkedHashMap<>();
        table.specs().forEach((id, spec) -> identitySources.put(id,
                Set.copyOf(spec.fields().stream().filter(f -> f.transform().isIdentity()).map(PartitionField::sourceId).toList())));
        Snapshot current = table.currentSnapshot();
        if (current == null) return new SnapshotScan(name, schema, null, List.of(), List.of(), List.of(), identitySources);
        List<FileRef> data = new ArrayList<>();
        Map<String, FileRef> positions = new LinkedHashMap<>();
        Map<String, FileRef> equalities = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(current.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                requireParquet(file, name);
                FileRef dataRef = ref(file, table, name, List.of(), localPaths);
                data.add(dataRef);
                for (DeleteFile delete : task.deletes()) {
                    if (delete.format() == FileFormat.PUFFIN) {
                        throw new UnreadableTableException(name, "it has deletion vectors (format v3, " + delete.location() + "); this reader applies Parquet position and equality deletes only");
                    }
                    requireParquet(delete, name);
                    if (delete.content() == FileContent.POSITION_DELETES) {
                        FileRef ref = positions.computeIfAbsent(delete.location(), l -> ref(delete, table, name, List.of(), localPaths));
                        if (ref.sequence() < dataRef.sequence()) throw differentRule(name, delete, file);
                    } else {
                        FileRef ref = equalities.computeIfAbsent(delete.location(), l -> ref(delete, table, name, delete.equalityFieldIds(), localPaths));
                        if (!appliesTo(ref, dataRef)) throw differentRule(name, delete, file);
                        for (int id : ref.equalityIds()) {
                            if (schema.findField(id) == null) {
                                throw new UnreadableTableException(name, "an equality delete (" + delete.location() + ") compares field " + id + ", which the current schema dropped");
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot plan the scan of " + name + ": " + e.getMessage(), e);
        }
        return new SnapshotScan(name, schema, current.snapshotId(), data, List.copyOf(positions.values()), List.copyOf(equalities.values()), identitySources);
    }

    /** Iceberg's rule for an equality delete: written after the data file (higher sequence number), in its partition or global. */
    static boolean appliesTo(FileRef equalityDelete, FileRef dataFile) {
        return equalityDelete.sequence() > dataFile.sequence()
                && (equalityDelete.global() || (equalityDelete.specId() == dataFile.specId() && equalityDelete.partition().equals(dataFile.partition())));
    }

    /** The equality delete groups: files comparing the same fields, read together. */
    Map<List<Integer>, List<FileRef>> equalityGroups() {
        Map<List<Integer>, List<FileRef>> groups = new LinkedHashMap<>();
        for (FileRef f : equalityDeletes) groups.computeIfAbsent(f.equalityIds().stream().sorted().toList(), k -> new ArrayList<>()).add(f);
        return groups;
    }

    private static FileRef ref(ContentFile<?> file, Table table, String name, List<Integer> equalityIds, BinaryOperator<String> localPaths) {
        PartitionSpec spec = table.specs().get(file.specId());
        String partition = spec.isUnpartitioned() ? "" : spec.partitionToPath(file.partition());
        Long sequence = file.dataSequenceNumber();
        if (sequence == null) throw new UnreadableTableException(name, file.location() + " has no data sequence number");
        return new FileRef(file.location(), localPaths.apply(file.location(), name), sequence, file.specId(), partition, spec.isUnpartitioned(),
                equalityIds == null ? List.of() : List.copyOf(equalityIds), file.fileSizeInBytes());
    }

    private static void requireParquet(ContentFile<?> file, String name) {
        if (file.format() != FileFormat.PARQUET) {
            throw new UnreadableTableException(name, file.location() + " is " + file.format() + "; DuckDB reads Parquet files only");
        }
    }

    private static UnreadableTableException differentRule(String name, DeleteFile delete, DataFile file) {
        return new UnreadableTableException(name, "Iceberg applies the delete file " + delete.location() + " to " + file.location()
                + " where this reader's sequence-number rule would not; refusing rather than risking a wrong answer");
    }

    /** Every data and delete file. */
    List<FileRef> files() {
        List<FileRef> all = new ArrayList<>(data);
        all.addAll(positionDeletes);
        all.addAll(equalityDeletes);
        return all;
    }

    /** The local path of a file location: an absolute path, or a file: URI; anything else is refused. */
    static String localPath(String location, String table) {
        if (location.startsWith("/")) return location;
        if (location.startsWith("file:")) return Path.of(URI.create(location)).toString();
        if (location.matches("^[A-Za-z]:[\\\\/].*")) return location;
        int scheme = location.indexOf("://");
        throw new UnreadableTableException(table, "its files are on " + (scheme > 0 ? location.substring(0, scheme) + "://" : location)
                + " storage, which this DuckDB cannot read (it has no httpfs extension), and this catalog was opened without a local mirror"
                + " (LakehouseViews.refresh with the project's destination settings makes one)");
    }
}
