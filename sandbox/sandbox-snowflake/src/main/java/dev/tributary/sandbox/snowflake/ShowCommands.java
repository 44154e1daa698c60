package dev.tributary.sandbox.snowflake;

import dev.tributary.sandbox.snowflake.SqlTokens.Kind;
import dev.tributary.sandbox.snowflake.SqlTokens.Token;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SHOW DATABASES / SCHEMAS / [TERSE] TABLES / VIEWS / OBJECTS / COLUMNS and DESCRIBE TABLE / VIEW, with LIKE (case
 * insensitive) and IN ACCOUNT / DATABASE / SCHEMA, answered from DuckDB's catalog in Snowflake's column names.
 */
final class ShowCommands {
    private ShowCommands() {}

    static QueryResult show(SandboxSession s, Databases databases, ObjectProperties properties, List<Token> w) throws SQLException {
        int i = 1;
        boolean terse = w.size() > i && w.get(i).is("TERSE");
        if (terse) i++;
        if (i >= w.size()) throw SnowflakeError.syntax("SHOW needs an object type");
        String kind = w.get(i).text().toUpperCase(Locale.ROOT);
        i++;
        String like = null;
        String inKind = null;
        List<String> inName = null;
        while (i < w.size()) {
            if (w.get(i).is("LIKE") && i + 1 < w.size() && w.get(i + 1).kind() == Kind.STRING) {
                like = w.get(i + 1).text();
                i += 2;
            } else if (w.get(i).is("IN")) {
                i++;
                if (i < w.size() && (w.get(i).is("ACCOUNT") || w.get(i).is("DATABASE") || w.get(i).is("SCHEMA") || w.get(i).is("TABLE") || w.get(i).is("VIEW"))) {
                    inKind = w.get(i).text().toUpperCase(Locale.ROOT);
                    i++;
                }
                if (i < w.size() && (w.get(i).kind() == Kind.WORD || w.get(i).kind() == Kind.QUOTED) && !w.get(i).is("LIMIT") && !w.get(i).is("STARTS")) {
                    inName = Names.dotted(w, i);
                    i += Names.length(w, i);
                }
                if (inKind == null) inKind = inName != null && inName.size() == 1 && (kind.equals("SCHEMAS") || databases.exists(inName.get(0))) ? "DATABASE" : "SCHEMA";
            } else if (w.get(i).is("LIMIT") || w.get(i).is("STARTS")) {
                break; // not narrowed further: the sandbox ignores LIMIT and STARTS WITH
            } else {
                throw SnowflakeError.syntax("unexpected '" + w.get(i).text() + "' in SHOW " + kind);
            }
        }
        return switch (kind) {
            case "DATABASES" -> showDatabases(s, databases, like);
            case "SCHEMAS" -> showSchemas(s, inName == null ? s.database : inName.get(0), "ACCOUNT".equals(inKind), like);
            case "TABLES", "VIEWS", "OBJECTS" -> showObjects(s, properties, kind, terse, like, inKind, inName);
            case "COLUMNS" -> showColumns(s, like, inKind, inName);
            case "WAREHOUSES" -> QueryResult.text(List.of("name", "state", "type", "size"), List.of(List.of(s.warehouse == null ? "SANDBOX_WH" : s.warehouse, "STARTED", "STANDARD", "X-Small")), QueryResult.SHOW);
            case "PARAMETERS" -> {
                List<List<String>> rows = new ArrayList<>();
                for (var e : s.parameters.entrySet()) {
                    if (!e.getKey().startsWith("__") && (like == null || likeMatches(e.getKey(), like))) rows.add(List.of(e.getKey(), String.valueOf(e.getValue()), "", "SESSION", ""));
                }
                yield QueryResult.text(List.of("key", "value", "default", "level", "description"), rows, QueryResult.SHOW);
            }
            default -> throw new SnowflakeError("000002", "0A000", "Unsupported feature 'SHOW " + kind + "' in the Snowflake sandbox (see sandbox-snowflake/README.md).");
        };
    }

    private static QueryResult showDatabases(SandboxSession s, Databases databases, String like) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        for (String db : databases.names()) {
            if (like != null && !likeMatches(db, like)) continue;
            rows.add(List.of("", db, "N", db.equals(s.database) ? "Y" : "N", "", "SYSADMIN", "", "", "1", "STANDARD"));
        }
        return QueryResult.text(List.of("created_on", "name", "is_default", "is_current", "origin", "owner", "comment", "options", "retention_time", "kind"), rows, QueryResult.SHOW);
    }

    private static QueryResult showSchemas(SandboxSession s, String db, boolean account, String like) throws SQLException {
        if (db == null && !account) throw new SnowflakeError("090105", "22000", "Cannot perform SHOW SCHEMAS. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
        String sql = "select catalog_name, schema_name from information_schema.schemata where schema_name not in ('main', 'pg_catalog', 'information_schema')"
                + " and catalog_name not in ('memory', 'system', 'temp')" + (account ? "" : " and catalog_name = ?") + " order by 1, 2";
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement ps = s.duck.prepareStatement(sql)) {
            if (!account) ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(2);
                    if (like != null && !likeMatches(name, like)) continue;
                    rows.add(List.of("", name, "N", name.equals(s.schema) && rs.getString(1).equals(s.database) ? "Y" : "N", rs.getString(1), "SYSADMIN", "", "", "1"));
                }
            }
        }
        if (!account && (like == null || likeMatches("INFORMATION_SCHEMA", like))) rows.add(List.of("", "INFORMATION_SCHEMA", "N", "N", db, "", "Views describing the contents of schemas in this database", "", "1"));
        return QueryResult.text(List.of("created_on", "name", "is_default", "is_current", "database_name", "owner", "comment", "options", "retention_time"), rows, QueryResult.SHOW);
    }

    private static QueryResult showObjects(SandboxSession s, ObjectProperties properties, String kind, boolean terse, String like, String inKind, List<String> inName) throws SQLException {
        StringBuilder sql = new StringBuilder("select table_catalog, table_schema, table_name, table_type from information_schema.tables"
                + " where table_catalog not in ('memory', 'system', 'temp') and table_schema <> 'main'");
        List<String> args = new ArrayList<>();
        scope(s, inKind, inName, sql, args, "table_catalog", "table_schema");
        if (kind.equals("TABLES")) sql.append(" and table_type = 'BASE TABLE'");
        if (kind.equals("VIEWS")) sql.append(" and table_type = 'VIEW'");
        sql.append(" order by 1, 2, 3");
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement ps = s.duck.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(3);
                    if (like != null && !likeMatches(name, like)) continue;
                    String k = rs.getString(4).contains("VIEW") ? "VIEW" : "TABLE";
                    if (terse) {
                        rows.add(List.of("", name, k, rs.getString(1), rs.getString(2)));
                        continue;
                    }
                    ObjectProperties.Properties p = properties.of(rs.getString(1), rs.getString(2), name);
                    String shownKind = kind.equals("TABLES") && p.kind().equals("TRANSIENT") ? "TRANSIENT" : k; // SHOW TABLES names the table type
                    rows.add(List.of("", name, rs.getString(1), rs.getString(2), shownKind, "", p.clusterBy() == null ? "" : p.clusterBy(), "", "", "SYSADMIN", "1",
                            p.clusterBy() == null ? "OFF" : p.automaticClustering() ? "ON" : "OFF", k.equals("VIEW") && p.secure() ? "true" : "false"));
                }
            }
        }
        List<String> columns = terse ? List.of("created_on", "name", "kind", "database_name", "schema_name")
                : List.of("created_on", "name", "database_name", "schema_name", "kind", "comment", "cluster_by", "rows", "bytes", "owner", "retention_time",
                        "automatic_clustering", "is_secure");
        return QueryResult.text(columns, rows, QueryResult.SHOW);
    }

    private static QueryResult showColumns(SandboxSession s, String like, String inKind, List<String> inName) throws SQLException {
        StringBuilder sql = new StringBuilder("select table_catalog, table_schema, table_name, column_name, data_type, is_nullable from information_schema.columns"
                + " where table_catalog not in ('memory', 'system', 'temp') and table_schema <> 'main'");
        List<String> args = new ArrayList<>();
        if (inKind != null && (inKind.equals("TABLE") || inKind.equals("VIEW"))) {
            List<String> full = qualify(s, inName);
            sql.append(" and table_catalog = ? and table_schema = ? and table_name = ?");
            args.addAll(full);
        } else {
            scope(s, inKind, inName, sql, args, "table_catalog", "table_schema");
        }
        sql.append(" order by 1, 2, 3, ordinal_position");
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement ps = s.duck.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (like != null && !likeMatches(rs.getString(4), like)) continue;
                    rows.add(List.of(rs.getString(3), rs.getString(2), rs.getString(4), dataTypeJson(rs.getString(5), rs.getString(6)), "YES".equals(rs.getString(6)) ? "true" : "false",
                            "", "COLUMN", "", "", rs.getString(1)));
                }
            }
        }
        return QueryResult.text(List.of("table_name", "schema_name", "column_name", "data_type", "null?", "default", "kind", "expression", "comment", "database_name"), rows, QueryResult.SHOW);
    }

    static QueryResult describe(SandboxSession s, List<Token> w) throws SQLException {
        int i = 1;
        if (i < w.size() && (w.get(i).is("TABLE") || w.get(i).is("VIEW"))) i++;
        List<String> full = qualify(s, Names.dotted(w, i));
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement ps = s.duck.prepareStatement("select column_name, data_type, is_nullable, column_default from information_schema.columns"
                + " where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position")) {
            for (int k = 0; k < 3; k++) ps.setString(k + 1, full.get(k));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>(List.of(rs.getString(1), snowflakeTypeName(rs.getString(2)), "COLUMN", "YES".equals(rs.getString(3)) ? "Y" : "N"));
                    row.add(rs.getString(4));
                    row.addAll(List.of("N", "N"));
                    row.add(null);
                    row.add(null);
                    row.add(null);
                    row.add(null);
                    rows.add(row);
                }
            }
        }
        if (rows.isEmpty()) throw SnowflakeError.doesNotExist("Object", String.join(".", full));
        return QueryResult.text(List.of("name", "type", "kind", "null?", "default", "primary key", "unique key", "check", "expression", "comment", "policy name"), rows, QueryResult.DESCRIBE);
    }

    /** db, schema, name for a one-, two- or three-part name, from the session's current database and schema. */
    private static List<String> qualify(SandboxSession s, List<String> name) {
        if (name.size() == 3) return name;
        if (name.size() == 2) {
            if (s.database == null) throw new SnowflakeError("090105", "22000", "Cannot perform DESCRIBE. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
            return List.of(s.database, name.get(0), name.get(1));
        }
        if (s.database == null || s.schema == null) throw new SnowflakeError("090106", "22000", "Cannot perform DESCRIBE. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.");
        return List.of(s.database, s.schema, name.get(0));
    }

    private static void scope(SandboxSession s, String inKind, List<String> inName, StringBuilder sql, List<String> args, String catalogColumn, String schemaColumn) {
        if ("ACCOUNT".equals(inKind)) return;
        if ("DATABASE".equals(inKind)) {
            String db = inName == null ? s.database : inName.get(0);
            if (db == null) throw new SnowflakeError("090105", "22000", "Cannot perform SHOW. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
            sql.append(" and ").append(catalogColumn).append(" = ?");
            args.add(db);
            return;
        }
        String db;
        String schema;
        if (inName == null) {
            db = s.database;
            schema = s.schema;
        } else if (inName.size() == 1) {
            db = s.database;
            schema = inName.get(0);
        } else {
            db = inName.get(0);
            schema = inName.get(1);
        }
        if (db == null) throw new SnowflakeError("090105", "22000", "Cannot perform SHOW. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
        sql.append(" and ").append(catalogColumn).append(" = ?");
        args.add(db);
        if (schema != null) {
            sql.append(" and ").append(schemaColumn).append(" = ?");
            args.add(schema);
        }
    }

    /** Snowflake's type names for DuckDB's, as DESCRIBE shows them ({@code NUMBER(38,0)}, {@code VARCHAR(16777216)}). */
    static String snowflakeTypeName(String duckType) {
        ResultEncoder.ColumnType t = ResultEncoder.snowflakeType(duckType);
        return switch (t.type()) {
            case "fixed" -> "NUMBER(" + t.precision() + "," + t.scale() + ")";
            case "real" -> "FLOAT";
            case "text" -> "VARCHAR(" + ResultEncoder.TEXT_LENGTH + ")";
            case "timestamp_ntz" -> "TIMESTAMP_NTZ(9)";
            case "timestamp_tz" -> "TIMESTAMP_TZ(9)";
            case "time" -> "TIME(9)";
            default -> t.type().toUpperCase(Locale.ROOT);
        };
    }

    private static String dataTypeJson(String duckType, String nullable) {
        ResultEncoder.ColumnType t = ResultEncoder.snowflakeType(duckType);
        String type = t.type().equals("fixed") ? "FIXED" : t.type().toUpperCase(Locale.ROOT);
        return "{\"type\":\"" + type + "\"" + (t.precision() == null ? "" : ",\"precision\":" + t.precision()) + (t.scale() == null ? "" : ",\"scale\":" + t.scale())
                + (t.length() == null ? "" : ",\"length\":" + t.length()) + ",\"nullable\":" + "YES".equals(nullable) + "}";
    }

    /** SQL LIKE, case-insensitive as Snowflake's SHOW ... LIKE is. */
    static boolean likeMatches(String value, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '%') regex.append(".*");
            else if (c == '_') regex.append('.');
            else regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL).matcher(value).matches();
    }
}
