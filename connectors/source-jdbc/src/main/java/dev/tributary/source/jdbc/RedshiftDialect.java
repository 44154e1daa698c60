package dev.tributary.source.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon Redshift through the PostgreSQL driver (the wire protocol is PostgreSQL 8.0's). What differs from
 * PostgreSQL: the catalog comes from {@code information_schema} (Redshift's {@code pg_catalog} lacks
 * {@code relispartition}, {@code array_position} and the like, and {@code pg_table_def} shows only the search
 * path), there is no isolation level to set (Redshift is always serializable), keyset conditions are written
 * without row values, and SUPER, GEOMETRY, HLLSKETCH and VARBYTE have their own mapping. Not tested against a
 * real cluster; see the README.
 */
final class RedshiftDialect extends PostgresDialect {
    private static final String COLUMNS = """
            SELECT c.table_schema, c.table_name, t.table_type, c.column_name, c.is_nullable, c.data_type, c.udt_name,
                   c.numeric_precision, c.numeric_scale, c.character_maximum_length
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE t.table_type IN ('BASE TABLE', 'VIEW') AND c.table_schema IN (%s) %s
            ORDER BY c.table_schema, c.table_name, c.ordinal_position""";

    private static final String PRIMARY_KEYS = """
            SELECT k.table_schema, k.table_name, k.column_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema
             AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
            WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema IN (%s) %s
            ORDER BY k.table_schema, k.table_name, k.ordinal_position""";

    /** information_schema's SQL names to pg_type names. */
    private static final Map<String, String> TYPE_NAMES = Map.ofEntries(
            Map.entry("smallint", "int2"), Map.entry("integer", "int4"), Map.entry("bigint", "int8"),
            Map.entry("real", "float4"), Map.entry("double precision", "float8"), Map.entry("boolean", "bool"),
            Map.entry("character varying", "varchar"), Map.entry("character", "bpchar"),
            Map.entry("timestamp without time zone", "timestamp"), Map.entry("timestamp with time zone", "timestamptz"),
            Map.entry("time without time zone", "time"), Map.entry("time with time zone", "timetz"),
            Map.entry("binary varying", "varbyte"), Map.entry("varbinary", "varbyte"));

    private static final Pattern REDSHIFT_VERSION = Pattern.compile("Redshift ([0-9.]+)");

    @Override
    String type() {
        return "redshift";
    }

    @Override
    String product() {
        return "Redshift";
    }

    @Override
    int defaultPort() {
        return 5439;
    }

    @Override
    String driverUrl(String url) {
        if (url.startsWith("jdbc:redshift:")) return "jdbc:postgresql:" + url.substring("jdbc:redshift:".length());
        if (url.startsWith("jdbc:postgresql:")) return url;
        throw new IllegalArgumentException("must start with jdbc:redshift:// or jdbc:postgresql:// (for example"
                + " jdbc:redshift://examplecluster.abc123.us-west-2.redshift.amazonaws.com:5439/dev)");
    }

    @Override
    String url(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    Properties defaultProperties() {
        // The driver's own prepareThreshold: binary results are not something Redshift documents.
        Properties p = new Properties();
        p.setProperty("connectTimeout", "15");
        return p;
    }

    @Override
    void beginReadOnly(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET timezone TO 'UTC'");
        }
        // Serializable is Redshift's only isolation; the driver starts each transaction with BEGIN READ ONLY.
        c.setAutoCommit(false);
        c.setReadOnly(true);
    }

    @Override
    Set<String> existingSchemas(Connection c, List<String> schemas) throws SQLException {
        Set<String> out = new TreeSet<>();
        query(c, "SELECT schema_name FROM information_schema.schemata WHERE schema_name IN (" + placeholders(schemas.size()) + ")",
                schemas, rs -> out.add(rs.getString(1)));
        return out;
    }

    @Override
    List<CatalogTable> tables(Connection c, List<String> schemas, Optional<String> table) throws SQLException {
        List<String> parameters = new ArrayList<>(schemas);
        table.ifPresent(parameters::add);
        TableCollector collector = new TableCollector();
        query(c, COLUMNS.formatted(placeholders(schemas.size()), table.isPresent() ? "AND c.table_name = ?" : ""), parameters, rs -> {
            String dataType = rs.getString(6).toLowerCase(Locale.ROOT);
            String udt = rs.getString(7);
            String name = TYPE_NAMES.getOrDefault(dataType, udt != null && !udt.isEmpty() ? udt.toLowerCase(Locale.ROOT) : dataType);
            int precision = rs.getInt(8);
            boolean noPrecision = rs.wasNull();
            int scale = rs.getInt(9);
            String declared = declared(name, dataType, noPrecision ? -1 : precision, scale, rs.getInt(10));
            PgType type = new PgType(name, declared, dataType.equals("array"), false, name.equals("numeric") && !noPrecision ? precision : -1, scale);
            String kind = rs.getString(3).equals("VIEW") ? "view" : "table";
            collector.column(rs.getString(1), rs.getString(2), kind, column(rs.getString(4), "YES".equals(rs.getString(5)), type));
        });
        query(c, PRIMARY_KEYS.formatted(placeholders(schemas.size()), table.isPresent() ? "AND tc.table_name = ?" : ""), parameters,
                rs -> collector.keyColumn(rs.getString(1), rs.getString(2), rs.getString(3)));
        return collector.tables();
    }

    @Override
    JdbcColumn resultColumn(ResultSetMetaData md, int index) throws SQLException {
        String name = unquote(md.getColumnTypeName(index));
        if (isRedshiftType(name)) {
            int precision = md.getPrecision(index);
            return column(md.getColumnLabel(index), md.isNullable(index) != ResultSetMetaData.columnNoNulls,
                    new PgType(name, name, false, false, precision, md.getScale(index)));
        }
        return super.resultColumn(md, index);
    }

    @Override
    JdbcColumn column(String name, boolean nullable, PgType t) {
        String q = quote(name);
        return switch (t.name()) {
            // SUPER values come back as their JSON text.
            case "super" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.JSON, q);
            // Hex EWKB, the sketch's JSON, and hex bytes: text as the server writes it; not comparable as parameters.
            case "geometry", "geography", "hllsketch", "varbyte" ->
                    new JdbcColumn(name, t.declared(), nullable, ValueKind.STRING, q, "?", true);
            default -> super.column(name, nullable, t);
        };
    }

    @Override
    boolean rowValueComparison() {
        return false;
    }

    @Override
    boolean primaryKeysAreIndexed() {
        return false;
    }

    @Override
    String server(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            String v = rs.getString(1);
            Matcher m = REDSHIFT_VERSION.matcher(v);
            return "Redshift " + (m.find() ? m.group(1) : v);
        }
    }

    private static boolean isRedshiftType(String name) {
        return switch (name) {
            case "super", "geometry", "geography", "hllsketch", "varbyte" -> true;
            default -> false;
        };
    }

    /** The type as a cast writes it, for parameters compared with text-mapped columns. */
    private static String declared(String name, String dataType, int precision, int scale, int length) {
        return switch (name) {
            case "numeric" -> precision > 0 ? "numeric(" + precision + "," + scale + ")" : "numeric";
            case "bpchar" -> length > 0 ? "char(" + length + ")" : "char";
            case "varchar" -> "varchar";
            default -> dataType.equals("user-defined") || dataType.equals("array") ? name : dataType;
        };
    }
}
