package dev.tributary.destination.warehouse;

import dev.tributary.spi.DataType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and evolves target tables. The source name behind each column is kept in
 * {@code <metadata schema>._tributary_columns} (schema_name, table_name, column_name, source_name) rather than in
 * column comments, which users and model tools are free to overwrite. A column without a row there (added by hand)
 * counts as named like its column.
 */
public final class TableCatalog {
    public static final String MAPPING_TABLE = "_tributary_columns";
    /** Rows of the mapping table per statement: a few statements even for a table of ten thousand columns. */
    private static final int MAPPING_CHUNK = 500;

    private static final System.Logger LOG = System.getLogger(TableCatalog.class.getName());

    private final SqlDialect dialect;
    private final String mappingTable;

    public TableCatalog(SqlDialect dialect, SchemaRef metadataSchema) {
        this.dialect = dialect;
        this.mappingTable = dialect.qualified(metadataSchema.table(MAPPING_TABLE));
    }

    public void createMappingTable(Connection c) throws SQLException {
        String text = dialect.textType();
        Sql.execute(c, "CREATE TABLE IF NOT EXISTS " + mappingTable + " (" + q("schema_name") + " " + text + " NOT NULL, " + q("table_name") + " " + text
                + " NOT NULL, " + q("column_name") + " " + text + " NOT NULL, " + q("source_name") + " " + text + " NOT NULL"
                + (dialect.declaresPrimaryKeys() ? ", PRIMARY KEY (" + dialect.quoteAll("schema_name", "table_name", "column_name") + "))" : ")"));
    }

    private String q(String identifier) {
        return dialect.quote(identifier);
    }

    /** {@code WHERE schema_name = ? AND table_name = ?}, quoted as the dialect quotes. */
    private String whereTable() {
        return " WHERE " + q("schema_name") + " = ? AND " + q("table_name") + " = ?";
    }

    /** The table's data columns in table order with their source names; empty when the table does not exist. */
    public Optional<List<Column>> load(Connection c, TableRef table) throws SQLException {
        if (!dialect.tableExists(c, table)) return Optional.empty();
        List<Column> columns = new ArrayList<>();
        Set<String> sourceNames = new HashSet<>();
        for (Column column : settledColumns(c, table)) {
            if (MetadataColumns.isMetadata(column.name())) continue;
            // A hand-made column can clash with a mapped source name; it then goes by its column name.
            columns.add(sourceNames.add(column.sourceName()) ? column : new Column(column.name(), column.name(), column.type(), column.nativeType()));
        }
        return Optional.of(columns);
    }

    /** Creates the table's schema when missing (where the warehouse needs no lock around that, or the caller holds it). */
    public void ensureSchema(Connection c, TableRef table) throws SQLException {
        Sql.execute(c, "CREATE SCHEMA IF NOT EXISTS " + dialect.qualifiedSchema(table.schemaRef()));
    }

    /**
     * Makes the table hold {@code columns}: creates it when missing, adds missing columns and widens narrower ones
     * (in as few ALTER TABLE statements as the dialect allows). Never drops or narrows. The schema must exist. Meant
     * to run inside the commit transaction, where the warehouse's DDL is transactional.
     */
    public void ensure(Connection c, TableRef table, List<Column> columns) throws SQLException {
        if (!dialect.tableExists(c, table)) {
            create(c, table, columns);
            return;
        }
        Map<String, Column> actual = new LinkedHashMap<>();
        for (Column column : settledColumns(c, table)) actual.put(dialect.nameKey(column.name()), column);
        List<String> actions = new ArrayList<>();
        List<String> widenings = new ArrayList<>();
        List<Column> added = new ArrayList<>();
        for (String metadata : MetadataColumns.ALL) {
            if (!actual.containsKey(dialect.nameKey(metadata))) {
                actions.add("ADD COLUMN " + dialect.quote(metadata) + " " + MetadataColumns.sqlType(dialect, metadata));
            }
        }
        for (Column wanted : columns) {
            Column existing = actual.get(dialect.nameKey(wanted.name()));
            if (existing == null) {
                actions.add("ADD COLUMN " + dialect.quote(wanted.name()) + " " + dialect.sqlType(wanted.type()));
                added.add(wanted);
            } else {
                DataType widened = existing.type().widen(wanted.type());
                if (widened != existing.type()) {
                    List<String> own = dialect.widenOnItsOwn(dialect.qualified(table), wanted.withType(widened), existing.type());
                    if (own.isEmpty()) actions.add(dialect.alterColumnType(wanted.withType(widened), existing.type())); else widenings.addAll(own);
                }
            }
        }
        Sql.execute(c, dialect.alterTable(dialect.qualified(table), actions));
        Sql.execute(c, widenings);
        remember(c, table, added);
    }

    /**
     * Finishes or undoes what a widening by {@link SqlDialect#widenOnItsOwn} left half-done in an existing table (a crash
     * after its ADD, UPDATE or DROP), as {@link SqlDialect#settleWidening} says, logging a WARN per column: the column's
     * values are then in the column of its name again, and the next widening finds no leftover in its way. Returns
     * {@link #allColumns} as they are then (read again only where something was settled).
     */
    private List<Column> settledColumns(Connection c, TableRef table) throws SQLException {
        List<Column> all = allColumns(c, table);
        Map<String, String> names = new LinkedHashMap<>();
        for (Column column : all) names.put(dialect.nameKey(column.name()), column.name());
        boolean settled = false;
        String suffix = dialect.nameKey(SqlDialect.WIDENING_SUFFIX);
        for (String leftover : names.values()) {
            String key = dialect.nameKey(leftover);
            if (!key.endsWith(suffix) || key.length() == suffix.length()) continue;
            String column = leftover.substring(0, leftover.length() - SqlDialect.WIDENING_SUFFIX.length());
            boolean kept = names.containsKey(dialect.nameKey(column));
            List<String> statements = dialect.settleWidening(dialect.qualified(table), column, leftover, kept);
            if (statements.isEmpty()) continue;
            LOG.log(System.Logger.Level.WARNING, kept
                    ? "Table " + table + ": a widening of column " + column + " was cut short before it dropped the column; dropping the leftover "
                            + leftover + " (the column keeps its values and is widened again when needed)"
                    : "Table " + table + ": a widening of column " + column + " was cut short after it dropped the column; renaming the leftover "
                            + leftover + ", which holds the widened values, to " + column);
            Sql.execute(c, statements);
            settled = true;
        }
        return settled ? allColumns(c, table) : all;
    }

    private void create(Connection c, TableRef table, List<Column> columns) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(dialect.qualified(table)).append(" (");
        for (Column column : columns) ddl.append(dialect.quote(column.name())).append(' ').append(dialect.sqlType(column.type())).append(", ");
        ddl.append(MetadataColumns.definitions(dialect)).append(')');
        // Rows left by a table someone dropped would otherwise name the new table's columns.
        Sql.update(c, "DELETE FROM " + mappingTable + whereTable(), table.schema(), table.table());
        Sql.execute(c, ddl.toString());
        remember(c, table, columns);
    }

    /** Records the source names of {@code columns}, replacing what was recorded for the same column names. */
    private void remember(Connection c, TableRef table, List<Column> columns) throws SQLException {
        for (int from = 0; from < columns.size(); from += MAPPING_CHUNK) {
            List<Column> chunk = columns.subList(from, Math.min(columns.size(), from + MAPPING_CHUNK));
            String names = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement forget = c.prepareStatement("DELETE FROM " + mappingTable
                    + whereTable() + " AND " + q("column_name") + " IN (" + names + ")")) {
                forget.setString(1, table.schema());
                forget.setString(2, table.table());
                for (int i = 0; i < chunk.size(); i++) forget.setString(3 + i, chunk.get(i).name());
                forget.executeUpdate();
            }
            String rows = String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?)"));
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + mappingTable + " VALUES " + rows)) {
                int i = 1;
                for (Column column : chunk) {
                    insert.setString(i++, table.schema());
                    insert.setString(i++, table.table());
                    insert.setString(i++, column.name());
                    insert.setString(i++, column.sourceName());
                }
                insert.executeUpdate();
            }
        }
    }

    /** Every column of an existing table, metadata columns included, in table order, with source names and native types. */
    public List<Column> allColumns(Connection c, TableRef table) throws SQLException {
        Map<String, String> sources = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT " + dialect.quoteAll("column_name", "source_name") + " FROM " + mappingTable
                + whereTable())) {
            p.setString(1, table.schema());
            p.setString(2, table.table());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) sources.put(rs.getString(1), rs.getString(2));
            }
        }
        List<Column> columns = new ArrayList<>();
        for (SqlDialect.StoredColumn stored : dialect.columns(c, table)) {
            String source = sources.get(stored.name());
            columns.add(new Column(source == null ? stored.name() : source, stored.name(), dialect.dataType(stored.nativeType()), stored.nativeType()));
        }
        return columns;
    }
}
