package dev.tributary.transform.dialect;

/** DuckDB: embedded, one file; information_schema spans attached catalogs, so filter to the current one. */
public final class DuckDbDialect extends Dialect {
    @Override
    public String type() {
        return "duckdb";
    }

    @Override
    protected String catalogFilter() {
        return " and table_catalog = current_database()";
    }

    @Override
    protected String cascade() {
        return "";
    }

    @Override
    public String seedType(String inferred) {
        return switch (inferred) {
            case "integer" -> "BIGINT";
            case "decimal" -> "DOUBLE";
            case "boolean" -> "BOOLEAN";
            case "date" -> "DATE";
            case "timestamp" -> "TIMESTAMP";
            default -> "VARCHAR";
        };
    }

    @Override
    public String regexMatches(String expression, String pattern) {
        return "regexp_full_match(" + expression + ", " + literal(pattern) + ")";
    }

    @Override
    public String currentTimestamp() {
        return "cast(current_timestamp as timestamp)";
    }
}
