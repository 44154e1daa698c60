package dev.tributary.sandbox.snowflake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Snowflake databases as DuckDB catalogs attached to one embedded DuckDB: in memory, or one {@code <NAME>.duckdb}
 * file each under the data directory (found again on the next start). Each has schema PUBLIC, as in Snowflake.
 */
final class Databases {
    private final Connection admin;
    private final Path dataDir;

    Databases(Connection admin, Path dataDir) throws SQLException {
        this.admin = admin;
        this.dataDir = dataDir;
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
                try (var files = Files.list(dataDir)) {
                    for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".duckdb")).sorted().toList()) {
                        String name = f.getFileName().toString();
                        attach(name.substring(0, name.length() - ".duckdb".length()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot use data directory " + dataDir, e);
            }
        }
    }

    synchronized boolean exists(String name) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("select 1 from duckdb_databases() where database_name = ? and not internal")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && !name.equalsIgnoreCase("memory");
            }
        }
    }

    synchronized List<String> names() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("select database_name from duckdb_databases() where not internal and database_name <> 'memory' order by 1")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    synchronized void create(String name) throws SQLException {
        if (name.toLowerCase(Locale.ROOT).equals("memory") || name.toLowerCase(Locale.ROOT).equals("system") || name.toLowerCase(Locale.ROOT).equals("temp"))
            throw new SnowflakeError("002002", "42710", "SQL compilation error:\nthe Snowflake sandbox reserves the database name '" + name + "' (DuckDB's).");
        attach(name);
        try (Statement st = admin.createStatement()) {
            st.execute("create schema if not exists " + Names.quote(name) + ".\"PUBLIC\"");
        }
    }

    private void attach(String name) throws SQLException {
        String where = dataDir == null ? ":memory:" : dataDir.resolve(name + ".duckdb").toAbsolutePath().toString();
        try (Statement st = admin.createStatement()) {
            st.execute("attach if not exists " + Names.literal(where) + " as " + Names.quote(name));
        }
    }

    synchronized void drop(String name) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("detach " + Names.quote(name));
        }
        if (dataDir != null) {
            try {
                Files.deleteIfExists(dataDir.resolve(name + ".duckdb"));
                Files.deleteIfExists(dataDir.resolve(name + ".duckdb.wal"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the file of database " + name, e);
            }
        }
    }

    boolean schemaExists(Connection c, String db, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from information_schema.schemata where catalog_name = ? and schema_name = ?")) {
            ps.setString(1, db);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
