package dev.tributary.source.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB through the MariaDB driver ({@code jdbc:mysql:} URLs are read as {@code jdbc:mariadb:}).
 * A schema is a database. Sessions run in UTC ({@code time_zone = '+00:00'}, so TIMESTAMP columns read as the
 * instants they store) inside {@code START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT}.
 */
final class MySqlDialect extends Dialect {
    private static final String COLUMNS = """
            SELECT c.TABLE_SCHEMA, c.TABLE_NAME, t.TABLE_TYPE, c.COLUMN_NAME, c.IS_NULLABLE, c.DATA_TYPE, c.COLUMN_TYPE,
                   c.NUMERIC_PRECISION, c.NUMERIC_SCALE
            FROM information_schema.COLUMNS c
            JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
            WHERE t.TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED') AND c.TABLE_SCHEMA IN (%s) %s
            ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION""";

    private static final String PRIMARY_KEYS = """
            SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
            WHERE CONSTRAINT_NAME = 'PRIMARY' AND TABLE_SCHEMA IN (%s) %s
            ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION""";

    /** MariaDB's JSON is LONGTEXT with this check; its catalog says "longtext". */
    private static final String JSON_CHECKS = """
            SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
            WHERE CONSTRAINT_SCHEMA IN (%s) %s""";

    private static final Pattern JSON_VALID = Pattern.compile("^json_valid\\(`((?:[^`]|``)+)`\\)$");

    private static final Driver DRIVER = new org.mariadb.jdbc.Driver();

    @Override
    String type() {
        return "mysql";
    }

    @Override
    String product() {
        return "MySQL";
    }

    @Override
    int defaultPort() {
        return 3306;
    }

    @Override
    Driver driver() {
        return DRIVER;
    }

    @Override
    String driverUrl(String url) {
        if (url.startsWith("jdbc:mariadb:")) return url;
        if (url.startsWith("jdbc:mysql:")) return "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
        throw new IllegalArgumentException("must start with jdbc:mysql:// or jdbc:mariadb:// (for example jdbc:mysql://db.internal:3306/shop)");
    }

    @Override
    String url(String host, int port, String database) {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database;
    }

    @Override
    Properties defaultProperties() {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "15000");
        return p;
    }

    @Override
    void beginReadOnly(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            c.setAutoCommit(false);
            // Read only for the session too: a statement that commits implicitly cannot leave a writable transaction behind.
            s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            s.execute("START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT");
        }
    }

    @Override
    String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    List<String> defaultSchemas(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            rs.next();
            String db = rs.getString(1);
            return db == null ? List.of() : List.of(db);
        }
    }

    @Override
    Set<String> existingSchemas(Connection c, List<String> schemas) throws SQLException {
        Set<String> out = new TreeSet<>();
        query(c, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (" + placeholders(schemas.size()) + ")",
                schemas, rs -> out.add(rs.getString(1)));
        return out;
    }

    @Override
    List<CatalogTable> tables(Connection c, List<String> schemas, Optional<String> table) throws SQLException {
        List<String> parameters = new ArrayList<>(schemas);
        table.ifPresent(parameters::add);
        String only = table.isPresent() ? "AND c.TABLE_NAME = ?" : "";
        Set<String> jsonColumns = isMariaDb(c) ? jsonColumns(c, schemas, table, parameters) : Set.of();
        TableCollector collector = new TableCollector();
        query(c, COLUMNS.formatted(placeholders(schemas.size()), only), parameters, rs -> {
            String schema = rs.getString(1);
            String name = rs.getString(2);
            String column = rs.getString(4);
            int precision = rs.getInt(8);
            boolean noPrecision = rs.wasNull();
            MyType type = new MyType(rs.getString(6).toLowerCase(Locale.ROOT), rs.getString(7).toLowerCase(Locale.ROOT),
                    noPrecision ? -1 : precision, rs.getInt(9), jsonColumns.contains(schema + "." + name + "." + column));
            String kind = rs.getString(3).equals("VIEW") ? "view" : "table";
            collector.column(schema, name, kind, column(column, "YES".equals(rs.getString(5)), type));
        });
        query(c, PRIMARY_KEYS.formatted(placeholders(schemas.size()), table.isPresent() ? "AND TABLE_NAME = ?" : ""), parameters,
                rs -> collector.keyColumn(rs.getString(1), rs.getString(2), rs.getString(3)));
        return collector.tables();
    }

    private static Set<String> jsonColumns(Connection c, List<String> schemas, Optional<String> table, List<String> parameters)
            throws SQLException {
        Set<String> out = new HashSet<>();
        query(c, JSON_CHECKS.formatted(placeholders(schemas.size()), table.isPresent() ? "AND TABLE_NAME = ?" : ""), parameters, rs -> {
            Matcher m = JSON_VALID.matcher(rs.getString(3).trim());
            if (m.matches()) out.add(rs.getString(1) + "." + rs.getString(2) + "." + m.group(1).replace("``", "`"));
        });
        return out;
    }

    private static boolean isMariaDb(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductVersion().contains("MariaDB");
    }

    @Override
    JdbcColumn resultColumn(ResultSetMetaData md, int index) throws SQLException {
        String typeName = md.getColumnTypeName(index).toLowerCase(Locale.ROOT);
        boolean unsigned = typeName.endsWith(" unsigned");
        String dataType = unsigned ? typeName.substring(0, typeName.length() - " unsigned".length()) : typeName;
        if (dataType.equals("integer")) dataType = "int";
        int precision = md.getPrecision(index);
        String columnType = switch (dataType) {
            case "boolean" -> "tinyint(1)";
            case "bit" -> "bit(" + precision + ")";
            default -> dataType + (unsigned ? " unsigned" : "");
        };
        if (dataType.equals("boolean")) dataType = "tinyint";
        MyType type = new MyType(dataType, columnType, precision, md.getScale(index), dataType.equals("json"));
        return column(md.getColumnLabel(index), md.isNullable(index) != ResultSetMetaData.columnNoNulls, type);
    }

    @Override
    Instant serverTime(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT UTC_TIMESTAMP(6)")) {
            rs.next();
            return rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
    }

    @Override
    String server(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            String version = rs.getString(1);
            return (version.contains("MariaDB") ? "MariaDB " : "MySQL ") + version;
        }
    }

    @Override
    boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // lock wait timeout, deadlock, server gone away, connection lost
            if (t instanceof SQLException s && (s.getErrorCode() == 1205 || s.getErrorCode() == 1213 || s.getErrorCode() == 2006
                    || s.getErrorCode() == 2013)) {
                return true;
            }
        }
        return super.isTransient(e);
    }

    /** A server type as information_schema writes it: DATA_TYPE ({@code bigint}) and COLUMN_TYPE ({@code bigint(20) unsigned}). */
    record MyType(String dataType, String columnType, int precision, int scale, boolean json) {}

    /** The column for a server type; the mapping table in the README follows this method. */
    JdbcColumn column(String name, boolean nullable, MyType t) {
        String q = quote(name);
        switch (t.dataType()) {
            case "decimal", "numeric", "fixed" -> {
                if (!PostgresDialect.fitsDecimal(t.precision(), t.scale())) {
                    // Too wide for DECIMAL: exact text, compared as the column's own decimal type.
                    String declared = "DECIMAL(" + t.precision() + "," + t.scale() + ")";
                    return new JdbcColumn(name, t.columnType(), nullable, ValueKind.STRING, q, "CAST(? AS " + declared + ")", false);
                }
            }
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> {
                // Spatial values as WKT, converted by the server.
                return new JdbcColumn(name, t.columnType(), nullable, ValueKind.STRING, "ST_AsText(" + q + ") AS " + q, "?", true);
            }
            default -> { }
        }
        ValueKind kind = switch (t.dataType()) {
            case "tinyint" -> t.columnType().startsWith("tinyint(1)") ? ValueKind.BOOLEAN : ValueKind.LONG;
            case "bit" -> t.columnType().equals("bit(1)") ? ValueKind.BOOLEAN : ValueKind.LONG;
            case "smallint", "mediumint", "int", "year" -> ValueKind.LONG;
            case "bigint" -> t.columnType().contains("unsigned") ? ValueKind.DECIMAL : ValueKind.LONG;
            case "decimal", "numeric", "fixed" -> ValueKind.DECIMAL;
            case "float" -> ValueKind.FLOAT;
            case "double", "real", "double precision" -> ValueKind.DOUBLE;
            case "date" -> ValueKind.DATE;
            case "datetime" -> ValueKind.LOCAL_TIMESTAMP;
            case "timestamp" -> ValueKind.UTC_TIMESTAMP;
            case "json" -> ValueKind.JSON;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> ValueKind.BASE64;
            // char, varchar, the text types (JSON when MariaDB checks them with json_valid), enum, set, time, uuid, inet6...
            default -> t.json() ? ValueKind.JSON : ValueKind.STRING;
        };
        return JdbcColumn.plain(name, t.columnType(), nullable, kind, q);
    }
}
