package dev.tributary.destination.duckdb;

import dev.tributary.destination.warehouse.BulkLoad;
import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.StagingTables;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** DuckDB's bulk-load path: the appender into the writer's TEMP staging tables, on the writer's own connection. */
final class DuckDbBulkLoad implements BulkLoad {
    private final DuckDBConnection c;

    DuckDbBulkLoad(DuckDBConnection writerConnection) {
        this.c = writerConnection;
    }

    @Override
    public long stageRecords(List<Column> columns, RecordBatch batch, long firstSeq, Instant stagedAt) throws SQLException {
        try (DuckDBAppender a = c.createAppender("temp", "main", StagingTables.ROWS)) {
            return BatchAppender.appendRecords(a, columns, batch, firstSeq, stagedAt);
        }
    }

    @Override
    public void stageRejections(List<Rejection> rejections, long seq, Instant stagedAt) throws SQLException {
        try (DuckDBAppender a = c.createAppender("temp", "main", StagingTables.REJECTIONS)) {
            BatchAppender.appendRejections(a, rejections, seq, stagedAt);
        }
    }

    /** Closing the connection drops the staging tables. */
    @Override
    public void close() throws SQLException {
        c.close();
    }
}
