package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.scheduler.JdbcMetadataStore;
import dev.tributary.scheduler.StoredSessions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions kept in the metadata store expire by the store's clock: serve processes whose own clocks are hours apart
 * agree on who is logged in (one whose clock runs fast does not log a fresh session out; one whose clock runs slow
 * does not accept an expired one).
 */
class StoredSessionClockTest {
    @TempDir
    Path dir;

    @Test
    void aWorkerWhoseClockRunsFastKeepsAFreshSession() {
        try (JdbcMetadataStore store = JdbcMetadataStore.h2(dir)) {
            StoredSessions stored = store.sessions().orElseThrow();
            SessionStore right = new SessionStore(Duration.ofHours(1), Clock.systemUTC(), stored, user -> java.util.Optional.of(Role.ADMIN));
            SessionStore fast = new SessionStore(Duration.ofHours(1), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), stored, user -> java.util.Optional.of(Role.ADMIN));
            SessionStore.Session s = right.create("admin");
            assertThat(fast.find(s.id())).as("logged in on the worker whose clock is 2 h fast").map(SessionStore.Session::user).contains("admin");
            SessionStore.Session other = fast.create("admin");
            assertThat(right.find(other.id())).as("a session the fast worker made lasts its hour, not an hour less two").isPresent();
            assertThat(other.expiresAt()).isBefore(java.time.Instant.now().plus(Duration.ofMinutes(61)));
        }
    }

    @Test
    void aWorkerWhoseClockRunsSlowRefusesAnExpiredSession() {
        try (JdbcMetadataStore store = JdbcMetadataStore.h2(dir)) {
            StoredSessions stored = store.sessions().orElseThrow();
            SessionStore right = new SessionStore(Duration.ofMillis(200), Clock.systemUTC(), stored, user -> java.util.Optional.of(Role.ADMIN));
            SessionStore slow = new SessionStore(Duration.ofMillis(200), Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)), stored, user -> java.util.Optional.of(Role.ADMIN));
            SessionStore.Session s = right.create("admin");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (right.find(s.id()).isPresent()) {
                assertThat(System.nanoTime()).as("the session expires").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertThat(slow.find(s.id())).as("expired, though the slow worker's clock says it has 2 h left").isEmpty();
        }
    }
}
