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
import java.util.stream.Collectors;

/**
 * What is Snowflake's own in SQL, as the warehouse kit's {@link SqlDialect}: identifiers (the kit's naming rule, names
 * kept lower case and written upper case and quoted, which is how Snowflake resolves them unquoted), types, the catalog
 * query; and the statements this destination's writer uses to move staged rows into a target (insert, MERGE) or to
 * widen a column (Snowflake cannot change NUMBER to VARCHAR in place).
 */
final class SnowflakeDialect implements SqlDialect {
    static final SnowflakeDialect INSTANCE = new SnowflakeDialect();
    /** Snowflake allows 255 characters per identifier. */
    private static final IdentifierRule RULE = IdentifierRule.characters(255);
    static final String SEQ = StagingTables.SEQ;
    static final String EXTRACTED_AT = MetadataColumns.EXTRACTED_AT;
    static final String RUN_ID = MetadataColumns.RUN_ID;
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

    /** The staging column's type: JSON arrives as text and is parsed when it moves to the target. */
    static String stagingType(DataType t) {
        return t == DataType.JSON ? "VARCHAR" : type(t);
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

    /** A target column's value from the staging row {@code s}. */
    static String fromStaging(Column c) {
        return c.type() == DataType.JSON ? "PARSE_JSON(s." + ident(c.name()) + ")" : "s." + ident(c.name());
    }

    static String createTarget(String table, List<Column> columns) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS " + table + " (");
        for (Column c : columns) sql.append(ident(c.name())).append(' ').append(type(c.type())).append(", ");
        sql.append(ident(EXTRACTED_AT)).append(" TIMESTAMP_TZ, ").append(ident(RUN_ID)).append(" VARCHAR, ").append(ident(DELETED_AT)).append(" TIMESTAMP_TZ)");
        return sql.toString();
    }

    static String createStaging(String table, List<Column> columns) {
        StringBuilder sql = new StringBuilder("CREATE OR REPLACE TEMPORARY TABLE " + table + " (" + ident(SEQ) + " NUMBER(38,0), "
                + ident(EXTRACTED_AT) + " TIMESTAMP_TZ, " + ident(DELETED_AT) + " TIMESTAMP_TZ");
        for (Column c : columns) sql.append(", ").append(ident(c.name())).append(' ').append(stagingType(c.type()));
        return sql.append(')').toString();
    }

    static String addColumn(String table, Column c) {
        return "ALTER TABLE " + table + " ADD COLUMN " + ident(c.name()) + " " + type(c.type());
    }

    /** Widening in four statements: a new column, the values cast into it, the old one dropped, the new one renamed. */
    static List<String> widen(String table, Column to) {
        String temporary = ident(to.name() + "__TRIBUTARY_WIDEN");
        return List.of("ALTER TABLE " + table + " ADD COLUMN " + temporary + " " + type(to.type()),
                "UPDATE " + table + " SET " + temporary + " = CAST(" + ident(to.name()) + " AS " + type(to.type()) + ")",
                "ALTER TABLE " + table + " DROP COLUMN " + ident(to.name()),
                "ALTER TABLE " + table + " RENAME COLUMN " + temporary + " TO " + ident(to.name()));
    }

    /** Every staged row in arrival order, deletions included with their time. */
    static String insert(String target, String staging, List<Column> columns, String runId) {
        return "INSERT INTO " + target + " (" + names(columns) + ident(EXTRACTED_AT) + ", " + ident(RUN_ID) + ", " + ident(DELETED_AT) + ") SELECT "
                + columns.stream().map(c -> fromStaging(c) + ", ").collect(Collectors.joining()) + "s." + ident(EXTRACTED_AT) + ", " + literal(runId)
                + ", s." + ident(DELETED_AT) + " FROM " + staging + " s ORDER BY s." + ident(SEQ);
    }

    /**
     * The last staged row of each key merged into the target: a deletion marks the stored row (keeping its values), a
     * key not stored is inserted as it came, any other row replaces the stored one.
     */
    static String merge(String target, String staging, List<Column> columns, List<String> key, String runId) {
        String keys = key.stream().map(SnowflakeDialect::ident).collect(Collectors.joining(", "));
        String on = key.stream().map(k -> "t." + ident(k) + " IS NOT DISTINCT FROM s." + ident(k)).collect(Collectors.joining(" AND "));
        String set = columns.stream().map(c -> ident(c.name()) + " = " + fromStaging(c)).collect(Collectors.joining(", "));
        return "MERGE INTO " + target + " t USING (SELECT * FROM " + staging + " QUALIFY ROW_NUMBER() OVER (PARTITION BY " + keys
                + " ORDER BY " + ident(SEQ) + " DESC) = 1) s ON " + on
                + " WHEN MATCHED AND s." + ident(DELETED_AT) + " IS NOT NULL THEN UPDATE SET " + ident(DELETED_AT) + " = s." + ident(DELETED_AT)
                + ", " + ident(EXTRACTED_AT) + " = s." + ident(EXTRACTED_AT) + ", " + ident(RUN_ID) + " = " + literal(runId)
                + " WHEN MATCHED THEN UPDATE SET " + set + ", " + ident(EXTRACTED_AT) + " = s." + ident(EXTRACTED_AT) + ", " + ident(RUN_ID) + " = "
                + literal(runId) + ", " + ident(DELETED_AT) + " = NULL"
                + " WHEN NOT MATCHED THEN INSERT (" + names(columns) + ident(EXTRACTED_AT) + ", " + ident(RUN_ID) + ", " + ident(DELETED_AT) + ") VALUES ("
                + columns.stream().map(c -> fromStaging(c) + ", ").collect(Collectors.joining()) + "s." + ident(EXTRACTED_AT) + ", " + literal(runId)
                + ", s." + ident(DELETED_AT) + ")";
    }

    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String names(List<Column> columns) {
        return columns.stream().map(c -> ident(c.name()) + ", ").collect(Collectors.joining());
    }
}
