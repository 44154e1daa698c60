package dev.tributary.destination.snowflake;

import dev.tributary.destination.warehouse.BulkLoad;
import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.StagingTables;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Snowflake's bulk-load path into the kit's staging tables, on the writer's own connection: each batch becomes a gzip
 * CSV file ({@link StagedFiles}) when written; at the start of a commit ({@link #flush}) the files are PUT to a
 * temporary named stage of the writer's session ({@code <PREFIX>TRIBUTARY._TRIBUTARY_LOAD_<id>}) and COPYed into
 * {@link StagingTables#rows()} with explicit column lists, one COPY per set of columns, COPY's answer checked.
 * Rejections, few, go into {@link StagingTables#rejections()} with one batched INSERT.
 */
final class SnowflakeBulkLoad implements BulkLoad {
    private final Connection c;
    private final String stage;
    private final StagedFiles files = new StagedFiles();
    private boolean stageMade;

    /** {@code stage}: the qualified name of the temporary stage to create for this writer. */
    SnowflakeBulkLoad(Connection writerConnection, String stage) {
        this.c = writerConnection;
        this.stage = stage;
    }

    @Override
    public long stageRecords(List<Column> columns, RecordBatch batch, long firstSeq, Instant stagedAt) {
        files.write(batch, columns, firstSeq, stagedAt);
        return firstSeq + batch.records().size();
    }

    @Override
    public void stageRejections(List<Rejection> rejections, long seq, Instant stagedAt) throws SQLException {
        SnowflakeDialect d = SnowflakeDialect.INSTANCE;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + d.tempTable(StagingTables.REJECTIONS) + " (" + d.quote(StagingTables.SEQ) + ", "
                + d.quoteAll(StagingTables.REJECTION_COLUMNS) + ") VALUES (?, ?, ?, ?, CAST(? AS " + d.timestampTzType() + "))")) {
            for (Rejection r : rejections) {
                p.setLong(1, seq);
                p.setString(2, r.origin());
                p.setString(3, r.reason());
                p.setString(4, r.raw());
                p.setString(5, stagedAt.toString());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** PUT and COPY of the files written since the last commit. */
    @Override
    public void flush() throws SQLException {
        if (files.isEmpty()) return;
        if (!stageMade) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMPORARY STAGE IF NOT EXISTS " + stage);
            }
            stageMade = true;
        }
        files.load(c, stage, SnowflakeDialect.INSTANCE.tempTable(StagingTables.ROWS));
    }

    @Override
    public void discardFrom(long seq) {
        files.discardFrom(seq);
    }

    /**
     * Closing the connection drops the staging tables and the temporary stage. A connection that will not close (the
     * warehouse went away) is left: its session, with them, ends on Snowflake's side, and the failure that matters is
     * the one that brought the writer down.
     */
    @Override
    public void close() {
        files.close();
        SnowflakeSession.closeQuietly(c);
    }
}
