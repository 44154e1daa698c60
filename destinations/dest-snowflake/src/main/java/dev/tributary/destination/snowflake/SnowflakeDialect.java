package dev.tributary.destination.snowflake;

import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.MetadataColumns;
import dev.tributary.destination.warehouse.SqlDialect;
import dev.tributary.destination.warehouse.StagingTables;
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

/**
 * What is Snowflake's own in SQL, as the warehouse kit's {@link SqlDialect}: identifiers (the kit's naming rule, names
 * kept lower case and written upper case and quoted, which is how Snowflake resolves them unquoted), types (JSON staged
 * as text and parsed into VARIANT), the catalog query, session temporary tables, DDL that commits, one MERGE with QUALIFY
 * for keyed writes, and widening by add / cast / drop / rename (Snowflake cannot change NUMBER to VARCHAR in place).
 */
final class SnowflakeDialect implements SqlDialect {
    static final SnowflakeDialect INSTANCE = new SnowflakeDialect();
    /** Snowflake allows 255 characters per identifier. */
    private static final IdentifierRule RULE = IdentifierRule.characters(255);
    static final String SEQ = StagingTables.SEQ;
    static final String EXTRACTED_AT = MetadataColumns.EXTRACTED_AT;
    static final String DELETED_AT = MetadataColumns.DELETED_AT;

    private SnowflakeDialect() {}

    @Override
    public String name() {
        return "Snowflake";
    }

    @Override
    public IdentifierRule identifiers() {
        return RULE;
    }

    /** Upper case, quoted: the name users can type unquoted. */
    @Override
    public String quote(String identifier) {
        return IdentifierRule.quote(identifier.toUpperCase(Locale.ROOT));
    }

    @Override
    public String sqlType(DataType type) {
        return type(type);
    }

    /** A native type as {@link #columns} reports it: {@code NUMBER(38,0)}, {@code TEXT}, {@code TIMESTAMP_TZ}... */
    @Override
    public DataType dataType(String nativeType) {
        String t = nativeType.toUpperCase(Locale.ROOT);
        int paren = t.indexOf('(');
        String base = paren < 0 ? t : t.substring(0, paren);
        int scale = paren < 0 || !t.contains(",") ? 0 : Integer.parseInt(t.substring(t.indexOf(',') + 1, t.indexOf(')')).trim());
        return fromSnowflake(base, scale);
    }

    @Override
    public String tempTable(String name) {
        return ident(name);
    }

    @Override
    public List<String> createTempTable(String name, String columnDefinitions) {
        return List.of("CREATE OR REPLACE TEMPORARY TABLE " + ident(name) + " (" + columnDefinitions + ")");
    }

    @Override
    public boolean tableExists(Connection c, TableRef table) throws SQLException {
        return !columns(c, table).isEmpty();
    }

    /** From the database's INFORMATION_SCHEMA.COLUMNS; names lower case, types as {@code NUMBER(p,s)} or the type name. */
    @Override
    public List<StoredColumn> columns(Connection c, TableRef table) throws SQLException {
        List<StoredColumn> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE FROM " + ident(table.catalog())
                + ".INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            p.setString(1, table.schema().toUpperCase(Locale.ROOT));
            p.setString(2, table.table().toUpperCase(Locale.ROOT));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    if (type.equalsIgnoreCase("NUMBER")) type = "NUMBER(" + rs.getInt(3) + "," + rs.getInt(4) + ")";
                    out.add(new StoredColumn(rs.getString(1).toLowerCase(Locale.ROOT), type));
                }
            }
        }
        return out;
    }

    /** The staged files are CSV, so JSON is staged as text and parsed on the way into the VARIANT column ({@link #fromStaging}). */
    @Override
    public String stagingType(DataType type) {
        return type == DataType.JSON ? type(DataType.TEXT) : type(type);
    }

    @Override
    public String fromStaging(Column column, String staged) {
        return column.type() == DataType.JSON ? "PARSE_JSON(" + staged + ")" : staged;
    }

    /**
     * Snowflake changes a column's type in place only within its kind (a longer VARCHAR, a wider NUMBER of the same scale), so
     * a widening is four statements: a new column, the values cast into it, the old one dropped, the new one renamed.
     */
    @Override
    public List<String> widenOnItsOwn(String table, Column column, DataType from) {
        String temporary = quote(column.name() + WIDENING_SUFFIX);
        String type = sqlType(column.type()); // never JSON (nothing widens into JSON), so staging's type as well
        return List.of("ALTER TABLE " + table + " ADD COLUMN " + temporary + " " + type,
                "UPDATE " + table + " SET " + temporary + " = CAST(" + quote(column.name()) + " AS " + type + ")",
                "ALTER TABLE " + table + " DROP COLUMN " + quote(column.name()),
                "ALTER TABLE " + table + " RENAME COLUMN " + temporary + " TO " + quote(column.name()));
    }

    /**
     * Each of {@link #widenOnItsOwn}'s statements commits by itself: after a crash between them, a column still there
     * loses the leftover (its widening starts over), a column already dropped gets the leftover's widened values back by name.
     */
    @Override
    public List<String> settleWidening(String table, String column, String leftover, boolean columnKept) {
        return List.of(columnKept ? "ALTER TABLE " + table + " DROP COLUMN " + quote(leftover)
                : "ALTER TABLE " + table + " RENAME COLUMN " + quote(leftover) + " TO " + quote(column));
    }

    /** A scan of the staging table need not give the order rows were staged in. */
    @Override
    public boolean appendsInOrder() {
        return true;
    }

    @Override
    public String keepLastPerKey(String staging, String partition, String seq) {
        return "DELETE FROM " + staging + " WHERE " + seq + " IN (SELECT " + seq + " FROM " + staging + " QUALIFY ROW_NUMBER() OVER (PARTITION BY "
                + partition + " ORDER BY " + seq + " DESC) > 1)";
    }

    /** Snowflake commits an open transaction at any DDL. */
    @Override
    public boolean ddlCommits() {
        return true;
    }

    @Override
    public boolean mergeStatement() {
        return true;
    }

    /** A source name as this warehouse's column name, lower case ({@code Company Name}: {@code company_name}, written COMPANY_NAME). */
    static String identifier(String sourceName) {
        return RULE.normalise(sourceName);
    }

    static String ident(String identifier) {
        return INSTANCE.quote(identifier);
    }

    static String qualified(String database, String schema, String table) {
        return ident(database) + "." + ident(schema) + "." + ident(table);
    }

    static String type(DataType t) {
        return switch (t) {
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "NUMBER(38,0)";
            case DECIMAL -> "NUMBER(38,9)";
            case NUMBER -> "FLOAT";
            case DATE -> "DATE";
            case TIMESTAMP -> "TIMESTAMP_NTZ";
            case TIMESTAMP_TZ -> "TIMESTAMP_TZ";
            case TEXT -> "VARCHAR";
            case JSON -> "VARIANT";
        };
    }

    /** A column's engine type from information_schema.columns (data_type, numeric_scale). */
    static DataType fromSnowflake(String dataType, int scale) {
        return switch (dataType.toUpperCase(Locale.ROOT)) {
            case "NUMBER", "DECIMAL", "NUMERIC", "INT", "INTEGER", "BIGINT" -> scale == 0 ? DataType.INTEGER : DataType.DECIMAL;
            case "FLOAT", "DOUBLE", "REAL", "FLOAT8" -> DataType.NUMBER;
            case "BOOLEAN" -> DataType.BOOLEAN;
            case "DATE" -> DataType.DATE;
            case "TIMESTAMP_NTZ", "DATETIME" -> DataType.TIMESTAMP;
            case "TIMESTAMP_TZ", "TIMESTAMP_LTZ" -> DataType.TIMESTAMP_TZ;
            case "VARIANT", "OBJECT", "ARRAY", "JSON" -> DataType.JSON;
            default -> DataType.TEXT;
        };
    }
}
