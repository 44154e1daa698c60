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

    /** One wrong login as the server makes it: counted when it starts, then reported as failed. */
    private static java.util.Optional<Duration> wrongLogin(LoginThrottle throttle, String address) {
        java.util.Optional<Duration> locked = throttle.tryAttempt(address);
        if (locked.isEmpty()) throttle.failed(address);
        return locked;
    }

    @Test
    void lockoutStartsAfterTheFreeFailuresDoublesAndEnds() {
        ManualClock clock = new ManualClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) assertThat(wrongLogin(throttle, "10.0.0.1")).isEmpty();
        assertThat(throttle.lockedFor("10.0.0.1")).isEmpty();
        assertThat(wrongLogin(throttle, "10.0.0.1")).isEmpty();
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofSeconds(1));
        assertThat(wrongLogin(throttle, "10.0.0.1")).contains(Duration.ofSeconds(1));
        assertThat(throttle.failures("10.0.0.1")).isEqualTo(LoginThrottle.FREE_FAILURES + 1); // a refused attempt is not counted
        assertThat(throttle.lockedFor("10.0.0.2")).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(wrongLogin(throttle, "10.0.0.1")).isEmpty();
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 40; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(wrongLogin(throttle, "10.0.0.1")).isEmpty();
        }
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofMinutes(15));
        throttle.succeeded("10.0.0.1");
        assertThat(throttle.failures("10.0.0.1")).isZero();
        assertThat(throttle.lockedFor("10.0.0.1")).isEmpty();
    }

    @Test
    void anAttemptCountsBeforeItsResultIsKnown() {
        LoginThrottle throttle = new LoginThrottle(new ManualClock());
        // six attempts in flight at once (none has finished its hash): the seventh is refused already
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) assertThat(throttle.tryAttempt("10.0.0.1")).isEmpty();
        assertThat(throttle.tryAttempt("10.0.0.1")).isPresent();
    }

    @Test
    void aFloodOfNewAddressesNeverFreesALockedOne() {
        ManualClock clock = new ManualClock();
        LoginThrottle throttle = new LoginThrottle(clock, LoginThrottle.MAX_ADDRESSES, Integer.MAX_VALUE);
        for (int i = 0; i < 12; i++) {
            throttle.lockedFor("10.0.0.1").ifPresent(clock::advance);
            wrongLogin(throttle, "10.0.0.1");
        }
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.ofSeconds(64));
        java.time.Instant lockedUntil = clock.instant().plus(throttle.lockedFor("10.0.0.1").orElseThrow());
        // 25,000 other addresses, one wrong guess each (more than the throttle remembers)
        for (int i = 0; i < 25_000; i++) {
            clock.advance(Duration.ofMillis(1));
            wrongLogin(throttle, "192.168." + (i / 250) + "." + (i % 250));
        }
        assertThat(throttle.rememberedAddresses()).isLessThanOrEqualTo(LoginThrottle.MAX_ADDRESSES);
        assertThat(throttle.lockedFor("10.0.0.1")).contains(Duration.between(clock.instant(), lockedUntil));
        assertThat(throttle.failures("10.0.0.1")).isEqualTo(12);
        // the newest unlocked addresses are still remembered; the oldest ones were forgotten first
        assertThat(throttle.failures("192.168.99.249")).isEqualTo(1);
        assertThat(throttle.failures("192.168.0.0")).isZero();
    }

    @Test
    void whenEveryRememberedAddressIsLockedTheOneEndingSoonestIsForgotten() {
        ManualClock clock = new ManualClock();
        LoginThrottle throttle = new LoginThrottle(clock, 3, Integer.MAX_VALUE);
        for (int i = 0; i < 6; i++) wrongLogin(throttle, "10.0.0.1");   // locked 1 s
        clock.advance(Duration.ofSeconds(1));
        wrongLogin(throttle, "10.0.0.1");                                // locked 2 s from now
        for (int i = 0; i < 6; i++) wrongLogin(throttle, "10.0.0.2");   // locked until now + 1 s
        clock.advance(Duration.ofMillis(100));
        for (int i = 0; i < 6; i++) wrongLogin(throttle, "10.0.0.3");   // locked until now + 1 s, 100 ms after 10.0.0.2
        clock.advance(Duration.ofMillis(500));
        wrongLogin(throttle, "10.0.0.4");                                // full, all locked: the lockout ending first goes
        assertThat(throttle.failures("10.0.0.2")).isZero();
        assertThat(throttle.failures("10.0.0.3")).isEqualTo(6);
        assertThat(throttle.failures("10.0.0.4")).isEqualTo(1);
        assertThat(throttle.lockedFor("10.0.0.1")).isPresent();
        assertThat(throttle.rememberedAddresses()).isEqualTo(3);
    }

    @Test
    void wrongGuessesFromManyAddressesNeverLockOutAnAddressWithoutFailures() {
        ManualClock clock = new ManualClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        // before the fix 20 wrong guesses from anywhere refused every address, the admin's included
        for (int i = 0; i < 200; i++) assertThat(wrongLogin(throttle, "10.1." + (i / 250) + "." + (i % 250))).isEmpty();
        assertThat(throttle.lockedFor("10.2.0.1")).isEmpty();
        assertThat(throttle.tryAttempt("10.2.0.1")).isEmpty();
        throttle.succeeded("10.2.0.1");
        assertThat(throttle.failures("10.2.0.1")).isZero();
    }

    @Test
    void manyAddressesTogetherHashAtTheSharedPaceAndWaitTheirTurn() {
        ManualClock clock = new ManualClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        Duration interval = Duration.ofSeconds(1).dividedBy(LoginThrottle.HASHES_PER_SECOND);
        // a burst of 40 attempts from 40 addresses: the n-th waits n turns, none is refused
        for (int i = 0; i < 40; i++) {
            assertThat(throttle.tryAttempt("10.3.0." + i)).isEmpty();
            assertThat(throttle.reserveHash()).isEqualTo(interval.multipliedBy(i));
        }
        // the admin's attempt joins the queue behind them and gets its turn 10 s later
        assertThat(throttle.tryAttempt("10.4.0.1")).isEmpty();
        assertThat(throttle.reserveHash()).isEqualTo(interval.multipliedBy(40));
        // once the queue has drained, a turn is free at once again
        clock.advance(interval.multipliedBy(41));
        assertThat(throttle.reserveHash()).isZero();
        assertThat(throttle.reserveHash()).isEqualTo(interval);
    }
}
