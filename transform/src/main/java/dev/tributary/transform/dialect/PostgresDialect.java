package dev.tributary.transform.dialect;

/** PostgreSQL: transactional DDL, regex with {@code ~}. */
public final class PostgresDialect extends Dialect {
    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public String seedType(String inferred) {
        return switch (inferred) {
            case "integer" -> "bigint";
            case "decimal" -> "numeric";
            case "boolean" -> "boolean";
            case "date" -> "date";
            case "timestamp" -> "timestamp";
            default -> "text";
        };
    }

    @Override
    public String regexMatches(String expression, String pattern) {
        return "(" + expression + " ~ " + literal("^(?:" + pattern + ")$") + ")";
    }

    @Override
    public String castText(String expression) {
        return "cast(" + expression + " as text)";
    }

    @Override
    public String currentTimestamp() {
        return "localtimestamp";
    }
}
