package dev.tributary.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final FakeTime time = new FakeTime();

    private static HttpHeaders headers(Map<String, String> values) {
        return HttpHeaders.of(values.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
                (a, b) -> true);
    }

    private static final RateLimiter.HeaderNames NAMES = new RateLimiter.HeaderNames("X-Max", "X-Remaining", "X-Interval", "X-Daily", "X-Daily-Remaining");

    @Test
    void aRollingWindowAdmitsItsLimitThenWaitsForTheOldestCallToLeave() {
        RateLimiter limiter = RateLimiter.builder().clock(time).sleeper(time).utilization(1.0).window(5, Duration.ofSeconds(1)).build();
        long start = time.millis();
        for (int i = 0; i < 15; i++) limiter.release(limiter.acquire(""), Optional.empty());
        // 15 calls at 5 per second: the last five could start only after two full windows
        assertThat(time.elapsedSince(start)).isBetween(2000L, 2100L);
        assertThat(time.sleeps).isNotEmpty();
    }

    @Test
    void headersTeachTheLimitAndCallsOthersMade() {
        RateLimiter limiter = RateLimiter.builder().clock(time).sleeper(time).headers(NAMES).utilization(1.0).window(100, Duration.ofSeconds(10)).build();
        limiter.release(limiter.acquire(""), Optional.of(headers(Map.of("X-Max", "10", "X-Remaining", "0", "X-Interval", "10000"))));
        assertThat(limiter.windowLimit()).isEqualTo(10);
        long start = time.millis();
        limiter.release(limiter.acquire(""), Optional.empty());
        // the server had counted ten calls: the next waits out the window
        assertThat(time.elapsedSince(start)).isGreaterThanOrEqualTo(10_000L);
    }

    @Test
    void bucketsAreCountedApart() {
        RateLimiter limiter = RateLimiter.builder().clock(time).sleeper(time).utilization(1.0).window(100, Duration.ofSeconds(10))
                .bucket("search", 2, Duration.ofSeconds(1)).build();
        for (int i = 0; i < 2; i++) limiter.release(limiter.acquire("search"), Optional.empty());
        long start = time.millis();
        limiter.release(limiter.acquire(""), Optional.empty());
        assertThat(time.elapsedSince(start)).isZero();
        limiter.release(limiter.acquire("search"), Optional.empty());
        assertThat(time.elapsedSince(start)).isGreaterThanOrEqualTo(1000L);
    }

    @Test
    void theDailyShareStopsCallers() {
        RateLimiter limiter = RateLimiter.builder().clock(time).sleeper(time).headers(NAMES).dailyBudgetShare(0.5).apiName("Demo").build();
        limiter.release(limiter.acquire(""), Optional.of(headers(Map.of("X-Daily", "1000", "X-Daily-Remaining", "600"))));
        limiter.release(limiter.acquire(""), Optional.of(headers(Map.of("X-Daily", "1000", "X-Daily-Remaining", "500"))));
        assertThatThrownBy(() -> limiter.acquire("")).isInstanceOf(RateLimitStopException.class)
                .hasMessageContaining("Demo daily budget spent: 500 of 1000").hasMessageContaining("50%");
    }
}
