package dev.tributary.destination.duckdb;

import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.StagedValues;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.duckdb.DuckDBAppender;

/**
 * Bulk-loads one batch into a writer's staging tables through DuckDB's appender; the caller closes (flushes) it.
 * The column plan (where each staging column's value sits in the record, and its type) is worked out once per
 * batch, so each value costs one switch. Conversions of values that arrive as another type than their column's are
 * the kit's ({@link StagedValues}). Decimals are appended at exactly the 9 places of DECIMAL(38,9).
 */
final class BatchAppender {
    private BatchAppender() {}

    /** Appends the batch's records numbered from {@code firstSeq}; returns the next free number. */
    static long appendRecords(DuckDBAppender a, List<Column> columns, RecordBatch batch, long firstSeq, Instant stagedAt) throws SQLException {
        int width = columns.size();
        int[] valueIndex = StagedValues.valueIndexes(columns, batch);
        DataType[] types = StagedValues.types(columns);
        long stagedMicros = epochMicros(stagedAt);
        long seq = firstSeq;
        for (Record r : batch.records()) {
            a.beginRow();
            a.append(seq++);
            a.appendEpochMicros(stagedMicros);
            if (r.deletedAt() == null) a.appendNull(); else a.appendEpochMicros(epochMicros(r.deletedAt()));
            Object[] values = r.values();
            for (int i = 0; i < width; i++) {
                Object v = StagedValues.valueAt(values, valueIndex[i]);
                if (v == null) {
                    a.appendNull();
                    continue;
                }
                try {
                    appendValue(a, types[i], v);
                } catch (RuntimeException e) {
                    throw StagedValues.cannotStore(r, columns.get(i), v, e);
                }
            }
            a.endRow();
        }
        return seq;
    }

    static void appendRejections(DuckDBAppender a, List<Rejection> rejections, long seq, Instant rejectedAt) throws SQLException {
        long micros = epochMicros(rejectedAt);
        for (Rejection r : rejections) {
            a.beginRow().append(seq).append(r.origin()).append(r.reason()).append(r.raw()).appendEpochMicros(micros).endRow();
        }
    }

    private static void appendValue(DuckDBAppender a, DataType type, Object v) throws SQLException {
        switch (type) {
            case BOOLEAN -> a.append(StagedValues.toBoolean(v));
            case INTEGER -> a.append(StagedValues.toLong(v));
            // The appender wants the column's exact scale; toDecimal already rounded to at most that many places.
            case DECIMAL -> a.append(exactScale(StagedValues.toDecimal(v)));
            case NUMBER -> a.append(StagedValues.toDouble(v));
            case DATE -> a.append(StagedValues.toLocalDate(v));
            case TIMESTAMP -> a.append(StagedValues.toLocalDateTime(v));
            case TIMESTAMP_TZ -> a.appendEpochMicros(epochMicros(StagedValues.toInstant(v)));
            case TEXT -> a.append(StagedValues.toText(v));
            case JSON -> a.append(StagedValues.toJson(v));
        }
    }

    private static BigDecimal exactScale(BigDecimal d) {
        return d.scale() == StagedValues.DECIMAL_SCALE ? d : d.setScale(StagedValues.DECIMAL_SCALE, RoundingMode.UNNECESSARY);
    }

    /** Kept for tests that compare a stored TIMESTAMPTZ with what was appended. */
    static long epochMicros(Instant i) {
        return StagedValues.epochMicros(i);
    }
}
