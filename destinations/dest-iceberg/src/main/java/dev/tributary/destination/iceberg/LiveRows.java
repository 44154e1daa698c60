package dev.tributary.destination.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.InternalReader;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PartitionUtil;

/** Reads the live rows of one data file of a scan (its deletes applied), with our own Parquet reader. */
final class LiveRows {
    private LiveRows() {}

    /**
     * Hands each live row of {@code task}, as a row of {@code schema}, to {@code sink}. A schema holding Iceberg's
     * {@code _pos} metadata column gets each row's position in its file.
     */
    static void read(Table table, FileScanTask task, Schema schema, Consumer<Record> sink) {
        GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, table.schema(), schema);
        Schema required = deletes.requiredSchema();
        List<Types.NestedField> wanted = schema.columns();
        try (CloseableIterable<Record> raw = Parquet.read(table.io().newInputFile(task.file().location())).project(required)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(required, fileSchema,
                        PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant)))
                .build();
                CloseableIterable<Record> live = deletes.filter(raw)) {
            GenericRecord template = GenericRecord.create(schema);
            for (Record r : live) {
                GenericRecord out = template.copy();
                for (int i = 0; i < wanted.size(); i++) out.set(i, r.getField(wanted.get(i).name()));
                sink.accept(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + task.file().location() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands each row of {@code task}'s data file whose position is not in {@code deleted} (null: none) to {@code sink}
     * as a {@link TableRow} of {@code schema}, read in Iceberg's internal representation (no generic record, no
     * {@code OffsetDateTime} per value, no delete filter): what compaction rewrites. Equality deletes are not applied:
     * a file that has them goes through {@link #read}.
     */
    static void readInternal(Table table, FileScanTask task, Schema schema, BitSet deleted, Consumer<TableRow> sink) {
        int size = schema.columns().size();
        try (CloseableIterable<StructLike> rows = Parquet.read(table.io().newInputFile(task.file().location())).project(schema)
                .createReaderFunc(fileSchema -> InternalReader.create(schema, fileSchema, PartitionUtil.constantsMap(task)))
                .build()) {
            long position = 0;
            for (StructLike r : rows) {
                if (deleted == null || position > Integer.MAX_VALUE || !deleted.get((int) position)) {
                    TableRow row = new TableRow(size);
                    for (int i = 0; i < size; i++) row.set(i, r.get(i, Object.class));
                    sink.accept(row);
                }
                position++;
            }
            if (position != task.file().recordCount()) {
                throw new IllegalStateException("reading " + task.file().location() + " of " + table.name() + ": " + position + " rows, but the table's metadata says "
                        + task.file().recordCount());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + task.file().location() + ": " + e.getMessage(), e);
        }
    }
}
