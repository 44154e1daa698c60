package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionAndThrottleTest {
    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-30T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void sessionsExpireAfterTheTimeoutAndNeverShowTheirIds() {
        ManualClock clock = new ManualClock();
        SessionStore store = new SessionStore(Duration.ofHours(12), clock);
        SessionStore.Session s = store.create("admin");
        assertThat(s.id()).matches("[0-9a-f]{64}").isNotEqualTo(s.csrfToken());
        assertThat(store.create("admin").id()).isNotEqualTo(s.id());
        assertThat(s.toString()).doesNotContain(s.id()).doesNotContain(s.csrfToken());
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertThat(store.find(s.id())).contains(s);
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.find(s.id())).isEmpty();
        assertThat(store.find("")).isEmpty();
        assertThat(store.find(null)).isEmpty();
    }

    @Test
    void lockoutStartsAfterTheFreeFailuresDoublesAndEnds() {
        ManualClock clock = new ManualClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) throttle.failed("10.0.0.1");
        assertThat(throttle.lockedFor("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofSeconds(1));
        throttle.failed("10.0.0.1");
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofSeconds(2));
        assertThat(throttle.lockedFor("10.0.0.2")).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(throttle.lockedFor("10.0.0.1")).isEmpty();
        for (int i = 0; i < 40; i++) throttle.failed("10.0.0.1");
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofMinutes(15));
        throttle.succeeded("10.0.0.1");
        assertThat(throttle.failures("10.0.0.1")).isZero();
    }
}
