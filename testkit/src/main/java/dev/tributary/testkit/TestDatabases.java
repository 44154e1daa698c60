package dev.tributary.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real database servers tests run against: PostgreSQL on 127.0.0.1:5432 (trust auth, database {@code test})
 * and MariaDB on 127.0.0.1:3306 (root, no password, database {@code test}), overridable with
 * {@code TRIBUTARY_TEST_POSTGRES_URL} / {@code TRIBUTARY_TEST_MARIADB_URL}. Outside CI a test whose server is
 * absent is skipped with a message saying how to start it; with {@code CI=true} it fails instead.
 */
public final class TestDatabases {
    private TestDatabases() {}

    /** A JDBC URL for the PostgreSQL test database, or the test is skipped (failed under CI) when unreachable. */
    public static String postgresUrl() {
        String url = env("TRIBUTARY_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=" + env("USER", "postgres"));
        requireReachable("PostgreSQL", url, "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
        return url;
    }

    /** A JDBC URL for the MariaDB test database, or the test is skipped (failed under CI) when unreachable. */
    public static String mariadbUrl() {
        String url = env("TRIBUTARY_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=");
        requireReachable("MariaDB", url, "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
        return url;
    }

    /** A new, empty PostgreSQL schema with a unique name; drop it with {@link #dropPostgresSchema}. */
    public static String createPostgresSchema(String url, String prefix) {
        String schema = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase(Locale.ROOT);
        execute(url, "CREATE SCHEMA " + schema);
        return schema;
    }

    public static void dropPostgresSchema(String url, String schema) {
        execute(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    public static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void requireReachable(String name, String url, String startCommand) {
        try (Connection c = DriverManager.getConnection(url)) {
            if (!c.isValid(5)) throw new SQLException("connection is not valid");
        } catch (SQLException e) {
            String message = name + " is not reachable at " + url.replaceAll("password=[^&]*", "password=***") + " (" + e.getMessage()
                    + "); start it with: " + startCommand;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true and " + message);
            Assumptions.abort("skipped: " + message);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
