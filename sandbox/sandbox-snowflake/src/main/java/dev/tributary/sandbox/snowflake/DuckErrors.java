package dev.tributary.sandbox.snowflake;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** DuckDB's errors as Snowflake's codes and SQL states, with DuckDB's text kept so the cause stays visible. */
final class DuckErrors {
    private static final Pattern MISSING = Pattern.compile("(Table|View|Schema|Catalog) with name \"?([^\\s\"]+)\"? does not exist");

    private DuckErrors() {}

    static SnowflakeError toSnowflake(SQLException e) {
        String m = String.valueOf(e.getMessage());
        // DuckDB's JDBC driver may wrap the cause: "Invalid Input Error: ... pending query result\nError: <the cause>"
        int inner = m.indexOf("\nError: ");
        if (inner >= 0) m = m.substring(inner + "\nError: ".length());
        String first = m.lines().findFirst().orElse(m);
        Matcher missing = MISSING.matcher(m);
        if (missing.find()) {
            String kind = switch (missing.group(1)) {
                case "Schema" -> "Schema";
                case "Catalog" -> "Database";
                default -> "Object";
            };
            return new SnowflakeError("002003", kind.equals("Object") ? "42S02" : "02000",
                    "SQL compilation error:\n" + kind + " '" + missing.group(2) + "' does not exist or not authorized. (sandbox: " + first + ")");
        }
        if (m.startsWith("Parser Error")) return new SnowflakeError("001003", "42000", "SQL compilation error:\nsyntax error (sandbox: " + first + ")");
        if (m.startsWith("Binder Error")) return new SnowflakeError("000904", "42000", "SQL compilation error:\ninvalid identifier or expression (sandbox: " + first + ")");
        if (m.startsWith("Conversion Error")) return new SnowflakeError("100038", "22018", "Numeric value or date is not recognized (sandbox: " + first + ")");
        if (m.startsWith("Constraint Error")) return new SnowflakeError("100072", "22000", "Constraint violated (sandbox: " + first + ")");
        if (m.startsWith("Catalog Error") && m.contains("already exists")) return new SnowflakeError("002002", "42710", "SQL compilation error:\nObject already exists. (sandbox: " + first + ")");
        if (m.startsWith("Catalog Error")) return new SnowflakeError("002003", "02000", "SQL compilation error:\n" + first);
        if (m.startsWith("TransactionContext Error")) return new SnowflakeError("000625", "57014", "Statement reached its statement or warehouse timeout / transaction conflict (sandbox: " + first + ")");
        return new SnowflakeError("100000", "22000", "SQL execution error (sandbox: " + first + ")");
    }
}
