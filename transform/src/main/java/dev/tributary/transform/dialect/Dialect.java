package dev.tributary.transform.dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What differs between warehouses: quoting, catalog queries, type names and a few expressions. */
public abstract class Dialect {
    /** A column of an existing relation. */
    public record Column(String name, String dataType) {
        public String getName() { return name; }
        public String getColumn() { return name; }
        public String getDataType() { return dataType; }
        public String getDtype() { return dataType; }
        /** The name quoted, as dbt's {@code column.quoted}. */
        public String getQuoted() { return "\"" + name.replace("\"", "\"\"") + "\""; }
        /** dbt's repr of a column, which is also its string form. */
        @Override
        public String toString() { return "<Column " + name + " (" + dataType + ")>"; }
        /** dbt's {@code char_size}: the n of {@code varchar(n)}, else none. */
        public Integer getChar_size() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)^(?:character varying|varchar|character|char)\\s*\\((\\d+)\\)").matcher(String.valueOf(dataType));
            return m.find() ? Integer.valueOf(m.group(1)) : null;
        }
        /** dbt's {@code numeric_precision}: the p of {@code numeric(p,s)} / {@code decimal(p,s)}, else none. */
        public Integer getNumeric_precision() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)^(?:numeric|decimal)\\s*\\((\\d+)").matcher(String.valueOf(dataType));
            return m.find() ? Integer.valueOf(m.group(1)) : null;
        }
        /** Jinjava reads {@code col.char_size} as the bean property {@code charSize}. */
        public Integer getCharSize() { return getChar_size(); }
        public Integer getNumericPrecision() { return getNumeric_precision(); }
        public Integer getNumericScale() { return getNumeric_scale(); }
        /** dbt's {@code numeric_scale}. */
        public Integer getNumeric_scale() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)^(?:numeric|decimal)\\s*\\(\\d+\\s*,\\s*(\\d+)").matcher(String.valueOf(dataType));
            return m.find() ? Integer.valueOf(m.group(1)) : null;
        }
    }

    public enum RelationKind { TABLE, VIEW }

    public static Dialect forType(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "duckdb" -> new DuckDbDialect();
            case "postgres", "postgresql" -> new PostgresDialect();
            case "spark" -> new SparkDialect();
            case "snowflake" -> new SnowflakeDialect();
            default -> throw new IllegalArgumentException("unsupported warehouse type '" + type + "' (duckdb, postgres, spark, snowflake)");
        };
    }

    public abstract String type();

    /**
     * This dialect with dbt's {@code quoting:} config ({@code database}, {@code schema}, {@code identifier}) applied to
     * relation names. Here every part is always quoted as written, so the config changes nothing; Snowflake's dialect
     * resolves unquoted names and overrides this.
     */
    public Dialect withQuoting(Map<?, ?> quoting) {
        return this;
    }

    public String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    public String relation(String schema, String identifier) {
        return quote(schema) + "." + quote(identifier);
    }

    /**
     * A relation as dbt renders it in Jinja: {@code "database"."schema"."identifier"} (DuckDB's catalog, PostgreSQL's
     * dbname), without the database part when it is unknown.
     */
    public String relation(String database, String schema, String identifier) {
        return database == null || database.isEmpty() ? relation(schema, identifier) : quote(database) + "." + relation(schema, identifier);
    }

    public String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    public void createSchema(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create schema if not exists " + quote(schema));
        }
    }

    protected String catalogFilter() {
        return "";
    }

    public Optional<RelationKind> relationKind(Connection c, String schema, String name) throws SQLException {
        String sql = "select table_type from information_schema.tables where table_schema = ? and table_name = ?" + catalogFilter();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                String t = rs.getString(1).toUpperCase(Locale.ROOT);
                return Optional.of(t.contains("VIEW") ? RelationKind.VIEW : RelationKind.TABLE);
            }
        }
    }

    /** A table or view of a schema, as dbt's {@code list_relations_without_caching} lists it. */
    public record Relation(String database, String schema, String name, RelationKind kind) {}

    /**
     * The tables and views of a schema (of the database too, when one is named), by name: from information_schema
     * here; Spark lists them with {@code show tables / show views}.
     */
    public List<Relation> relations(Connection c, String database, String schema) throws SQLException {
        String sql = "select table_catalog, table_name, table_type from information_schema.tables where table_schema = ?"
                + (database == null || database.isEmpty() ? "" : " and table_catalog = ?") + " order by table_name";
        List<Relation> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            if (database != null && !database.isEmpty()) ps.setString(2, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RelationKind kind = rs.getString(3).toUpperCase(Locale.ROOT).equals("VIEW") ? RelationKind.VIEW : RelationKind.TABLE;
                    out.add(new Relation(rs.getString(1), schema, rs.getString(2), kind));
                }
            }
        }
        return out;
    }

    /** Whether a schema exists (in the database too, when one is named), as dbt's {@code adapter.check_schema_exists}. */
    public boolean schemaExists(Connection c, String database, String schema) throws SQLException {
        String sql = "select count(*) from information_schema.schemata where schema_name = ?"
                + (database == null || database.isEmpty() ? "" : " and catalog_name = ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            if (database != null && !database.isEmpty()) ps.setString(2, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    public List<Column> columns(Connection c, String schema, String name) throws SQLException {
        String sql = "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?"
                + catalogFilter() + " order by ordinal_position";
        List<Column> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Column(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    public String dropRelation(RelationKind kind, String schema, String name) {
        return "drop " + (kind == RelationKind.VIEW ? "view" : "table") + " if exists " + relation(schema, name) + cascade();
    }

    protected String cascade() {
        return " cascade";
    }

    public String rename(RelationKind kind, String schema, String from, String to) {
        return "alter " + (kind == RelationKind.VIEW ? "view" : "table") + " " + relation(schema, from) + " rename to " + quote(to);
    }

    /** Column type for seed columns inferred as integer, decimal, boolean, date, timestamp or text. */
    public abstract String seedType(String inferred);

    public abstract String regexMatches(String expression, String pattern);

    public String castText(String expression) {
        return "cast(" + expression + " as varchar)";
    }

    /** A text column of at most n characters, in DDL. */
    public String varcharType(int n) {
        return "varchar(" + n + ")";
    }

    /** A text column of any length, in DDL. */
    public String textType() {
        return "text";
    }

    /** A double-precision float column, in DDL. */
    public String doubleType() {
        return "double precision";
    }

    public String timestampType() {
        return "timestamp";
    }

    public String currentTimestamp() {
        return "current_timestamp";
    }

    /** Whether DDL such as rename and drop can run inside a transaction that is rolled back on failure. */
    public boolean transactionalDdl() {
        return true;
    }

    /**
     * Whether tables and views are replaced in place ({@link #createOrReplaceTable}, {@link #createOrReplaceView})
     * rather than built aside and swapped in with drop and rename.
     */
    public boolean replacesInPlace() {
        return false;
    }

    /** The statement that builds or replaces a table from a query (for {@link #replacesInPlace()} warehouses). */
    public String createOrReplaceTable(String relation, String sql) {
        throw new UnsupportedOperationException(type() + " builds tables aside and swaps them in");
    }

    /** The statement that builds or replaces a view (for {@link #replacesInPlace()} warehouses). */
    public String createOrReplaceView(String relation, String sql) {
        throw new UnsupportedOperationException(type() + " builds views aside and swaps them in");
    }

    /** Whether incremental {@code merge} runs as one MERGE statement (else an update and an insert). */
    public boolean supportsMerge() {
        return false;
    }
}
