package dev.tributary.transform.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Snowflake, as dbt-snowflake builds on it: unquoted names resolve upper-case, so a plain name ({@code stg_contacts},
 * {@code id}) is written {@code "STG_CONTACTS"} (the same object, safe for reserved words), while a name that is not a
 * plain identifier ({@code Company Name}) keeps its case and is quoted as written. Tables are replaced in place with
 * {@code create or replace transient table ... as} and views with {@code create or replace view}, which Snowflake swaps
 * atomically (its DDL commits any open transaction, so a drop-and-rename swap would not be atomic); incremental
 * {@code merge} uses Snowflake's MERGE. dbt's {@code quoting:} (database, schema, identifier; all false by default, as
 * dbt-snowflake's) writes a relation's part as given, quoted ({@code "stg_contacts"}: a lower-case, case-sensitive
 * object) instead of resolving it.
 */
public final class SnowflakeDialect extends Dialect {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private final boolean quoteDatabase;
    private final boolean quoteSchema;
    private final boolean quoteIdentifier;

    public SnowflakeDialect() {
        this(false, false, false);
    }

    private SnowflakeDialect(boolean quoteDatabase, boolean quoteSchema, boolean quoteIdentifier) {
        this.quoteDatabase = quoteDatabase;
        this.quoteSchema = quoteSchema;
        this.quoteIdentifier = quoteIdentifier;
    }

    /**
     * This dialect with the parts {@code quoting} names ({@code database}, {@code schema}, {@code identifier}: true or
     * false) changed, the others kept. {@code column: true} and any other key are refused.
     */
    @Override
    public Dialect withQuoting(Map<?, ?> quoting) {
        boolean database = quoteDatabase;
        boolean schema = quoteSchema;
        boolean identifier = quoteIdentifier;
        for (Map.Entry<?, ?> e : quoting.entrySet()) {
            String key = String.valueOf(e.getKey());
            boolean on = switch (String.valueOf(e.getValue()).toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false", "none", "null" -> false;
                default -> throw new IllegalArgumentException("quoting." + key + " must be true or false, got '" + e.getValue() + "'");
            };
            switch (key) {
                case "database" -> database = on;
                case "schema" -> schema = on;
                case "identifier" -> identifier = on;
                case "column" -> {
                    if (on) throw new IllegalArgumentException("quoting.column: true is not supported on the snowflake target (column names are resolved as Snowflake resolves unquoted names)");
                }
                default -> throw new IllegalArgumentException("unknown quoting key '" + key + "' (database, schema, identifier)");
            }
        }
        return new SnowflakeDialect(database, schema, identifier);
    }

    /** The name of a part as Snowflake stores it: as given when that part is quoted, else resolved. */
    private static String stored(String name, boolean quoted) {
        return quoted ? name : resolve(name);
    }

    private String part(String name, boolean quoted) {
        return super.quote(stored(name, quoted));
    }

    @Override
    public String relation(String schema, String identifier) {
        return part(schema, quoteSchema) + "." + part(identifier, quoteIdentifier);
    }

    @Override
    public String relation(String database, String schema, String identifier) {
        return database == null || database.isEmpty() ? relation(schema, identifier) : part(database, quoteDatabase) + "." + relation(schema, identifier);
    }

    @Override
    public void createSchema(Connection c, String schema) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("create schema if not exists " + part(schema, quoteSchema));
        }
    }

    @Override
    public String type() {
        return "snowflake";
    }

    /** A plain name as Snowflake resolves it unquoted (upper-case); any other as written. */
    public static String resolve(String name) {
        return PLAIN.matcher(name).matches() ? name.toUpperCase(Locale.ROOT) : name;
    }

    @Override
    public String quote(String identifier) {
        return super.quote(resolve(identifier));
    }

    /** Three parts, names resolved, with the fully qualified new name (Snowflake moves an unqualified one to the current schema). */
    @Override
    public String rename(RelationKind kind, String schema, String from, String to) {
        return "alter " + (kind == RelationKind.VIEW ? "view" : "table") + " " + relation(schema, from) + " rename to " + relation(schema, to);
    }

    @Override
    public Optional<RelationKind> relationKind(Connection c, String schema, String name) throws SQLException {
        return super.relationKind(c, stored(schema, quoteSchema), stored(name, quoteIdentifier));
    }

    @Override
    public List<Column> columns(Connection c, String schema, String name) throws SQLException {
        return super.columns(c, stored(schema, quoteSchema), stored(name, quoteIdentifier));
    }

    @Override
    public boolean replacesInPlace() {
        return true;
    }

    @Override
    public String createOrReplaceTable(String relation, String sql) {
        return "create or replace transient table " + relation + " as (\n" + sql + "\n)";
    }

    @Override
    public String createOrReplaceView(String relation, String sql) {
        return "create or replace view " + relation + " as (\n" + sql + "\n)";
    }

    @Override
    public boolean supportsMerge() {
        return true;
    }

    @Override
    public String seedType(String inferred) {
        return switch (inferred) {
            case "integer" -> "NUMBER(38,0)";
            case "decimal" -> "FLOAT";
            case "boolean" -> "BOOLEAN";
            case "date" -> "DATE";
            case "timestamp" -> "TIMESTAMP_NTZ";
            default -> "VARCHAR";
        };
    }

    /** Snowflake's REGEXP_LIKE matches the whole value, as dbt's accepted-pattern tests mean. */
    @Override
    public String regexMatches(String expression, String pattern) {
        return "regexp_like(" + expression + ", " + literal(pattern) + ")";
    }

    /** Snowflake reads backslash escapes in string literals: double them, then the quotes. */
    @Override
    public String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public String textType() {
        return "varchar";
    }

    @Override
    public String doubleType() {
        return "float";
    }

    @Override
    public String timestampType() {
        return "timestamp_ntz";
    }

    /** The current time in UTC without zone, as TIMESTAMP_NTZ columns (and dbt-snowflake's snapshots) hold it. */
    @Override
    public String currentTimestamp() {
        return "sysdate()";
    }

    /** Snowflake's DDL commits the open transaction: a drop and a rename are two commits. */
    @Override
    public boolean transactionalDdl() {
        return false;
    }
}
