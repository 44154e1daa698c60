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
     * Loads the batch's records into {@link StagingTables#rows()} (now, or at the next {@link #flush}):
     * {@code _tributary_seq} from {@code firstSeq} on, {@code _tributary_extracted_at} = {@code stagedAt},
     * {@code _tributary_deleted_at} from each record, then {@code columns} in order (values converted as the column's
     * type asks; a value that cannot be is a {@code DataException} naming the record's origin and field, thrown here).
     * Returns the next sequence number.
     */
    long stageRecords(List<Column> columns, RecordBatch batch, long firstSeq, Instant stagedAt) throws SQLException;

    /** Loads rejections into {@link StagingTables#rejections()}, all numbered {@code seq}. */
    void stageRejections(List<Rejection> rejections, long seq, Instant stagedAt) throws SQLException;

    /**
     * Called at the start of every commit, before its DDL and its transaction: a path that holds batches back (Snowflake
     * writes files at {@link #stageRecords} and PUTs and COPYs them here, in one COPY per set of columns rather than one
     * per batch) loads them into {@link StagingTables#rows()} now. By default nothing is held back.
     */
    default void flush() throws SQLException {}

    /**
     * Forgets what is held back from sequence number {@code seq} on: the rest of a batch that failed half-way, or all
     * of it (from 0) when the writer aborts. By default nothing is held back.
     */
    default void discardFrom(long seq) {}

    /** Ends the writer's use of its connection (closes it, or gives it back); staging goes with it. */
    void close() throws SQLException;
}
