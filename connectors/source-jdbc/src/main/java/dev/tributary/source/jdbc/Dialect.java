package dev.tributary.source.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What differs between the databases one implementation reads: URLs and driver, quoting, the read-only snapshot
 * transaction, catalog queries, and how server types map to engine types. Everything else is shared.
 */
abstract class Dialect {
    /** The connector type in {@code tributary.yml}. */
    abstract String type();

    /** The database's name for people: "PostgreSQL". */
    abstract String product();

    abstract int defaultPort();

    abstract Driver driver();

    /** The URL the driver is given for {@code url} as written, or an {@link IllegalArgumentException} saying what is expected. */
    abstract String driverUrl(String url);

    /** The URL for the host form of the settings; {@code database} may be empty where the server allows it. */
    abstract String url(String host, int port, String database);

    /** Driver properties set unless the user sets them. */
    Properties defaultProperties() {
        return new Properties();
    }

    /** Connects-time settings (time zone), then starts the read-only snapshot transaction every session reads in. */
    abstract void beginReadOnly(Connection c) throws SQLException;

    abstract String quote(String identifier);

    /** The schemas read when none are configured. */
    abstract List<String> defaultSchemas(Connection c) throws SQLException;

    /** Which of {@code schemas} exist (and the user may see). */
    abstract Set<String> existingSchemas(Connection c, List<String> schemas) throws SQLException;

    /** Tables and views in {@code schemas} (only {@code table} when given), with columns and keys, in name order. */
    abstract List<CatalogTable> tables(Connection c, List<String> schemas, Optional<String> table) throws SQLException;

    /** A column of a named query's result, from the driver's metadata. */
    abstract JdbcColumn resultColumn(ResultSetMetaData md, int index) throws SQLException;

    /** The server's clock, for a cursor lag. */
    abstract Instant serverTime(Connection c) throws SQLException;

    /** True when a primary key is backed by an index (not so in Redshift, which has none). */
    boolean primaryKeysAreIndexed() {
        return true;
    }

    /** True when {@code (a, b) > (?, ?)} is supported and uses indexes; else the expanded OR form is written. */
    boolean rowValueComparison() {
        return false;
    }

    /** The server's product and version, for check(): "PostgreSQL 15.20 (Debian 15.20-0+deb12u1)". */
    String server(Connection c) throws SQLException {
        return product() + " " + c.getMetaData().getDatabaseProductVersion();
    }

    /** A failure that may pass when retried from the last commit: lost connections, server restarts, deadlocks. */
    boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) return true;
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.equals("57P01")
                        || state.equals("57P02") || state.equals("57P03") || state.equals("53300")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code "a"."b"} for a table. */
    String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    /** "?, ?, ?" for an IN list. */
    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Runs a catalog query with string parameters. No fetch size: Redshift runs catalog queries on the leader node, without cursors. */
    static void query(Connection c, String sql, List<String> parameters, RowHandler handler) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) ps.setString(i + 1, parameters.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) handler.row(rs);
            }
        }
    }

    @FunctionalInterface
    interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    /** Collects catalog rows into tables, keeping the order the columns came in. */
    static final class TableCollector {
        private record Name(String schema, String table) {}

        private final Map<Name, String> kinds = new LinkedHashMap<>();
        private final Map<Name, List<JdbcColumn>> columns = new LinkedHashMap<>();
        private final Map<Name, List<String>> keys = new LinkedHashMap<>();

        void column(String schema, String table, String kind, JdbcColumn column) {
            Name n = new Name(schema, table);
            kinds.putIfAbsent(n, kind);
            columns.computeIfAbsent(n, k -> new ArrayList<>()).add(column);
        }

        void keyColumn(String schema, String table, String column) {
            keys.computeIfAbsent(new Name(schema, table), k -> new ArrayList<>()).add(column);
        }

        List<CatalogTable> tables() {
            List<CatalogTable> out = new ArrayList<>();
            Set<Name> names = new TreeSet<>((a, b) -> a.schema.equals(b.schema) ? a.table.compareTo(b.table) : a.schema.compareTo(b.schema));
            names.addAll(columns.keySet());
            for (Name n : names) {
                List<String> key = keys.getOrDefault(n, List.of());
                List<JdbcColumn> cols = new ArrayList<>();
                for (JdbcColumn col : columns.get(n)) cols.add(key.contains(col.name()) ? col.notNull() : col);
                out.add(new CatalogTable(n.schema, n.table, kinds.get(n), cols, key));
            }
            return out;
        }
    }
}
