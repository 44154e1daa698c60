package dev.tributary.destination.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Parquet data files being written for one commit: one open file per partition, rolled at the table's target file
 * size. Every row's place is known ({@link #write} returns file number and position), so a later row of the same key
 * can delete an earlier one by position. Files become part of the table only when a commit adds them; until then a
 * crash leaves them as orphans for {@code lakehouse remove-orphans}.
 *
 * <p>Rows are {@link TableRow}s written by {@link TableRowWriter} (generic {@link Record}s, from the table or a
 * rewrite, are converted first). {@link #pipelined} files encode and compress on a thread of their own ({@link ParquetEncoder}), so the caller
 * converts and stages the next rows meanwhile; rows handed to {@link #write} must then not change afterwards.
 */
final class StagedFiles {
    private static final int SIZE_CHECK_EVERY = 1_000;

    private final Table table;
    private final PartitionSpec spec;
    private final OutputFileFactory files;
    private final long targetFileSize;
    private Schema schema;
    private PartitionKey partitionKey;
    private TableRow.Converter converter;
    private final Map<StructLike, Open> open = new HashMap<>();
    private final List<String> paths = new ArrayList<>();
    private final List<DataFile> finished = new ArrayList<>();
    private long rows;
    /** Encodes on another thread (null: on the caller's). */
    private final ParquetEncoder encoder;

    static final class Open {
        final DataWriter<TableRow> writer;
        final int fileId;
        long position;
        /** Pipelined: rows the encoder wrote, and the file's length it last saw (every {@link #SIZE_CHECK_EVERY} rows). */
        long encodedRows;
        volatile long encodedLength;

        Open(DataWriter<TableRow> writer, int fileId) {
            this.writer = writer;
            this.fileId = fileId;
        }

        /** Writes a row (on the encoding thread when pipelined). */
        void encode(TableRow row) {
            writer.write(row);
            if (++encodedRows % SIZE_CHECK_EVERY == 0) encodedLength = writer.length();
        }
    }

    StagedFiles(Table table, Schema schema, String operationId) {
        this(table, schema, operationId, false);
    }

    /** Files whose Parquet encoding runs on a thread of their own, beside the caller's. */
    static StagedFiles pipelined(Table table, Schema schema, String operationId) {
        return new StagedFiles(table, schema, operationId, true);
    }

    private StagedFiles(Table table, Schema schema, String operationId, boolean pipelined) {
        this.encoder = pipelined ? new ParquetEncoder(table.name(), this::finished) : null;
        this.table = table;
        this.spec = table.spec();
        this.files = OutputFileFactory.builderFor(table, 1, System.nanoTime() & 0xffffffL).format(FileFormat.PARQUET).operationId(operationId).build();
        this.targetFileSize = PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
        useSchema(schema);
    }

    Schema schema() {
        return schema;
    }

    /** Rows from now on follow {@code newSchema} (columns added or retyped): open files are finished first. */
    void useSchema(Schema newSchema) {
        closeOpen();
        if (encoder != null) encoder.drain();
        this.schema = newSchema;
        this.partitionKey = spec.isUnpartitioned() ? null : new PartitionKey(spec, newSchema);
        this.converter = new TableRow.Converter(newSchema);
    }

    /** Writes {@code row} (generic values of the current schema); returns where it went, as {@link #write(TableRow)}. */
    long write(Record row) {
        return write(converter.row(row));
    }

    /** Writes {@code row}; returns where it went: file number in the high bits, position in the low 40. */
    long write(TableRow row) {
        StructLike partition = null;
        if (partitionKey != null) {
            partitionKey.partition(row);
            partition = partitionKey;
        }
        Open o = open.get(partition);
        if (o == null) o = openFile(partition == null ? null : partitionKey.copy());
        if (encoder == null) o.writer.write(row);
        else encoder.write(o, row);
        long where = ((long) o.fileId << 40) | o.position;
        o.position++;
        rows++;
        // pipelined, the length is the one the encoder last saw: a file rolls at most a few thousand rows late
        if (o.position % SIZE_CHECK_EVERY == 0 && (encoder == null ? o.writer.length() : o.encodedLength) >= targetFileSize) {
            finish(o);
            open.values().remove(o);
        }
        return where;
    }

    long rows() {
        return rows;
    }

    String path(int fileId) {
        return paths.get(fileId);
    }

    boolean isEmpty() {
        return rows == 0;
    }

    /** Finishes every open file and returns all data files written. */
    List<DataFile> finish() {
        closeOpen();
        if (encoder != null) encoder.drain();
        synchronized (finished) {
            return List.copyOf(finished);
        }
    }

    /** Every file written (finished or not), for deleting them when the commit is abandoned. */
    List<String> allPaths() {
        return List.copyOf(paths);
    }

    /** Closes open files without keeping them and deletes everything written. */
    void discard() {
        if (encoder != null) {
            encoder.abandon(List.copyOf(open.values()));
        } else {
            for (Open o : open.values()) closeQuietly(o);
        }
        open.clear();
        for (String p : paths) {
            try {
                table.io().deleteFile(p);
            } catch (RuntimeException e) {
                // left for remove-orphans
            }
        }
        paths.clear();
        synchronized (finished) {
            finished.clear();
        }
        rows = 0;
    }

    /** Closes a file being thrown away. */
    static void closeQuietly(Open o) {
        try {
            o.writer.close();
        } catch (IOException | RuntimeException e) {
            // being thrown away
        }
    }

    private Open openFile(StructLike partition) {
        EncryptedOutputFile out = partition == null ? files.newOutputFile() : files.newOutputFile(spec, partition);
        DataWriter<TableRow> w;
        try {
            w = Parquet.writeData(out).schema(schema).setAll(table.properties()).metricsConfig(MetricsConfig.forTable(table))
                    .createWriterFunc(TableRowWriter::create).withSpec(spec).withPartition(partition).withKeyMetadata(out.keyMetadata())
                    .withSortOrder(table.sortOrder()).overwrite().build();
        } catch (IOException e) {
            throw new UncheckedIOException("opening " + out.encryptingOutputFile().location() + ": " + e.getMessage(), e);
        }
        Open o = new Open(w, paths.size());
        paths.add(out.encryptingOutputFile().location());
        open.put(partition, o);
        return o;
    }

    private void finish(Open o) {
        if (encoder != null) {
            encoder.finish(o, paths.get(o.fileId));
            return;
        }
        finished(o, paths.get(o.fileId));
    }

    /** Closes {@code o} (on the encoding thread when pipelined) and keeps its data file. */
    private void finished(Open o, String path) {
        try {
            o.writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path + ": " + e.getMessage(), e);
        }
        DataFile file = o.writer.toDataFile();
        synchronized (finished) {
            finished.add(file);
        }
    }

    private void closeOpen() {
        for (Open o : open.values()) finish(o);
        open.clear();
    }
}
