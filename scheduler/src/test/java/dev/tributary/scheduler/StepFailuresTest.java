package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.ConfigException;
import dev.tributary.spi.TransientException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepFailuresTest {
    @Test
    void lostConnectionsTimeoutsRateLimitsAndLocksAreTransient() {
        assertThat(StepFailures.isTransient(new TransientException("HubSpot still failing after 5 attempts"))).isTrue();
        assertThat(StepFailures.isTransient(new IllegalStateException("sync failed", new SQLException("connection lost", "08006")))).isTrue();
        assertThat(StepFailures.isTransient(new SQLException("could not serialize access", "40001"))).isTrue();
        assertThat(StepFailures.isTransient(new SQLException("FATAL: terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(StepFailures.isTransient(new SQLTransientConnectionException("pool exhausted"))).isTrue();
        assertThat(StepFailures.isTransient(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
        assertThat(StepFailures.isTransient(new RuntimeException(new SocketTimeoutException("Read timed out")))).isTrue();
        assertThat(StepFailures.isTransient(new RuntimeException("GET /contacts: HTTP 429 Too Many Requests"))).isTrue();
        assertThat(StepFailures.isTransient(new RuntimeException("POST /token: status 503"))).isTrue();
        assertThat(StepFailures.isTransient(new SQLException("IO Error: Could not set lock on file \"w.duckdb\": Conflicting lock is held in java"))).isTrue();
        // serve's UI has the file open read-only while a build step opens it read-write in the same JVM
        assertThat(StepFailures.isTransient(new SQLException("Connection Error: Can't open a connection to same database file with a different configuration than existing connections"))).isTrue();
        assertThat(StepFailures.isTransient(new dev.tributary.spi.WarehouseBusyException("connection hubspot is being written to by tributary sync hubspot", null))).isTrue();
    }

    @Test
    void sqlErrorsConfigurationErrorsRefusedCredentialsAndBugsAreNot() {
        assertThat(StepFailures.isTransient(new SQLException("ERROR: syntax error at or near \"selec\"", "42601"))).isFalse();
        assertThat(StepFailures.isTransient(new SQLException("Binder Error: Referenced column \"timeout\" not found in FROM clause"))).isFalse();
        assertThat(StepFailures.isTransient(new SQLException("Parser Error: syntax error at or near \"retry_after_503\""))).isFalse();
        assertThat(StepFailures.isTransient(new SQLException("IO Error: No files found that match the pattern \"data/*.csv\""))).isFalse();
        assertThat(StepFailures.isTransient(new ConfigException("tributary.yml:3", "connections.x.basepath", "unknown key"))).isFalse();
        assertThat(StepFailures.isTransient(new RuntimeException("GET /contacts: HTTP 401 Unauthorized"))).isFalse();
        assertThat(StepFailures.isTransient(new NullPointerException())).isFalse();
        assertThat(StepFailures.looksTransient("model orders fail: 3 rows with null id")).isFalse();
        assertThat(StepFailures.looksTransient(null)).isFalse();
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertThat(HumanDuration.format(Duration.ofMillis(125_123))).isEqualTo("2m 05s");
        assertThat(HumanDuration.format(Duration.ofMillis(250))).isEqualTo("0.3s");
        assertThat(HumanDuration.format(Duration.ofMillis(4_200))).isEqualTo("4.2s");
        assertThat(HumanDuration.format(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(HumanDuration.format(Duration.ofMillis(42_900))).isEqualTo("42s");
        assertThat(HumanDuration.format(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(HumanDuration.format(Duration.ofSeconds(3_660))).isEqualTo("1h 01m");
        assertThat(HumanDuration.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(HumanDuration.format(Duration.ofHours(51))).isEqualTo("2d 03h");
        assertThat(HumanDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("0s");
    }
}
