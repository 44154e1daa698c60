package dev.tributary.destination.duckdb;

import static dev.tributary.destination.duckdb.Identifiers.quote;

import dev.tributary.spi.DataType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and evolves target tables. The source name behind each column is kept in {@code main._tributary_columns}
 * (schema_name, table_name, column_name, source_name) rather than in column comments, which users and model tools
 * are free to overwrite. A column without a row there (added by hand) counts as named like its column.
 */
final class TableCatalog {
    private TableCatalog() {}

    static void createMappingTable(Connection c, String catalog) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + mappingTable(catalog) + " (schema_name VARCHAR NOT NULL, table_name VARCHAR NOT NULL, "
                    + "column_name VARCHAR NOT NULL, source_name VARCHAR NOT NULL)");
        }
    }

    private static String mappingTable(String catalog) {
        return new TableName(catalog, "main", "_tributary_columns").quoted();
    }

    /** The table's data columns in table order with their source names; empty when the table does not exist. */
    static Optional<List<Column>> load(Connection c, TableName table) throws SQLException {
        if (!exists(c, table)) return Optional.empty();
        List<Column> columns = new ArrayList<>();
        Set<String> sourceNames = new HashSet<>();
        for (Column column : allColumns(c, table)) {
            if (MetadataColumns.isMetadata(column.name())) continue;
            // A hand-made column can clash with a mapped source name; it then goes by its column name.
            columns.add(sourceNames.add(column.sourceName()) ? column : new Column(column.name(), column.name(), column.type()));
        }
        return Optional.of(columns);
    }

    static boolean exists(Connection c, TableName table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM duckdb_tables() WHERE database_name = ? "
                + "AND lower(schema_name) = ? AND lower(table_name) = ?")) {
            p.setString(1, table.catalog());
            p.setString(2, table.schema());
            p.setString(3, table.table());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Makes the table hold {@code columns}: creates schema and table when missing, adds missing columns and widens
     * narrower ones. Never drops or narrows. Meant to run inside the commit transaction.
     */
    static void ensure(Connection c, TableName table, List<Column> columns) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + table.quotedSchema());
        }
        if (!exists(c, table)) {
            create(c, table, columns);
            return;
        }
        Map<String, Column> actual = new LinkedHashMap<>();
        for (Column column : allColumns(c, table)) actual.put(column.name().toLowerCase(Locale.ROOT), column);
        try (Statement s = c.createStatement()) {
            for (String metadata : MetadataColumns.ALL) {
                if (!actual.containsKey(metadata)) {
                    String type = metadata.equals(MetadataColumns.RUN_ID) ? "VARCHAR" : "TIMESTAMPTZ";
                    s.execute("ALTER TABLE " + table.quoted() + " ADD COLUMN " + quote(metadata) + " " + type);
                }
            }
            List<Column> added = new ArrayList<>();
            for (Column wanted : columns) {
                Column existing = actual.get(wanted.name().toLowerCase(Locale.ROOT));
                if (existing == null) {
                    // DuckDB alters one column per statement
                    s.execute("ALTER TABLE " + table.quoted() + " ADD COLUMN " + wanted.quoted() + " " + DuckDbTypes.sqlType(wanted.type()));
                    added.add(wanted);
                } else {
                    DataType widened = existing.type().widen(wanted.type());
                    if (widened != existing.type()) {
                        s.execute("ALTER TABLE " + table.quoted() + " ALTER COLUMN " + wanted.quoted() + " TYPE " + DuckDbTypes.sqlType(widened));
                    }
                }
            }
            remember(c, table, added);
        }
    }

    private static void create(Connection c, TableName table, List<Column> columns) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(table.quoted()).append(" (");
        for (Column column : columns) ddl.append(column.quoted()).append(' ').append(DuckDbTypes.sqlType(column.type())).append(", ");
        ddl.append(MetadataColumns.definitions()).append(')');
        try (PreparedStatement forget = c.prepareStatement("DELETE FROM " + mappingTable(table.catalog()) + " WHERE schema_name = ? AND table_name = ?");
                Statement s = c.createStatement()) {
            // Rows left by a table someone dropped would otherwise name the new table's columns.
            forget.setString(1, table.schema());
            forget.setString(2, table.table());
            forget.executeUpdate();
            s.execute(ddl.toString());
        }
        remember(c, table, columns);
    }

    /** Rows of the mapping table per statement: a few statements even for a table of ten thousand columns. */
    private static final int MAPPING_CHUNK = 500;

    /** Records the source names of {@code columns}, replacing what was recorded for the same column names. */
    private static void remember(Connection c, TableName table, List<Column> columns) throws SQLException {
        String mapping = mappingTable(table.catalog());
        for (int from = 0; from < columns.size(); from += MAPPING_CHUNK) {
            List<Column> chunk = columns.subList(from, Math.min(columns.size(), from + MAPPING_CHUNK));
            String names = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement forget = c.prepareStatement("DELETE FROM " + mapping + " WHERE schema_name = ? AND table_name = ? AND column_name IN (" + names + ")")) {
                forget.setString(1, table.schema());
                forget.setString(2, table.table());
                for (int i = 0; i < chunk.size(); i++) forget.setString(3 + i, chunk.get(i).name());
                forget.executeUpdate();
            }
            String rows = String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?, ?)"));
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + mapping + " VALUES " + rows)) {
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

    /** Every column of an existing table, metadata columns included, in table order. */
    private static List<Column> allColumns(Connection c, TableName table) throws SQLException {
        String sql = "SELECT c.column_name, c.data_type, m.source_name FROM duckdb_columns() c LEFT JOIN " + mappingTable(table.catalog())
                + " m ON m.schema_name = ? AND m.table_name = ? AND m.column_name = c.column_name "
                + "WHERE c.database_name = ? AND lower(c.schema_name) = ? AND lower(c.table_name) = ? ORDER BY c.column_index";
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, table.schema());
            p.setString(2, table.table());
            p.setString(3, table.catalog());
            p.setString(4, table.schema());
            p.setString(5, table.table());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String source = rs.getString(3);
                    columns.add(new Column(source == null ? name : source, name, DuckDbTypes.dataType(rs.getString(2))));
                }
            }
        }
        return columns;
    }
}
