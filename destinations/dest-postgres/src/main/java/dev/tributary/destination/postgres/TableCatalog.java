package dev.tributary.destination.postgres;

import static dev.tributary.destination.postgres.Identifiers.quote;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and evolves target tables. The source name behind each column is kept in
 * {@code <metadata schema>._tributary_columns} (schema_name, table_name, column_name, source_name) rather than in
 * column comments, which users and model tools are free to overwrite. A column without a row there (added by hand)
 * counts as named like its column.
 */
final class TableCatalog {
    static final String MAPPING_TABLE = "_tributary_columns";

    private final String mappingTable;

    TableCatalog(String metadataSchema) {
        this.mappingTable = new TableName(metadataSchema, MAPPING_TABLE).quoted();
    }

    void createMappingTable(Connection c) throws SQLException {
        execute(c, "CREATE TABLE IF NOT EXISTS " + mappingTable + " (schema_name text NOT NULL, table_name text NOT NULL, "
                + "column_name text NOT NULL, source_name text NOT NULL, PRIMARY KEY (schema_name, table_name, column_name))");
    }

    /** The table's data columns in table order with their source names; empty when the table does not exist. */
    Optional<List<Column>> load(Connection c, TableName table) throws SQLException {
        if (!exists(c, table)) return Optional.empty();
        List<Column> columns = new ArrayList<>();
        Set<String> sourceNames = new HashSet<>();
        for (Column column : allColumns(c, table)) {
            if (MetadataColumns.isMetadata(column.name())) continue;
            // A hand-made column can clash with a mapped source name; it then goes by its column name.
            columns.add(sourceNames.add(column.sourceName()) ? column : new Column(column.name(), column.name(), column.type(), column.sqlType()));
        }
        return Optional.of(columns);
    }

    static boolean exists(Connection c, TableName table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "WHERE n.nspname = ? AND t.relname = ? AND t.relkind IN ('r', 'p')")) {
            p.setString(1, table.schema());
            p.setString(2, table.table());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Makes the table hold {@code columns}: creates it when missing, adds missing columns and widens narrower ones,
     * in one ALTER TABLE (one rewrite of the table). Never drops or narrows. The schema must exist. Meant to run
     * inside the commit transaction: PostgreSQL DDL is transactional.
     */
    void ensure(Connection c, TableName table, List<Column> columns) throws SQLException {
        if (!exists(c, table)) {
            create(c, table, columns);
            return;
        }
        Map<String, Column> actual = new LinkedHashMap<>();
        for (Column column : allColumns(c, table)) actual.put(column.name(), column);
        List<String> actions = new ArrayList<>();
        List<Column> added = new ArrayList<>();
        for (String metadata : MetadataColumns.ALL) {
            if (!actual.containsKey(metadata)) actions.add("ADD COLUMN " + quote(metadata) + " " + MetadataColumns.sqlType(metadata));
        }
        for (Column wanted : columns) {
            Column existing = actual.get(wanted.name());
            if (existing == null) {
                actions.add("ADD COLUMN " + wanted.quoted() + " " + PostgresTypes.sqlType(wanted.type()));
                added.add(wanted);
            } else {
                DataType widened = existing.type().widen(wanted.type());
                if (widened != existing.type()) actions.add(PostgresTypes.alterType(wanted.withType(widened), existing.type()));
            }
        }
        if (!actions.isEmpty()) execute(c, "ALTER TABLE " + table.quoted() + " " + String.join(", ", actions));
        remember(c, table, added);
    }

    /**
     * Whether every column of the table has exactly the type Tributary would give it (and the metadata columns
     * theirs), so that values can be sent in binary without a cast: a column made by hand as {@code integer} or
     * {@code varchar} cannot take a binary {@code bigint} or {@code text}.
     */
    boolean holdsExactly(Connection c, TableName table) throws SQLException {
        for (Column column : allColumns(c, table)) {
            String expected = MetadataColumns.isMetadata(column.name())
                    ? (column.name().equals(MetadataColumns.RUN_ID) ? "text" : "timestamp with time zone")
                    : PostgresTypes.formatType(column.type());
            if (!expected.equals(column.sqlType())) return false;
        }
        return true;
    }

    /**
     * Makes sure an index leads with the key columns, so that a merge finds the stored rows of its keys without
     * reading the whole table. Plain, not unique: the table may hold rows appended before it was merged into.
     */
    static void ensureKeyIndex(Connection c, TableName table, List<Column> key) throws SQLException {
        String name = Identifiers.fit(MetadataColumns.PREFIX + "_" + table.table() + "_"
                + key.stream().map(Column::name).collect(Collectors.joining("_")) + "_key");
        String columns = key.stream().map(Column::quoted).collect(Collectors.joining(", "));
        execute(c, "CREATE INDEX IF NOT EXISTS " + quote(name) + " ON " + table.quoted() + " (" + columns + ")");
    }

    private void create(Connection c, TableName table, List<Column> columns) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(table.quoted()).append(" (");
        for (Column column : columns) ddl.append(column.quoted()).append(' ').append(PostgresTypes.sqlType(column.type())).append(", ");
        ddl.append(MetadataColumns.definitions()).append(')');
        try (PreparedStatement forget = c.prepareStatement("DELETE FROM " + mappingTable + " WHERE schema_name = ? AND table_name = ?")) {
            // Rows left by a table someone dropped would otherwise name the new table's columns.
            forget.setString(1, table.schema());
            forget.setString(2, table.table());
            forget.executeUpdate();
        }
        execute(c, ddl.toString());
        remember(c, table, columns);
    }

    private void remember(Connection c, TableName table, List<Column> columns) throws SQLException {
        if (columns.isEmpty()) return;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + mappingTable + " VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (schema_name, table_name, column_name) DO UPDATE SET source_name = excluded.source_name")) {
            for (Column column : columns) {
                p.setString(1, table.schema());
                p.setString(2, table.table());
                p.setString(3, column.name());
                p.setString(4, column.sourceName());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Every column of an existing table, metadata columns included, in table order. */
    private List<Column> allColumns(Connection c, TableName table) throws SQLException {
        String sql = "SELECT a.attname, format_type(a.atttypid, a.atttypmod), m.source_name FROM pg_attribute a "
                + "JOIN pg_class t ON t.oid = a.attrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "LEFT JOIN " + mappingTable + " m ON m.schema_name = n.nspname AND m.table_name = t.relname AND m.column_name = a.attname "
                + "WHERE n.nspname = ? AND t.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, table.schema());
            p.setString(2, table.table());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String source = rs.getString(3);
                    columns.add(new Column(source == null ? name : source, name, PostgresTypes.dataType(rs.getString(2)), rs.getString(2)));
                }
            }
        }
        return columns;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
