package dev.tributary.destination.warehouse;

import dev.tributary.spi.DataType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The staging tables of one writer: temporary tables on the writer's own connection, so no other connection sees
 * them and they vanish with the connection, crash included. Both number what they hold so that a batch that failed
 * half-way can be taken out again. The warehouse's bulk-load path fills them ({@link #rows()}, {@link #rejections()},
 * {@link #ROWS_COLUMNS}); this class makes, evolves, trims and empties them.
 *
 * <p>{@value #ROWS}: {@code _tributary_seq} (arrival order), {@code _tributary_extracted_at},
 * {@code _tributary_deleted_at}, then the data columns in the writer's order. {@value #REJECTIONS}:
 * {@code _tributary_seq}, origin, reason, raw, rejected_at.
 */
public final class StagingTables {
    public static final String SEQ = "_tributary_seq";
    public static final String ROWS = "_tributary_staged_rows";
    public static final String REJECTIONS = "_tributary_staged_rejections";
    /** The rows table's columns before the data columns, in order. */
    public static final List<String> ROWS_COLUMNS = List.of(SEQ, MetadataColumns.EXTRACTED_AT, MetadataColumns.DELETED_AT);

    /** The rejections table's columns after {@code _tributary_seq}, in order. */
    public static final String[] REJECTION_COLUMNS = {"origin", "reason", "raw", "rejected_at"};

    private final Connection c;
    private final SqlDialect dialect;

    public StagingTables(Connection writerConnection, SqlDialect dialect) {
        this.c = writerConnection;
        this.dialect = dialect;
    }

    /** The rows table's name in SQL. */
    public String rows() {
        return dialect.tempTable(ROWS);
    }

    public String rejections() {
        return dialect.tempTable(REJECTIONS);
    }

    /** (Re)creates both tables, empty, with the data columns given (a pooled connection may still hold old ones). */
    public void create(List<Column> columns) throws SQLException {
        createRows(columns);
        String text = dialect.textType();
        Sql.execute(c, dialect.createTempTable(REJECTIONS, dialect.quote(SEQ) + " " + dialect.bigintType() + ", " + dialect.quote("origin") + " " + text
                + ", " + dialect.quote("reason") + " " + text + ", " + dialect.quote("raw") + " " + text + ", " + dialect.quote("rejected_at") + " "
                + dialect.timestampTzType()));
    }

    /**
     * (Re)creates the rows table, empty, with every column in one statement: a first batch of a wide file (thousands
     * of columns) would otherwise cost one ALTER TABLE per column.
     */
    public void createRows(List<Column> columns) throws SQLException {
        StringBuilder ddl = new StringBuilder()
                .append(dialect.quote(SEQ)).append(' ').append(dialect.bigintType()).append(", ")
                .append(dialect.quote(MetadataColumns.EXTRACTED_AT)).append(' ').append(dialect.timestampTzType()).append(", ")
                .append(dialect.quote(MetadataColumns.DELETED_AT)).append(' ').append(dialect.timestampTzType());
        for (Column column : columns) ddl.append(", ").append(dialect.quote(column.name())).append(' ').append(dialect.stagingType(column.type()));
        Sql.execute(c, dialect.createTempTable(ROWS, ddl.toString()));
    }

    /**
     * Applies a schema change to the rows table: made again with all its columns while it holds nothing
     * ({@code rowsStaged} false), else altered as the dialect batches ALTER TABLE.
     */
    public void evolve(TargetColumns.Evolution change, boolean rowsStaged) throws SQLException {
        if (!rowsStaged) {
            createRows(change.columns());
            return;
        }
        List<String> actions = new ArrayList<>();
        List<String> widenings = new ArrayList<>();
        for (Column column : change.added()) actions.add("ADD COLUMN " + dialect.quote(column.name()) + " " + dialect.stagingType(column.type()));
        for (int i = 0; i < change.widened().size(); i++) {
            Column widened = change.widened().get(i);
            DataType from = change.before().get(i).type();
            if (dialect.stagingType(widened.type()).equals(dialect.stagingType(from))) continue; // staged alike (JSON and TEXT as text)
            List<String> own = dialect.widenOnItsOwn(rows(), widened, from);
            if (own.isEmpty()) actions.add(dialect.alterColumnType(widened, from)); else widenings.addAll(own);
        }
        Sql.execute(c, dialect.alterTable(rows(), actions));
        Sql.execute(c, widenings);
    }

    /** Takes out what was staged from sequence number {@code seq} on: the rest of a batch that failed half-way. */
    public void discardFrom(long seq) throws SQLException {
        for (String table : List.of(rows(), rejections())) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE " + dialect.quote(SEQ) + " >= ?")) {
                p.setLong(1, seq);
                p.executeUpdate();
            }
        }
    }

    /** Empties both tables; inside the commit transaction, so a failed commit keeps them. */
    public void clear() throws SQLException {
        Sql.execute(c, dialect.emptyTable(rows()));
        Sql.execute(c, dialect.emptyTable(rejections()));
    }
}
