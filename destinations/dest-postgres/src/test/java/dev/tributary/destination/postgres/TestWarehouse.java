package dev.tributary.destination.postgres;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * An empty warehouse on the test server: a unique schema prefix, so that every schema a test makes (targets and the
 * metadata schema alike) is its own, and {@link #close()} drops them all. Skips the test when PostgreSQL is absent
 * (fails it under CI=true).
 */
final class TestWarehouse implements AutoCloseable {
    final String url;
    private final String base;

    private TestWarehouse(String url, String base) {
        this.url = url;
        this.base = base;
    }

    static TestWarehouse create() {
        String url = TestDatabases.postgresUrl();
        return new TestWarehouse(url, TestDatabases.createPostgresSchema(url, "pgdest"));
    }

    String prefix() {
        return base + "_";
    }

    /** url and schema_prefix; more settings may be added to the returned node. */
    ObjectNode settings() {
        return JsonNodeFactory.instance.objectNode().put("url", url).put("schema_prefix", prefix());
    }

    Config config() {
        return Config.of(settings());
    }

    /** A plain connection of its own, outside any session. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    void execute(String sql) {
        TestDatabases.execute(url, sql);
    }

    @Override
    public void close() {
        dropSchemasStartingWith(base);
    }

    void dropSchemasStartingWith(String start) {
        List<String> schemas = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement p = c.prepareStatement("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ?)")) {
            p.setString(1, start);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) schemas.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("listing the schemas starting with " + start + ": " + e.getMessage(), e);
        }
        for (String schema : schemas) TestDatabases.dropPostgresSchema(url, Identifiers.quote(schema));
    }
}
