package dev.tributary.destination.duckdb;

import static dev.tributary.destination.duckdb.Identifiers.quote;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The staging tables of one writer: TEMP tables on the writer's own connection, so no other connection sees them,
 * DuckDB does not log them, and they vanish with the connection, crash included. Both number what they hold so that
 * a batch that failed half-way can be taken out again.
 *
 * <p>{@value #ROWS}: {@code _tributary_seq} (arrival order), {@code _tributary_extracted_at},
 * {@code _tributary_deleted_at}, then the data columns in the writer's order. {@value #REJECTIONS}:
 * {@code _tributary_seq}, origin, reason, raw, rejected_at.
 */
final class StagingTables {
    static final String SEQ = "_tributary_seq";
    static final String ROWS = "_tributary_staged_rows";
    static final String REJECTIONS = "_tributary_staged_rejections";

    private final DuckDBConnection c;

    StagingTables(DuckDBConnection writerConnection) {
        this.c = writerConnection;
    }

    /** The rows table's name in SQL. */
    String rows() {
        return "temp.main." + quote(ROWS);
    }

    String rejections() {
        return "temp.main." + quote(REJECTIONS);
    }

    DuckDBAppender rowsAppender() throws SQLException {
        return c.createAppender("temp", "main", ROWS);
    }

    DuckDBAppender rejectionsAppender() throws SQLException {
        return c.createAppender("temp", "main", REJECTIONS);
    }

    /** (Re)creates both tables, empty, with the data columns given. */
    void create(List<Column> columns) throws SQLException {
        createRows(columns);
        execute("CREATE OR REPLACE TEMP TABLE " + quote(REJECTIONS) + " (" + quote(SEQ)
                + " BIGINT, origin VARCHAR, reason VARCHAR, raw VARCHAR, rejected_at TIMESTAMPTZ)");
    }

    /**
     * (Re)creates the rows table, empty, with every column in one statement: a first batch of a wide file (thousands
     * of columns) would otherwise cost one ALTER TABLE per column.
     */
    void createRows(List<Column> columns) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE OR REPLACE TEMP TABLE ").append(quote(ROWS)).append(" (")
                .append(quote(SEQ)).append(" BIGINT, ")
                .append(quote(MetadataColumns.EXTRACTED_AT)).append(" TIMESTAMPTZ, ")
                .append(quote(MetadataColumns.DELETED_AT)).append(" TIMESTAMPTZ");
        for (Column column : columns) ddl.append(", ").append(column.quoted()).append(' ').append(DuckDbTypes.sqlType(column.type()));
        ddl.append(')');
        execute(ddl.toString());
    }

    void addColumn(Column column) throws SQLException {
        execute("ALTER TABLE " + rows() + " ADD COLUMN " + column.quoted() + " " + DuckDbTypes.sqlType(column.type()));
    }

    void changeType(Column column) throws SQLException {
        execute("ALTER TABLE " + rows() + " ALTER COLUMN " + column.quoted() + " TYPE " + DuckDbTypes.sqlType(column.type()));
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

    void clear() throws SQLException {
        execute("DELETE FROM " + rows());
        execute("DELETE FROM " + rejections());
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
