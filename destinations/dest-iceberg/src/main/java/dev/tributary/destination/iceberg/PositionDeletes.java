package dev.tributary.destination.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Rows to delete by (data file, position), written as Iceberg v2 position delete files: one per partition, sorted by
 * file and position as the spec requires.
 */
final class PositionDeletes {
    private record Group(PartitionSpec spec, StructLike partition) {}

    private record Delete(String path, long position) {}

    private final Table table;
    private final String operationId;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, List<Delete>> byGroup = new LinkedHashMap<>();

    PositionDeletes(Table table, String operationId) {
        this.table = table;
        this.operationId = operationId;
    }

    void add(String path, long position, PartitionSpec spec, StructLike partition) {
        String groupKey = spec.specId() + "/" + (partition == null || spec.isUnpartitioned() ? "" : spec.partitionToPath(partition));
        groups.putIfAbsent(groupKey, new Group(spec, spec.isUnpartitioned() ? null : partition));
        byGroup.computeIfAbsent(groupKey, k -> new ArrayList<>()).add(new Delete(path, position));
    }

    boolean isEmpty() {
        return byGroup.isEmpty();
    }

    /** Writes the delete files (nothing when there is nothing to delete). */
    List<DeleteFile> write() {
        List<DeleteFile> out = new ArrayList<>();
        if (byGroup.isEmpty()) return out;
        OutputFileFactory files = OutputFileFactory.builderFor(table, 2, System.nanoTime() & 0xffffffL).format(FileFormat.PARQUET)
                .operationId(operationId).suffix("deletes").build();
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET)
                .deleteFileFormat(FileFormat.PARQUET).build();
        for (Map.Entry<String, List<Delete>> e : byGroup.entrySet()) {
            Group g = groups.get(e.getKey());
            List<Delete> deletes = e.getValue();
            deletes.sort(Comparator.comparing(Delete::path).thenComparingLong(Delete::position));
            var outFile = g.partition() == null ? files.newOutputFile() : files.newOutputFile(g.spec(), g.partition());
            PositionDeleteWriter<Record> writer = writers.newPositionDeleteWriter(outFile, g.spec(), g.partition());
            PositionDelete<Record> delete = PositionDelete.create();
            Delete last = null;
            try (writer) {
                for (Delete d : deletes) {
                    if (d.equals(last)) continue;
                    writer.write(delete.set(d.path(), d.position()));
                    last = d;
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("writing position deletes of " + table.name() + ": " + ex.getMessage(), ex);
            }
            out.add(writer.toDeleteFile());
        }
        return out;
    }
}
