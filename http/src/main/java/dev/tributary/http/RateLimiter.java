package dev.tributary.http;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One account's budget, shared by every thread that calls on its behalf. Each bucket is a rolling window (the
 * default bucket {@code ""}, and others such as a per-second search bucket); a call waits until its bucket has
 * room. Calls are counted from the moment they are sent until their answer arrives, then stamped with the time
 * of the answer, which is never earlier than the server counted them: the estimate errs on the safe side.
 *
 * <p>The default window is fed by response headers when the API sends them (limit, remaining, interval): when
 * the server has counted more than we did (other apps on the account), the difference is booked as well. A daily
 * budget read from headers stops callers with {@link RateLimitStopException} once the configured share is used.
 */
public final class RateLimiter {
    /** Names of the headers that describe the limits; any may be null when the API does not send it. */
    public record HeaderNames(String max, String remaining, String intervalMillis, String daily, String dailyRemaining) {
        public static final HeaderNames NONE = new HeaderNames(null, null, null, null, null);
    }

    private static final class Window {
        int limit;
        long intervalMillis;
        final ArrayDeque<Long> stamps = new ArrayDeque<>();
        int inFlight;

        Window(int limit, long intervalMillis) {
            this.limit = limit;
            this.intervalMillis = intervalMillis;
        }

        void prune(long now) {
            while (!stamps.isEmpty() && stamps.peekFirst() <= now - intervalMillis) stamps.pollFirst();
        }

        long waitMillis(long now, double utilization) {
            prune(now);
            int allowed = Math.max(1, (int) Math.floor(limit * utilization));
            if (stamps.size() + inFlight < allowed) return 0;
            if (stamps.isEmpty()) return Math.max(1, intervalMillis / 100);
            // enough stamps must leave the window for the in-flight calls and this one to fit
            int mustLeave = stamps.size() + inFlight - allowed + 1;
            long t = 0;
            int k = 0;
            for (long s : stamps) {
                t = s;
                if (++k >= mustLeave) break;
            }
            if (k < mustLeave) return Math.max(1, intervalMillis / 100);
            return Math.max(1, t + intervalMillis - now + 1);
        }
    }

    /** A call admitted by {@link #acquire}; hand it back to {@link #release} once answered (or failed). */
    public static final class Permit {
        private final String bucket;
        private boolean released;

        private Permit(String bucket) {
            this.bucket = bucket;
        }
    }

    private final Clock clock;
    private final Sleeper sleeper;
    private final HeaderNames headers;
    private final double utilization;
    private final double dailyBudgetShare;
    private final String apiName;
    private final Map<String, Window> windows = new HashMap<>();
    private long dailyLimit = -1;
    private long dailyRemaining = -1;
    private long dailyLearnedAt;
    // a daily figure goes stale: the limit resets at midnight (in the account's time zone), so it is trusted this long
    private static final long DAILY_KNOWLEDGE_MILLIS = 15 * 60 * 1000L;
    private final RequestCounters counters;

    private RateLimiter(Builder b) {
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.headers = b.headers;
        this.utilization = b.utilization;
        this.dailyBudgetShare = b.dailyBudgetShare;
        this.apiName = b.apiName;
        this.counters = b.counters;
        windows.put("", new Window(b.defaultLimit, b.defaultInterval.toMillis()));
        b.buckets.forEach((name, w) -> windows.put(name, new Window(w.limit, w.intervalMillis)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Blocks until {@code bucket} has room, then books the call. Throws {@link RateLimitStopException} when the daily share is spent. */
    public Permit acquire(String bucket) {
        String key = windows.containsKey(bucket) ? bucket : "";
        while (true) {
            long wait;
            synchronized (this) {
                checkDailyBudget();
                Window w = windows.get(key);
                wait = w.waitMillis(clock.millis(), utilization);
                if (wait == 0) {
                    w.inFlight++;
                    return new Permit(key);
                }
            }
            if (counters != null) counters.throttled();
            sleeper.sleep(Duration.ofMillis(wait));
        }
    }

    /** The call is over; {@code answer} holds the headers of its response, if one came. */
    public void release(Permit permit, Optional<HttpHeaders> answer) {
        synchronized (this) {
            if (permit.released) return;
            permit.released = true;
            Window w = windows.get(permit.bucket);
            long now = clock.millis();
            w.inFlight--;
            w.stamps.addLast(now);
            if (permit.bucket.isEmpty()) answer.ifPresent(h -> learn(w, h, now));
            if (!permit.bucket.isEmpty()) answer.ifPresent(this::learnDaily);
        }
    }

    private void learn(Window w, HttpHeaders h, long now) {
        long max = number(h, headers.max());
        long interval = number(h, headers.intervalMillis());
        if (max > 0) w.limit = (int) max;
        if (interval > 0) w.intervalMillis = interval;
        long remaining = number(h, headers.remaining());
        if (max > 0 && remaining >= 0) {
            w.prune(now);
            long serverUsed = max - remaining;
            long ours = w.stamps.size() + w.inFlight;
            for (long i = ours; i < serverUsed; i++) w.stamps.addLast(now);
        }
        learnDaily(h);
    }

    private void learnDaily(HttpHeaders h) {
        long daily = number(h, headers.daily());
        long dailyLeft = number(h, headers.dailyRemaining());
        if (daily > 0 && dailyLeft >= 0) {
            dailyLimit = daily;
            dailyRemaining = dailyLeft;
            dailyLearnedAt = clock.millis();
        }
    }

    private void checkDailyBudget() {
        if (dailyLimit <= 0 || clock.millis() - dailyLearnedAt > DAILY_KNOWLEDGE_MILLIS) return;
        long used = dailyLimit - dailyRemaining;
        if (used >= (long) Math.floor(dailyLimit * dailyBudgetShare)) {
            throw new RateLimitStopException(apiName + " daily budget spent: " + used + " of " + dailyLimit
                    + " calls used today" + (dailyBudgetShare < 1 ? ", and this connection may use "
                    + Math.round(dailyBudgetShare * 100) + "% of them" : "") + ". Progress up to the last checkpoint is kept;"
                    + " the next sync resumes from there once the daily limit resets.");
        }
    }

    /** The limit of the default window, as configured or last learned from headers. */
    public synchronized int windowLimit() {
        return windows.get("").limit;
    }

    /** Calls the default window still admits now (limit minus calls booked in the window and in flight). */
    public synchronized int windowHeadroom() {
        Window w = windows.get("");
        w.prune(clock.millis());
        return Math.max(0, w.limit - w.stamps.size() - w.inFlight);
    }

    /** Calls left today as the server last reported them (-1 when it has not said). */
    public synchronized long dailyRemaining() {
        return dailyRemaining;
    }

    /** Milliseconds until the oldest booked call leaves the default window (at least 1). */
    public synchronized long millisUntilWindowFrees(String bucket) {
        Window w = windows.getOrDefault(bucket, windows.get(""));
        long now = clock.millis();
        w.prune(now);
        if (w.stamps.isEmpty()) return Math.max(1, w.intervalMillis / 10);
        return Math.max(1, w.stamps.peekFirst() + w.intervalMillis - now + 1);
    }

    /** Interval of a bucket's window in milliseconds. */
    public synchronized long intervalMillis(String bucket) {
        return windows.getOrDefault(bucket, windows.get("")).intervalMillis;
    }

    /** Books a full window for {@code bucket}, as a 429 says the server counts it so. */
    public synchronized void markExhausted(String bucket) {
        Window w = windows.getOrDefault(bucket, windows.get(""));
        long now = clock.millis();
        w.prune(now);
        int allowed = Math.max(1, (int) Math.floor(w.limit * utilization));
        for (int i = w.stamps.size() + w.inFlight; i < allowed; i++) w.stamps.addLast(now);
    }

    private static long number(HttpHeaders h, String name) {
        if (name == null) return -1;
        Optional<String> v = h.firstValue(name);
        if (v.isEmpty()) return -1;
        try {
            return Long.parseLong(v.get().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static final class Builder {
        private record BucketLimit(int limit, long intervalMillis) {}

        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private HeaderNames headers = HeaderNames.NONE;
        private double utilization = 0.98;
        private double dailyBudgetShare = 1.0;
        private String apiName = "API";
        private int defaultLimit = 100;
        private Duration defaultInterval = Duration.ofSeconds(10);
        private final Map<String, BucketLimit> buckets = new HashMap<>();
        private RequestCounters counters;

        public Builder clock(Clock v) { clock = v; return this; }
        public Builder sleeper(Sleeper v) { sleeper = v; return this; }
        public Builder headers(HeaderNames v) { headers = v; return this; }
        /** Share of a window to use (0..1]; a little headroom avoids 429s from clock differences. */
        public Builder utilization(double v) {
            if (v <= 0 || v > 1) throw new IllegalArgumentException("utilization must be in (0, 1]");
            utilization = v; return this;
        }
        /** Share (0..1] of the daily budget this account's callers may use before they are stopped. */
        public Builder dailyBudgetShare(double v) {
            if (v <= 0 || v > 1) throw new IllegalArgumentException("daily budget share must be in (0, 1]");
            dailyBudgetShare = v; return this;
        }
        public Builder apiName(String v) { apiName = v; return this; }
        /** The default window until headers say otherwise. */
        public Builder window(int limit, Duration interval) { defaultLimit = limit; defaultInterval = interval; return this; }
        /** A separate bucket, such as search calls limited per second apart from the default window. */
        public Builder bucket(String name, int limit, Duration interval) {
            if (name.isEmpty()) throw new IllegalArgumentException("the default bucket is set with window()");
            buckets.put(name, new BucketLimit(limit, interval.toMillis())); return this;
        }
        public Builder counters(RequestCounters v) { counters = v; return this; }

        public RateLimiter build() {
            return new RateLimiter(this);
        }
    }
}
