package dev.tributary.destination.snowflake;

import dev.tributary.spi.DataType;
import dev.tributary.spi.IdentifierRule;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What is Snowflake's own in SQL: identifiers (Tributary's naming rule, then upper case, as Snowflake resolves an
 * unquoted name, always quoted), types, and the statements that move staged rows into a target (insert, merge) or
 * widen a column (Snowflake cannot change NUMBER to VARCHAR in place).
 */
final class SnowflakeDialect {
    /** Snowflake allows 255 characters per identifier. */
    private static final IdentifierRule RULE = IdentifierRule.characters(255);
    static final String SEQ = "_TRIBUTARY_SEQ";
    static final String EXTRACTED_AT = "_TRIBUTARY_EXTRACTED_AT";
    static final String RUN_ID = "_TRIBUTARY_RUN_ID";
    static final String DELETED_AT = "_TRIBUTARY_DELETED_AT";

    private SnowflakeDialect() {}

    /** A source name as a Snowflake identifier: {@code Company Name} becomes {@code COMPANY_NAME}. */
    static String identifier(String sourceName) {
        return RULE.normalise(sourceName).toUpperCase(Locale.ROOT);
    }

    static String quote(String identifier) {
        return IdentifierRule.quote(identifier);
    }

    static String qualified(String database, String schema, String table) {
        return quote(database) + "." + quote(schema) + "." + quote(table);
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
        return c.type() == DataType.JSON ? "PARSE_JSON(s." + quote(c.name()) + ")" : "s." + quote(c.name());
    }

    static String createTarget(String table, List<Column> columns) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS " + table + " (");
        for (Column c : columns) sql.append(quote(c.name())).append(' ').append(type(c.type())).append(", ");
        sql.append(quote(EXTRACTED_AT)).append(" TIMESTAMP_TZ, ").append(quote(RUN_ID)).append(" VARCHAR, ").append(quote(DELETED_AT)).append(" TIMESTAMP_TZ)");
        return sql.toString();
    }

    static String createStaging(String table, List<Column> columns) {
        StringBuilder sql = new StringBuilder("CREATE OR REPLACE TEMPORARY TABLE " + table + " (" + quote(SEQ) + " NUMBER(38,0), "
                + quote(EXTRACTED_AT) + " TIMESTAMP_TZ, " + quote(DELETED_AT) + " TIMESTAMP_TZ");
        for (Column c : columns) sql.append(", ").append(quote(c.name())).append(' ').append(stagingType(c.type()));
        return sql.append(')').toString();
    }

    static String addColumn(String table, Column c) {
        return "ALTER TABLE " + table + " ADD COLUMN " + quote(c.name()) + " " + type(c.type());
    }

    /** Widening in four statements: a new column, the values cast into it, the old one dropped, the new one renamed. */
    static List<String> widen(String table, Column to) {
        String temporary = quote(to.name() + "__TRIBUTARY_WIDEN");
        return List.of("ALTER TABLE " + table + " ADD COLUMN " + temporary + " " + type(to.type()),
                "UPDATE " + table + " SET " + temporary + " = CAST(" + quote(to.name()) + " AS " + type(to.type()) + ")",
                "ALTER TABLE " + table + " DROP COLUMN " + quote(to.name()),
                "ALTER TABLE " + table + " RENAME COLUMN " + temporary + " TO " + quote(to.name()));
    }

    /** Every staged row in arrival order, deletions included with their time. */
    static String insert(String target, String staging, List<Column> columns, String runId) {
        return "INSERT INTO " + target + " (" + names(columns) + quote(EXTRACTED_AT) + ", " + quote(RUN_ID) + ", " + quote(DELETED_AT) + ") SELECT "
                + columns.stream().map(c -> fromStaging(c) + ", ").collect(Collectors.joining()) + "s." + quote(EXTRACTED_AT) + ", " + literal(runId)
                + ", s." + quote(DELETED_AT) + " FROM " + staging + " s ORDER BY s." + quote(SEQ);
    }

    /**
     * The last staged row of each key merged into the target: a deletion marks the stored row (keeping its values), a
     * key not stored is inserted as it came, any other row replaces the stored one.
     */
    static String merge(String target, String staging, List<Column> columns, List<String> key, String runId) {
        String keys = key.stream().map(SnowflakeDialect::quote).collect(Collectors.joining(", "));
        String on = key.stream().map(k -> "t." + quote(k) + " IS NOT DISTINCT FROM s." + quote(k)).collect(Collectors.joining(" AND "));
        String set = columns.stream().map(c -> quote(c.name()) + " = " + fromStaging(c)).collect(Collectors.joining(", "));
        return "MERGE INTO " + target + " t USING (SELECT * FROM " + staging + " QUALIFY ROW_NUMBER() OVER (PARTITION BY " + keys
                + " ORDER BY " + quote(SEQ) + " DESC) = 1) s ON " + on
                + " WHEN MATCHED AND s." + quote(DELETED_AT) + " IS NOT NULL THEN UPDATE SET " + quote(DELETED_AT) + " = s." + quote(DELETED_AT)
                + ", " + quote(EXTRACTED_AT) + " = s." + quote(EXTRACTED_AT) + ", " + quote(RUN_ID) + " = " + literal(runId)
                + " WHEN MATCHED THEN UPDATE SET " + set + ", " + quote(EXTRACTED_AT) + " = s." + quote(EXTRACTED_AT) + ", " + quote(RUN_ID) + " = "
                + literal(runId) + ", " + quote(DELETED_AT) + " = NULL"
                + " WHEN NOT MATCHED THEN INSERT (" + names(columns) + quote(EXTRACTED_AT) + ", " + quote(RUN_ID) + ", " + quote(DELETED_AT) + ") VALUES ("
                + columns.stream().map(c -> fromStaging(c) + ", ").collect(Collectors.joining()) + "s." + quote(EXTRACTED_AT) + ", " + literal(runId)
                + ", s." + quote(DELETED_AT) + ")";
    }

    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String names(List<Column> columns) {
        return columns.stream().map(c -> quote(c.name()) + ", ").collect(Collectors.joining());
    }
}
