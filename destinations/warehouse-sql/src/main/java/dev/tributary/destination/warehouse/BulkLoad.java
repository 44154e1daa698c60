package dev.tributary.destination.warehouse;

import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * A warehouse's bulk-load path into one writer's staging tables ({@link StagingTables}): DuckDB's appender,
 * PostgreSQL's COPY, Snowflake's files, PUT and COPY INTO. One per writer, on the writer's connection.
 */
public interface BulkLoad {
    /**
     * Loads the batch's records into {@link StagingTables#rows()}: {@code _tributary_seq} from {@code firstSeq} on,
     * {@code _tributary_extracted_at} = {@code stagedAt}, {@code _tributary_deleted_at} from each record, then
     * {@code columns} in order (values converted as the column's type asks; a value that cannot be is a
     * {@code DataException} naming the record's origin and field). Returns the next sequence number.
     */
    long stageRecords(List<Column> columns, RecordBatch batch, long firstSeq, Instant stagedAt) throws SQLException;

    /** Loads rejections into {@link StagingTables#rejections()}, all numbered {@code seq}. */
    void stageRejections(List<Rejection> rejections, long seq, Instant stagedAt) throws SQLException;

    /** Ends the writer's use of its connection (closes it, or gives it back); staging goes with it. */
    void close() throws SQLException;
}
