package dev.tributary.source.wrike;

import dev.tributary.http.Sleeper;
import java.time.Clock;
import java.time.Duration;

/**
 * Pacing for a limit that sends no headers: a token bucket refilled at the documented rate (400 requests per minute
 * per user by default, about 6.7 per second), shared by every stream of one account. The bucket holds one token:
 * Wrike counts per second, and a bucket that saved up a second's worth would let two seconds' worth through in one
 * (a burst of b plus the refill), which Wrike answers with 429. A 429
 * halves the rate and waits with exponential backoff; each run of successes wins some of the rate back.
 */
final class WrikePacer {
    private final Clock clock;
    private final Sleeper sleeper;
    private final double maxRate;
    private final double burst;
    private double rate;
    private double tokens;
    private long last;
    private int consecutive429;
    private int successes;
    long waits;
    long tooMany;

    WrikePacer(int requestsPerMinute, Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.maxRate = requestsPerMinute / 60.0;
        this.burst = 1;
        this.rate = maxRate;
        this.tokens = burst;
        this.last = clock.millis();
    }

    /** Waits until a request may go. */
    void acquire() {
        Duration wait;
        synchronized (this) {
            refill();
            if (tokens >= 1) {
                tokens -= 1;
                return;
            }
            long millis = (long) Math.ceil((1 - tokens) / rate * 1000);
            tokens -= 1; // reserved: the caller goes once the wait is over
            wait = Duration.ofMillis(Math.max(1, millis));
            waits++;
        }
        sleeper.sleep(wait);
    }

    private void refill() {
        long now = clock.millis();
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) / 1000.0 * rate);
            last = now;
        }
    }

    /** The answer was 429: slow down and wait; returns the wait. */
    Duration tooManyRequests() {
        Duration wait;
        synchronized (this) {
            tooMany++;
            consecutive429++;
            successes = 0;
            rate = Math.max(maxRate / 16, rate / 2);
            tokens = Math.min(tokens, 0);
            wait = Duration.ofMillis((long) Math.min(60_000, 1000 * Math.pow(2, Math.min(6, consecutive429 - 1))));
        }
        sleeper.sleep(wait);
        return wait;
    }

    synchronized void succeeded() {
        consecutive429 = 0;
        if (rate < maxRate && ++successes >= 20) {
            rate = Math.min(maxRate, rate * 1.25);
            successes = 0;
        }
    }

    synchronized double rate() { return rate; }
    synchronized int consecutive429() { return consecutive429; }
}
