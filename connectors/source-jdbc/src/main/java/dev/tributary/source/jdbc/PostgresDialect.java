package dev.tributary.source.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * PostgreSQL through the PostgreSQL JDBC driver. Catalog from {@code pg_catalog} (so enums, domains, arrays,
 * materialized and partitioned tables are seen as they are); reads in a {@code REPEATABLE READ, READ ONLY}
 * transaction, so every read is one consistent snapshot.
 */
class PostgresDialect extends Dialect {
    /** Largest DECIMAL the engine holds: 38 digits, 9 after the point. */
    static final int MAX_DECIMAL_PRECISION = 38;
    static final int MAX_DECIMAL_SCALE = 9;

    private static final String COLUMNS = """
            SELECT n.nspname, c.relname, c.relkind, a.attname, a.attnotnull, bt.typname, bt.typtype, bt.typcategory,
                   CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END,
                   format_type(a.atttypid, a.atttypmod)
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
              AND has_table_privilege(c.oid, 'SELECT') AND n.nspname IN (%s) %s
            ORDER BY n.nspname, c.relname, a.attnum""";

    private static final String PRIMARY_KEYS = """
            SELECT n.nspname, c.relname, a.attname
            FROM pg_catalog.pg_constraint k
            JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (k.conkey)
            WHERE k.contype = 'p' AND n.nspname IN (%s) %s
            ORDER BY n.nspname, c.relname, array_position(k.conkey, a.attnum)""";

    private static final Driver DRIVER = new org.postgresql.Driver();

    @Override
    String type() {
        return "postgres";
    }

    @Override
    String product() {
        return "PostgreSQL";
    }

    @Override
    int defaultPort() {
        return 5432;
    }

    @Override
    Driver driver() {
        return DRIVER;
    }

    @Override
    String driverUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) return url;
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            throw new IllegalArgumentException("is a libpq URL; write it as jdbc:postgresql://host:5432/database (user and password as settings)");
        }
        throw new IllegalArgumentException("must start with jdbc:postgresql:// (for example jdbc:postgresql://db.internal:5432/app)");
    }

    @Override
    String url(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    Properties defaultProperties() {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "15");
        p.setProperty("ApplicationName", "tributary");
        // Binary results from a statement's first run (the driver describes it first): a streamed read decodes
        // about a third faster than in the text format. Set prepareThreshold: 0 behind PgBouncer's transaction pooling.
        p.setProperty("prepareThreshold", "-1");
        return p;
    }

    @Override
    void beginReadOnly(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // Dates and times compare and print the same whatever the machine's zone is.
            s.execute("SET TIME ZONE 'UTC'");
        }
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
    }

    @Override
    String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    List<String> defaultSchemas(Connection c) {
        return List.of("public");
    }

    @Override
    Set<String> existingSchemas(Connection c, List<String> schemas) throws SQLException {
        Set<String> out = new TreeSet<>();
        query(c, "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname IN (" + placeholders(schemas.size()) + ")", schemas,
                rs -> out.add(rs.getString(1)));
        return out;
    }

    @Override
    List<CatalogTable> tables(Connection c, List<String> schemas, Optional<String> table) throws SQLException {
        List<String> parameters = new ArrayList<>(schemas);
        table.ifPresent(parameters::add);
        String only = table.isPresent() ? "AND c.relname = ?" : "";
        TableCollector collector = new TableCollector();
        query(c, COLUMNS.formatted(placeholders(schemas.size()), only), parameters, rs -> {
            String name = rs.getString(4);
            PgType type = new PgType(rs.getString(6), rs.getString(10), rs.getString(8).equals("A"), rs.getString(7).equals("c"),
                    precision(rs.getString(6), rs.getInt(9)), scale(rs.getString(6), rs.getInt(9)));
            collector.column(rs.getString(1), rs.getString(2), kind(rs.getString(3)), column(name, !rs.getBoolean(5), type));
        });
        query(c, PRIMARY_KEYS.formatted(placeholders(schemas.size()), only), parameters,
                rs -> collector.keyColumn(rs.getString(1), rs.getString(2), rs.getString(3)));
        return collector.tables();
    }

    @Override
    JdbcColumn resultColumn(ResultSetMetaData md, int index) throws SQLException {
        String typeName = md.getColumnTypeName(index);
        int jdbcType = md.getColumnType(index);
        String base = unquote(typeName);
        boolean array = jdbcType == Types.ARRAY || base.startsWith("_");
        int precision = md.getPrecision(index);
        PgType type = new PgType(base, typeName, array, jdbcType == Types.STRUCT,
                base.equals("numeric") && precision == 0 ? -1 : precision, md.getScale(index));
        return column(md.getColumnLabel(index), md.isNullable(index) != ResultSetMetaData.columnNoNulls, type);
    }

    @Override
    Instant serverTime(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    @Override
    boolean rowValueComparison() {
        return true;
    }

    @Override
    String server(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        }
    }

    /**
     * A server type: {@code name} is the base type's name as {@code pg_type} spells it ({@code int4}, {@code _text},
     * an enum's name), {@code declared} the type as SQL writes it, for casts ({@code character(3)}, {@code shop.mood});
     * precision -1 for a numeric without one.
     */
    record PgType(String name, String declared, boolean array, boolean composite, int precision, int scale) {}

    /** The column for a server type; the mapping table in the README follows this method. */
    JdbcColumn column(String name, boolean nullable, PgType t) {
        String q = quote(name);
        if (t.array()) return converted(name, t, nullable, ValueKind.JSON, "array_to_json(" + q + ") AS " + q);
        if (t.composite()) return converted(name, t, nullable, ValueKind.JSON, "to_json(" + q + ") AS " + q);
        return switch (t.name()) {
            case "bool" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.BOOLEAN, q);
            case "int2", "int4", "int8", "oid", "smallserial", "serial", "bigserial", "serial2", "serial4", "serial8" ->
                    JdbcColumn.plain(name, t.declared(), nullable, ValueKind.LONG, q);
            case "float4" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.FLOAT, q);
            case "float8" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.DOUBLE, q);
            case "numeric" -> fitsDecimal(t.precision(), t.scale())
                    ? JdbcColumn.plain(name, t.declared(), nullable, ValueKind.DECIMAL, q)
                    : cast(name, t, nullable, ValueKind.STRING, q);
            case "money" -> converted(name, t, nullable, ValueKind.DECIMAL, q + "::numeric AS " + q);
            case "date" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.DATE, q);
            case "timestamp" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.LOCAL_TIMESTAMP, q);
            case "timestamptz" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.OFFSET_TIMESTAMP, q);
            case "json", "jsonb" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.JSON, q);
            case "bytea" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.BASE64, q);
            case "text", "varchar" -> JdbcColumn.plain(name, t.declared(), nullable, ValueKind.STRING, q);
            // uuid, enums, time, interval, inet, xml, char(n) and the rest: their text form; compared as their own type.
            default -> cast(name, t, nullable, ValueKind.STRING, q);
        };
    }

    /** DECIMAL holds 38 digits, 9 after the point; a numeric without precision is taken as DECIMAL too (see README). */
    static boolean fitsDecimal(int precision, int scale) {
        return precision < 0 || (precision <= MAX_DECIMAL_PRECISION && scale >= 0 && scale <= MAX_DECIMAL_SCALE);
    }

    private static JdbcColumn converted(String name, PgType t, boolean nullable, ValueKind kind, String select) {
        return new JdbcColumn(name, t.declared(), nullable, kind, select, "?", true);
    }

    private static JdbcColumn cast(String name, PgType t, boolean nullable, ValueKind kind, String quoted) {
        return new JdbcColumn(name, t.declared(), nullable, kind, quoted, "CAST(? AS " + t.declared() + ")", false);
    }

    private static String kind(String relkind) {
        return switch (relkind) {
            case "r" -> "table";
            case "p" -> "partitioned table";
            case "v" -> "view";
            case "m" -> "materialized view";
            case "f" -> "foreign table";
            default -> relkind;
        };
    }

    /** A numeric's precision from its type modifier; -1 when it has none. */
    static int precision(String typeName, int modifier) {
        if (!typeName.equals("numeric") || modifier < 4) return -1;
        return ((modifier - 4) >> 16) & 0xffff;
    }

    /** A numeric's scale from its type modifier (11 bits, signed since PostgreSQL 15). */
    static int scale(String typeName, int modifier) {
        if (!typeName.equals("numeric") || modifier < 4) return 0;
        return (((modifier - 4) & 0x7ff) ^ 1024) - 1024;
    }

    /** {@code "shop"."mood"} to {@code mood}, lower case, for matching type names. */
    static String unquote(String typeName) {
        String s = typeName;
        int dot = s.lastIndexOf("\".\"");
        if (dot >= 0) s = s.substring(dot + 2);
        else if (!s.startsWith("\"") && s.contains(".")) s = s.substring(s.lastIndexOf('.') + 1);
        if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) s = s.substring(1, s.length() - 1).replace("\"\"", "\"");
        return s.toLowerCase(Locale.ROOT);
    }
}
