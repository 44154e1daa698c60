package dev.tributary.destination.duckdb;

import dev.tributary.destination.warehouse.SqlDialect;
import dev.tributary.destination.warehouse.TableRef;
import dev.tributary.spi.DataType;
import dev.tributary.spi.IdentifierRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB's side of the SQL-warehouse kit: names of at most {@value Identifiers#MAX_LENGTH} characters compared without
 * case, the types below, TEMP tables in {@code temp.main} (private to their connection, not logged), one ALTER per
 * column, QUALIFY for the merge's last row per key, and the appender for reconciliation keys.
 */
final class DuckDbDialect implements SqlDialect {
    static final DuckDbDialect INSTANCE = new DuckDbDialect();

    private DuckDbDialect() {}

    @Override
    public String name() {
        return "DuckDB";
    }

    @Override
    public IdentifierRule identifiers() {
        return Identifiers.RULE;
    }

    /** DuckDB matches names without regard to case. */
    @Override
    public String nameKey(String identifier) {
        return identifier.toLowerCase(Locale.ROOT);
    }

    @Override
    public String sqlType(DataType type) {
        return switch (type) {
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "BIGINT";
            case DECIMAL -> "DECIMAL(38,9)";
            case NUMBER -> "DOUBLE";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case TEXT -> "VARCHAR";
            case JSON -> "JSON";
        };
    }

    /** The engine type of a column as {@code duckdb_columns().data_type} names it; TEXT for anything unfamiliar. */
    @Override
    public DataType dataType(String duckDbType) {
        String t = duckDbType.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("DECIMAL") || t.startsWith("NUMERIC")) return DataType.DECIMAL;
        if (t.startsWith("TIMESTAMP WITH TIME ZONE") || t.equals("TIMESTAMPTZ")) return DataType.TIMESTAMP_TZ;
        if (t.startsWith("TIMESTAMP")) return DataType.TIMESTAMP; // also TIMESTAMP_S, _MS, _NS
        return switch (t) {
            case "BOOLEAN" -> DataType.BOOLEAN;
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER" -> DataType.INTEGER;
            case "HUGEINT", "UBIGINT", "UHUGEINT" -> DataType.DECIMAL;
            case "FLOAT", "DOUBLE", "REAL" -> DataType.NUMBER;
            case "DATE" -> DataType.DATE;
            case "JSON" -> DataType.JSON;
            default -> DataType.TEXT;
        };
    }

    @Override
    public String tempTable(String name) {
        return "temp.main." + quote(name);
    }

    @Override
    public List<String> createTempTable(String name, String columnDefinitions) {
        return List.of("CREATE OR REPLACE TEMP TABLE " + quote(name) + " (" + columnDefinitions + ")");
    }

    /** DuckDB alters one column per statement. */
    @Override
    public List<String> alterTable(String table, List<String> actions) {
        return actions.stream().map(action -> "ALTER TABLE " + table + " " + action).toList();
    }

    @Override
    public boolean tableExists(Connection c, TableRef table) throws SQLException {
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

    @Override
    public List<StoredColumn> columns(Connection c, TableRef table) throws SQLException {
        List<StoredColumn> columns = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT column_name, data_type FROM duckdb_columns() "
                + "WHERE database_name = ? AND lower(schema_name) = ? AND lower(table_name) = ? ORDER BY column_index")) {
            p.setString(1, table.catalog());
            p.setString(2, table.schema());
            p.setString(3, table.table());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) columns.add(new StoredColumn(rs.getString(1), rs.getString(2)));
            }
        }
        return columns;
    }

    @Override
    public String keepLastPerKey(String staging, String partition, String seq) {
        return "DELETE FROM " + staging + " WHERE " + seq + " IN (SELECT " + seq + " FROM " + staging
                + " QUALIFY row_number() OVER (PARTITION BY " + partition + " ORDER BY " + seq + " DESC) > 1)";
    }

    @Override
    public void stageKeys(Connection c, String tempTable, long seq, String passId, List<String> keys) throws SQLException {
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", tempTable)) {
            for (String key : keys) a.beginRow().append(seq).append(passId).append(key).endRow();
        }
    }
}
