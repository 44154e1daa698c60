package dev.tributary.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real H2 in-memory database. */
class JdbcTableAgeProbeTest {
    private String url;
    private Connection keepAlive;
    private JdbcTableAgeProbe probe;

    @BeforeEach
    void database() throws SQLException {
        url = "jdbc:h2:mem:probe_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        keepAlive = DriverManager.getConnection(url);
        Supplier<Connection> connections = () -> {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        probe = new JdbcTableAgeProbe(connections);
        execute("create schema \"crm\"");
    }

    @AfterEach
    void close() throws SQLException {
        execute("shutdown");
        keepAlive.close();
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void timestampWithoutZoneIsReadAsUtc() throws SQLException {
        execute("create table \"crm\".\"contacts\" (\"_tributary_extracted_at\" timestamp)");
        execute("insert into \"crm\".\"contacts\" values (timestamp '2026-11-30 04:00:00'), (timestamp '2026-11-30 05:30:00'), (null)");
        assertThat(probe.newest("crm.contacts", "_tributary_extracted_at")).contains(Instant.parse("2026-11-30T05:30:00Z"));
    }

    @Test
    void timestampWithZoneKeepsItsOffset() throws SQLException {
        execute("create table \"crm\".\"deals\" (\"synced\" timestamp with time zone)");
        execute("insert into \"crm\".\"deals\" values (timestamp with time zone '2026-11-30 07:00:00+02:00')");
        assertThat(probe.newest("crm.deals", "synced")).contains(Instant.parse("2026-11-30T05:00:00Z"));
    }

    @Test
    void emptyTableHasNoNewestRow() throws SQLException {
        execute("create table \"crm\".\"empty\" (\"at\" timestamp)");
        assertThat(probe.newest("crm.empty", "at")).isEmpty();
    }

    @Test
    void identifiersAreQuotedSoOddNamesWorkAndCannotInjectSql() throws SQLException {
        execute("create table \"crm\".\"Odd \"\"Name\" (\"when; drop\" timestamp)");
        execute("insert into \"crm\".\"Odd \"\"Name\" values (timestamp '2026-01-02 03:04:05')");
        assertThat(probe.newest("crm.Odd \"Name", "when; drop")).contains(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(JdbcTableAgeProbe.qualified("a.b")).isEqualTo("\"a\".\"b\"");
        assertThatThrownBy(() -> probe.newest("crm.contacts\"; drop schema \"crm", "x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JdbcTableAgeProbe.qualified("a..b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingTableIsAnErrorNamingIt() {
        assertThatThrownBy(() -> probe.newest("crm.nope", "at"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("crm.nope");
    }
}
