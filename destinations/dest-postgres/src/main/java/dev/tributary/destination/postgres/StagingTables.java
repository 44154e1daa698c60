package dev.tributary.destination.postgres;

import static dev.tributary.destination.postgres.Identifiers.quote;

import dev.tributary.spi.DataType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The staging tables of one writer: TEMP tables on the writer's own connection, so no other connection sees them,
 * PostgreSQL writes no WAL for them, and they vanish with the connection, crash included. Both number what they
 * hold so that a batch that failed half-way can be taken out again.
 *
 * <p>{@value #ROWS}: {@code _tributary_seq} (arrival order), {@code _tributary_extracted_at},
 * {@code _tributary_deleted_at}, then the data columns. {@value #REJECTIONS}: {@code _tributary_seq}, origin,
 * reason, raw, rejected_at.
 */
final class StagingTables {
    static final String SEQ = "_tributary_seq";
    static final String ROWS = "_tributary_staged_rows";
    static final String REJECTIONS = "_tributary_staged_rejections";

    private final Connection c;

    StagingTables(Connection writerConnection) {
        this.c = writerConnection;
    }

    /** The rows table's name in SQL. */
    String rows() {
        return "pg_temp." + quote(ROWS);
    }

    String rejections() {
        return "pg_temp." + quote(REJECTIONS);
    }

    /** (Re)creates both tables, empty, with the data columns given; a pooled connection may still hold old ones. */
    void create(List<Column> columns) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE ").append(quote(ROWS)).append(" (")
                .append(quote(SEQ)).append(" bigint, ")
                .append(quote(MetadataColumns.EXTRACTED_AT)).append(" timestamptz, ")
                .append(quote(MetadataColumns.DELETED_AT)).append(" timestamptz");
        for (Column column : columns) ddl.append(", ").append(column.quoted()).append(' ').append(PostgresTypes.sqlType(column.type()));
        ddl.append(')');
        execute("DROP TABLE IF EXISTS " + rows() + ", " + rejections());
        execute(ddl.toString());
        execute("CREATE TEMP TABLE " + quote(REJECTIONS) + " (" + quote(SEQ)
                + " bigint, origin text, reason text, raw text, rejected_at timestamptz)");
    }

    /**
     * Adds {@code added} and widens {@code widened} (from the types in {@code before}, pairwise) in one ALTER TABLE:
     * a first batch of a wide file would otherwise cost one statement per column.
     */
    void evolve(List<Column> added, List<Column> widened, List<Column> before) throws SQLException {
        List<String> actions = new java.util.ArrayList<>();
        for (Column column : added) actions.add("ADD COLUMN " + column.quoted() + " " + PostgresTypes.sqlType(column.type()));
        for (int i = 0; i < widened.size(); i++) actions.add(PostgresTypes.alterType(widened.get(i), before.get(i).type()));
        if (!actions.isEmpty()) execute("ALTER TABLE " + rows() + " " + String.join(", ", actions));
    }

    /** A binary COPY into the rows table, columns in the order {@link BinaryRowCopier#records} writes them. */
    BinaryRowCopier copyRows(List<Column> columns) throws SQLException {
        return new BinaryRowCopier(copyIn("COPY " + rows() + " " + BinaryRowCopier.columnList(columns, true) + " FROM STDIN (FORMAT binary)"));
    }

    /** A binary COPY straight into a target whose columns {@link TableCatalog#holdsExactly} the types Tributary writes. */
    BinaryRowCopier copyInto(TableName target, List<Column> columns) throws SQLException {
        return new BinaryRowCopier(copyIn("COPY " + target.quoted() + " " + BinaryRowCopier.columnList(columns, false) + " FROM STDIN (FORMAT binary)"));
    }

    BatchCopier copyRejections() throws SQLException {
        return new BatchCopier(copyIn("COPY " + rejections() + " (" + quote(SEQ) + ", origin, reason, raw, rejected_at) FROM STDIN"));
    }

    /** Takes out what was staged from sequence number {@code seq} on: the rest of a batch that failed half-way. */
    void discardFrom(long seq) throws SQLException {
        for (String table : List.of(rows(), rejections())) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE " + quote(SEQ) + " >= ?")) {
                p.setLong(1, seq);
                p.executeUpdate();
            }
        }
    }

    /** Empties both tables; inside the commit transaction, so a failed commit keeps them. */
    void clear() throws SQLException {
        execute("TRUNCATE " + rows() + ", " + rejections());
    }

    /** Autovacuum never analyzes TEMP tables; without statistics the planner guesses the join of a merge badly. */
    void analyze() throws SQLException {
        execute("ANALYZE " + rows());
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
