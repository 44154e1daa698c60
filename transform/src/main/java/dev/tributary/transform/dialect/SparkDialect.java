package dev.tributary.transform.dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spark SQL over Iceberg tables. The session runs ANSI SQL with {@code "quoted"} identifiers (backticks work too) and
 * timestamps without time zone, so models written for DuckDB or PostgreSQL read the same. Spark has no
 * information_schema and no transactions: relations are found with {@code show tables / show views}, columns from a
 * query's metadata, and tables are replaced atomically with {@code create or replace} (an Iceberg commit).
 */
public final class SparkDialect extends Dialect {
    @Override
    public String type() {
        return "spark";
    }

    /**
     * Two parts, as dbt-spark renders relations: the session's default catalog (the lakehouse's Iceberg catalog, set
     * on the session or, for Spark Connect, on the server) holds the schemas; a third part naming {@code spark_catalog}
     * would point at Spark's built-in catalog instead.
     */
    @Override
    public String relation(String database, String schema, String identifier) {
        return relation(schema, identifier);
    }

    @Override
    public Optional<RelationKind> relationKind(Connection c, String schema, String name) throws SQLException {
        if (!schemaExists(c, null, schema)) return Optional.empty();
        if (listed(c, "show views in " + quote(schema) + " like " + literal(name), name)) return Optional.of(RelationKind.VIEW);
        if (listed(c, "show tables in " + quote(schema) + " like " + literal(name), name)) return Optional.of(RelationKind.TABLE);
        return Optional.empty();
    }

    /** {@code show schemas}: Spark has no information_schema. The database is the session's catalog, as in {@link #relation}. */
    @Override
    public boolean schemaExists(Connection c, String database, String schema) throws SQLException {
        return listed(c, "show schemas like " + literal(schema), schema);
    }

    /**
     * As dbt-spark lists a schema: {@code show views in s} names the views (Iceberg's {@code show tables} leaves them
     * out, Spark's own catalog lists them there too), {@code show tables in s} the rest; temporary views are not the
     * schema's and are left out.
     */
    @Override
    public List<Relation> relations(Connection c, String database, String schema) throws SQLException {
        List<Relation> out = new ArrayList<>();
        if (!schemaExists(c, database, schema)) return out;
        java.util.Set<String> views = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        views.addAll(names(c, "show views in " + quote(schema)));
        java.util.Set<String> all = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        all.addAll(views);
        all.addAll(names(c, "show tables in " + quote(schema)));
        for (String name : all) out.add(new Relation(database, schema, name, views.contains(name) ? RelationKind.VIEW : RelationKind.TABLE));
        return out;
    }

    /** The names a {@code show tables / show views} listing gives (namespace, name, isTemporary), temporary views left out. */
    private static List<String> names(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                if (!rs.getBoolean(3)) out.add(rs.getString(2));
            }
        }
        return out;
    }

    /**
     * Whether a {@code show} listing holds name: {@code show schemas} gives (namespace), {@code show tables / views}
     * give (namespace, name, isTemporary). Its {@code like} pattern may match more; the names are compared here.
     */
    private static boolean listed(Connection c, String sql, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int col = rs.getMetaData().getColumnCount() == 1 ? 1 : 2;
            while (rs.next()) {
                if (name.equalsIgnoreCase(rs.getString(col))) return true;
            }
            return false;
        }
    }

    /** The columns and Spark's type names ({@code BIGINT}, {@code STRING}, {@code DECIMAL(10,2)}, {@code TIMESTAMP_NTZ}). */
    @Override
    public List<Column> columns(Connection c, String schema, String name) throws SQLException {
        List<Column> out = new ArrayList<>();
        if (relationKind(c, schema, name).isEmpty()) return out;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + relation(schema, name) + " limit 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) out.add(new Column(md.getColumnName(i), md.getColumnTypeName(i)));
        }
        return out;
    }

    @Override
    protected String cascade() {
        return "";
    }

    /** Spark reads a one-part new name as a table of the catalog's root: name the schema too. */
    @Override
    public String rename(RelationKind kind, String schema, String from, String to) {
        return "alter " + (kind == RelationKind.VIEW ? "view" : "table") + " " + relation(schema, from) + " rename to " + relation(schema, to);
    }

    /** DuckDB's seed types, which Spark spells alike ({@code BIGINT DOUBLE BOOLEAN DATE TIMESTAMP}), but text is {@code STRING}. */
    @Override
    public String seedType(String inferred) {
        String duck = new DuckDbDialect().seedType(inferred);
        return duck.equals("VARCHAR") ? "STRING" : duck;
    }

    @Override
    public String regexMatches(String expression, String pattern) {
        return "(" + expression + " rlike " + literal("^(?:" + pattern + ")$") + ")";
    }

    @Override
    public String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String castText(String expression) {
        return "cast(" + expression + " as string)";
    }

    @Override
    public String varcharType(int n) {
        return "string";
    }

    @Override
    public String textType() {
        return "string";
    }

    @Override
    public String doubleType() {
        return "double";
    }

    @Override
    public String currentTimestamp() {
        return "localtimestamp()";
    }

    @Override
    public boolean transactionalDdl() {
        return false;
    }
}
