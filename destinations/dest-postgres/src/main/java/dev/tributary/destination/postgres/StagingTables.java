package dev.tributary.destination.postgres;

import static dev.tributary.destination.postgres.Identifiers.quote;

import dev.tributary.destination.warehouse.Column;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * PostgreSQL's bulk-load path into a writer's staging tables (the kit's {@code StagingTables}: TEMP tables in
 * {@code pg_temp}, no WAL, gone with the connection): binary COPY of rows, text COPY of rejections, and binary COPY
 * straight into a target whose types are exactly Tributary's.
 */
final class StagingTables {
    static final String ROWS = dev.tributary.destination.warehouse.StagingTables.ROWS;
    private static final String SEQ = dev.tributary.destination.warehouse.StagingTables.SEQ;
    private static final String REJECTIONS = dev.tributary.destination.warehouse.StagingTables.REJECTIONS;

    private final Connection c;

    StagingTables(Connection writerConnection) {
        this.c = writerConnection;
    }

    /** A binary COPY into the rows table, columns in the order {@link BinaryRowCopier#records} writes them. */
    BinaryRowCopier copyRows(List<Column> columns) throws SQLException {
        return new BinaryRowCopier(copyIn("COPY pg_temp." + quote(ROWS) + " " + BinaryRowCopier.columnList(columns, true) + " FROM STDIN (FORMAT binary)"));
    }

    /** A binary COPY straight into a target whose columns {@link PostgresTables#holdsExactly} the types Tributary writes. */
    BinaryRowCopier copyInto(TableName target, List<Column> columns) throws SQLException {
        return new BinaryRowCopier(copyIn("COPY " + target.quoted() + " " + BinaryRowCopier.columnList(columns, false) + " FROM STDIN (FORMAT binary)"));
    }

    BatchCopier copyRejections() throws SQLException {
        return new BatchCopier(copyIn("COPY pg_temp." + quote(REJECTIONS) + " (" + quote(SEQ) + ", origin, reason, raw, rejected_at) FROM STDIN"));
    }

    /** Autovacuum never analyzes TEMP tables; without statistics the planner guesses the join of a merge badly. */
    void analyze() throws SQLException {
        execute("ANALYZE pg_temp." + quote(ROWS));
    }

    /** Drops the tables before the connection goes back to the pool. */
    void drop() throws SQLException {
        execute("DISCARD TEMP");
    }

    private CopyIn copyIn(String sql) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
