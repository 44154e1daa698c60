package dev.tributary.destination.postgres;

import dev.tributary.destination.warehouse.Column;
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

/**
 * PostgreSQL's side of the SQL-warehouse kit: names of at most {@value Identifiers#MAX_BYTES} bytes, the types of
 * {@link PostgresTypes}, TEMP tables in {@code pg_temp} (no WAL), one ALTER TABLE for all changes (one rewrite),
 * TRUNCATE to empty staging, {@code =} on merge keys (staged keys are never null, so the key index or a hash join
 * serves), primary keys on bookkeeping tables, advisory transaction locks around shared DDL, and reconciliation keys
 * sent as one array.
 */
final class PostgresDialect implements SqlDialect {
    static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {}

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public IdentifierRule identifiers() {
        return Identifiers.RULE;
    }

    @Override
    public String sqlType(DataType type) {
        return PostgresTypes.sqlType(type);
    }

    @Override
    public DataType dataType(String formatType) {
        return PostgresTypes.dataType(formatType);
    }

    @Override
    public boolean declaresPrimaryKeys() {
        return true;
    }

    @Override
    public String tempTable(String name) {
        return "pg_temp." + quote(name);
    }

    /** A pooled connection may still hold the table from an earlier writer. */
    @Override
    public List<String> createTempTable(String name, String columnDefinitions) {
        return List.of("DROP TABLE IF EXISTS " + tempTable(name), "CREATE TEMP TABLE " + quote(name) + " (" + columnDefinitions + ")");
    }

    @Override
    public String emptyTable(String table) {
        return "TRUNCATE " + table;
    }

    @Override
    public String alterColumnType(Column column, DataType from) {
        return PostgresTypes.alterType(column, from);
    }

    @Override
    public boolean tableExists(Connection c, TableRef table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "WHERE n.nspname = ? AND t.relname = ? AND t.relkind IN ('r', 'p')")) {
            p.setString(1, table.schema());
            p.setString(2, table.table());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public List<StoredColumn> columns(Connection c, TableRef table) throws SQLException {
        List<StoredColumn> columns = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                + "JOIN pg_class t ON t.oid = a.attrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "WHERE n.nspname = ? AND t.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            p.setString(1, table.schema());
            p.setString(2, table.table());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) columns.add(new StoredColumn(rs.getString(1), rs.getString(2)));
            }
        }
        return columns;
    }

    /** Staged keys are never null, so {@code =} lets PostgreSQL use the key index or a hash join. */
    @Override
    public String sameKey(String left, String right) {
        return left + " = " + right;
    }

    /** Serialises transactions that change one table or schema (two writers of one target, or two sessions); held until commit. */
    @Override
    public void lockName(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            p.setString(1, "tributary:" + name);
            p.execute();
        }
    }

    @Override
    public void stageKeys(Connection c, String tempTable, long seq, String passId, List<String> keys) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + tempTable(tempTable) + " SELECT ?, ?, unnest(?::text[])")) {
            p.setLong(1, seq);
            p.setString(2, passId);
            p.setArray(3, c.createArrayOf("text", keys.toArray()));
            p.executeUpdate();
        }
    }
}
