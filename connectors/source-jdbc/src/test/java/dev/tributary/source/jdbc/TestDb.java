package dev.tributary.source.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A schema of the test's own on a real server: a PostgreSQL schema, or a MariaDB database (MariaDB's schemas),
 * with a unique name, dropped on close. URLs come from {@link TestDatabases}, which skips the test when the
 * server is absent (and fails it under CI).
 */
final class TestDb implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { POSTGRES, MARIADB }

    private final Kind kind;
    private final String url;
    private final String schema;

    private TestDb(Kind kind, String url, String schema) {
        this.kind = kind;
        this.url = url;
        this.schema = schema;
    }

    static TestDb postgres(String prefix) {
        String url = TestDatabases.postgresUrl();
        return new TestDb(Kind.POSTGRES, url, TestDatabases.createPostgresSchema(url, prefix));
    }

    static TestDb mariadb(String prefix) {
        String url = TestDatabases.mariadbUrl();
        String db = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase(Locale.ROOT);
        TestDatabases.execute(url, "CREATE DATABASE " + db);
        return new TestDb(Kind.MARIADB, url, db);
    }

    static TestDb of(Kind kind, String prefix) {
        return kind == Kind.POSTGRES ? postgres(prefix) : mariadb(prefix);
    }

    Kind kind() {
        return kind;
    }

    String url() {
        return url;
    }

    String schema() {
        return schema;
    }

    Source source() {
        return kind == Kind.POSTGRES ? new PostgresSource() : new MySqlSource();
    }

    Dialect dialect() {
        return kind == Kind.POSTGRES ? new PostgresDialect() : new MySqlDialect();
    }

    /** {@code schema.table}: a stream's name. */
    String stream(String table) {
        return schema + "." + table;
    }

    /** Runs statements with this schema as the default one. */
    void execute(String... statements) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(kind == Kind.POSTGRES ? "SET search_path TO " + schema : "USE " + schema);
            for (String sql : statements) s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The settings every test starts from: the URL and this schema. */
    ObjectNode settings() {
        ObjectNode o = JSON.createObjectNode();
        o.put("url", url);
        o.putArray("schemas").add(schema);
        return o;
    }

    /** {@link #settings()} with more settings given as JSON in which ' stands for ". */
    Config config(String moreJson) {
        ObjectNode o = settings();
        try {
            o.setAll((ObjectNode) JSON.readTree(moreJson.replace('\'', '"')));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        return Config.of(o);
    }

    Config config() {
        return Config.of(settings());
    }

    static Config config(Map<String, ?> settings) {
        return Config.of(JSON.valueToTree(settings));
    }

    @Override
    public void close() {
        if (kind == Kind.POSTGRES) TestDatabases.dropPostgresSchema(url, schema);
        else TestDatabases.execute(url, "DROP DATABASE IF EXISTS " + schema);
    }
}
