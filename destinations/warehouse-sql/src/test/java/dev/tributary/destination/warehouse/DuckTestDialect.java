package dev.tributary.destination.warehouse;

import dev.tributary.spi.DataType;
import dev.tributary.spi.IdentifierRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of a dialect for the kit's tests on an in-memory DuckDB (the real one is {@code dest-duckdb}'s):
 * identifiers spelled {@code <name><suffix>}, the merge plan and whether DDL commits as a test asks.
 */
record DuckTestDialect(String suffix, boolean mergeStatement, boolean ddlCommits) implements SqlDialect {
    static DuckTestDialect plain() {
        return new DuckTestDialect("", false, false);
    }

    @Override
    public String name() {
        return "test DuckDB";
    }

    @Override
    public IdentifierRule identifiers() {
        return IdentifierRule.characters(120);
    }

    @Override
    public String quote(String identifier) {
        return IdentifierRule.quote(identifier + suffix);
    }

    @Override
    public String sqlType(DataType type) {
        return switch (type) {
            case INTEGER -> "BIGINT";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            default -> "VARCHAR";
        };
    }

    @Override
    public DataType dataType(String nativeType) {
        return switch (nativeType) {
            case "BIGINT" -> DataType.INTEGER;
            case "TIMESTAMP WITH TIME ZONE" -> DataType.TIMESTAMP_TZ;
            default -> DataType.TEXT;
        };
    }

    /** Temporary tables shadow persistent ones of the same name, so the plain quoted name finds them. */
    @Override
    public String tempTable(String name) {
        return quote(name);
    }

    @Override
    public List<String> createTempTable(String name, String columnDefinitions) {
        return List.of("DROP TABLE IF EXISTS " + tempTable(name), "CREATE TEMP TABLE " + tempTable(name) + " (" + columnDefinitions + ")");
    }

    @Override
    public boolean tableExists(Connection c, TableRef table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
                + "AND table_schema = ? AND table_name = ?")) {
            p.setString(1, table.schema() + suffix);
            p.setString(2, table.table() + suffix);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    @Override
    public List<StoredColumn> columns(Connection c, TableRef table) throws SQLException {
        List<StoredColumn> columns = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = current_database() "
                + "AND table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            p.setString(1, table.schema() + suffix);
            p.setString(2, table.table() + suffix);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    columns.add(new StoredColumn(name.substring(0, name.length() - suffix.length()), rs.getString(2)));
                }
            }
        }
        return columns;
    }
}
