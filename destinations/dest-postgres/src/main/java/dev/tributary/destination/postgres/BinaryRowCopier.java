package dev.tributary.destination.postgres;

import static dev.tributary.destination.postgres.Identifiers.quote;

import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.MetadataColumns;
import dev.tributary.destination.warehouse.StagedValues;
import dev.tributary.destination.warehouse.StagingTables;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.copy.CopyIn;

/**
 * Streams a batch's records into one {@code COPY ... FROM STDIN (FORMAT binary)} of the staging rows table, a few
 * dozen kilobytes at a time. Binary because the server then parses nothing: with text, turning dates, times and
 * numerics back from text was the larger part of the server's work. Only tables whose column types are exactly
 * the ones Tributary chooses are written this way (staging tables, and targets that {@link PostgresTables#holdsExactly}),
 * so every value is sent in exactly its column's type. {@link #finish} ends
 * the COPY; closing without it cancels the COPY, so nothing of the batch stays.
 */
final class BinaryRowCopier implements AutoCloseable {
    private final CopyIn copy;
    private final BinaryCopyBuffer out;

    BinaryRowCopier(CopyIn copy) {
        this.copy = copy;
        this.out = new BinaryCopyBuffer(copy);
    }

    /** The COPY's column list: (seq, extracted_at, deleted_at, columns...) for staging, (extracted_at, run_id, deleted_at, columns...) for a target. */
    static String columnList(List<Column> columns, boolean staging) {
        String first = staging ? quote(StagingTables.SEQ) + ", " + quote(MetadataColumns.EXTRACTED_AT)
                : quote(MetadataColumns.EXTRACTED_AT) + ", " + quote(MetadataColumns.RUN_ID);
        return "(" + first + ", " + quote(MetadataColumns.DELETED_AT) + columns.stream().map(c -> ", " + quote(c.name())).collect(Collectors.joining()) + ")";
    }

    /**
     * Writes the batch's records in the order of {@link #columnList}: numbered from {@code firstSeq} for staging,
     * or with {@code runId} for a target (when {@code runId} is not null); returns the next free number. A record
     * without a value for a column of {@code key} fails, as would a merge.
     */
    long records(List<Column> columns, RecordBatch batch, long firstSeq, Instant stagedAt, List<Column> key, String runId) throws SQLException {
        int width = columns.size();
        int[] valueIndex = StagedValues.valueIndexes(columns, batch);
        DataType[] types = StagedValues.types(columns);
        int[] keyIndex = key.stream().mapToInt(k -> batch.schema().indexOf(k.sourceName())).toArray();
        long seq = firstSeq;
        for (Record r : batch.records()) {
            Object[] values = r.values();
            for (int k = 0; k < keyIndex.length; k++) {
                if (keyIndex[k] < 0 || keyIndex[k] >= values.length || values[keyIndex[k]] == null) {
                    throw new DataException(r.origin(), "primary key column '" + key.get(k).sourceName() + "' is empty");
                }
            }
            out.beginRow(3 + width);
            if (runId == null) {
                out.int8(seq++);
                out.timestampTz(stagedAt);
            } else {
                out.timestampTz(stagedAt);
                out.value(DataType.TEXT, runId);
            }
            if (r.deletedAt() == null) out.nullValue(); else out.timestampTz(r.deletedAt());
            for (int i = 0; i < width; i++) {
                Object v = StagedValues.valueAt(values, valueIndex[i]);
                if (v == null) {
                    out.nullValue();
                    continue;
                }
                try {
                    out.value(types[i], v);
                } catch (RuntimeException e) {
                    throw StagedValues.cannotStore(r, columns.get(i), v, e);
                }
            }
            out.flushIfFull();
        }
        return seq;
    }

    /** Sends what is left and ends the COPY; the rows are then in the table. */
    void finish() throws SQLException {
        out.trailer();
        out.flush();
        copy.endCopy();
    }

    /** Cancels the COPY unless it was finished: the server then drops every row it received. */
    @Override
    public void close() throws SQLException {
        if (copy.isActive()) copy.cancelCopy();
    }
}
