package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A pooled store connection the server dropped while it was idle is replaced, not handed to the next caller to fail. */
class PooledConnectionTest {
    @Test
    void anIdleConnectionTheServerDroppedIsReplaced() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "workfix_pool");
        String role = schema + "_role"; // the store's connections are this role's: the test drops only those
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN SUPERUSER");
        }
        MetadataStore store = JdbcMetadataStore.postgres(url.replaceAll("user=[^&]*", "user=" + role), null, null, schema);
        try {
            store.runs(RunQuery.latest(1)); // the pool now holds an idle connection
            int killed = 0;
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                         + " AND usename = '" + role + "'")) {
                while (rs.next()) killed++;
            }
            assertThat(killed).as("the idle pooled connection was found").isPositive();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_200)); // idle for longer than the check's threshold
            assertThat(store.runs(RunQuery.latest(1))).isEmpty();
        } finally {
            store.close();
            TestDatabases.dropPostgresSchema(url, schema);
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }
}
