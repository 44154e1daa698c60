package dev.tributary.sandbox.hubspot.http;

import dev.tributary.sandbox.hubspot.SandboxClock;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HubSpot's limits: a rolling ten-second window per app and portal, a per-second limit for search per portal,
 * and a daily limit per portal for private apps. Windows run on the sandbox clock. Enforcement can be switched
 * off; the headers are sent either way.
 */
public final class RateLimiter {
    /** The outcome for one request: the headers to send and, when refused, the policy that refused it. */
    public record Decision(String refusedPolicy, Map<String, String> headers, Long retryAfterSeconds) {
        public boolean allowed() { return refusedPolicy == null; }
    }

    private static final long WINDOW_MILLIS = 10_000;

    private final SandboxClock clock;
    private volatile boolean enabled;
    private final int privateLimit;
    private final int oauthLimit;
    private final int searchPerSecond;
    private final int dailyLimit;
    private final Map<String, Window> tenSecond = new ConcurrentHashMap<>();
    private final Map<Long, Window> searchSecond = new ConcurrentHashMap<>();
    private final Map<String, long[]> daily = new ConcurrentHashMap<>();
    private final Map<String, Integer> peak = new ConcurrentHashMap<>();

    /** The most requests each account (app@portal) had in one rolling ten-second window so far. */
    public Map<String, Integer> peakUse() {
        return Map.copyOf(peak);
    }

    public RateLimiter(SandboxOptions options, SandboxClock clock) {
        this.clock = clock;
        this.enabled = options.rateLimitsEnabled();
        this.privateLimit = options.privateAppTenSecondLimit();
        this.oauthLimit = options.oauthAppTenSecondLimit();
        this.searchPerSecond = options.searchPerSecondLimit();
        this.dailyLimit = options.dailyLimit();
    }

    public void setEnabled(boolean on) { enabled = on; }
    public boolean enabled() { return enabled; }

    public Decision check(TokenRegistry.Caller caller, boolean search) {
        long now = clock.millis();
        if (search) {
            Window w = searchSecond.computeIfAbsent(caller.hubId(), k -> new Window(Math.max(1, searchPerSecond), 1000));
            int used = w.tryAcquire(now, enabled);
            if (used < 0) return new Decision("SECONDLY", Map.of(), null);
            return new Decision(null, Map.of(), null); // search answers carry no rate-limit headers
        }
        int max = caller.oauth() ? oauthLimit : privateLimit;
        Window w = tenSecond.computeIfAbsent(caller.appKey() + "@" + caller.hubId(), k -> new Window(Math.max(1, max), WINDOW_MILLIS));
        Map<String, String> h = new LinkedHashMap<>();
        long day = now / 86_400_000L;
        long[] dayCount = null;
        if (!caller.oauth()) {
            dayCount = daily.computeIfAbsent("hub-" + caller.hubId(), k -> new long[2]);
            synchronized (dayCount) {
                if (dayCount[0] != day) { dayCount[0] = day; dayCount[1] = 0; }
                if (enabled && dayCount[1] >= dailyLimit) {
                    return new Decision("DAILY", headers(max, 0, w, dayCount[1]), null);
                }
            }
        }
        int used = w.tryAcquire(now, enabled);
        if (used > 0) peak.merge(caller.appKey() + "@" + caller.hubId(), used, Math::max);
        if (used < 0) {
            long retry = Math.max(1, (w.oldest() + WINDOW_MILLIS - now + 999) / 1000);
            return new Decision("TEN_SECONDLY_ROLLING", headers(max, 0, w, dayCount == null ? -1 : dayCount[1]),
                    w.refusals++ % 2 == 0 ? retry : null);
        }
        long dayUsed = -1;
        if (dayCount != null) synchronized (dayCount) { dayUsed = ++dayCount[1]; }
        return new Decision(null, headers(max, Math.max(0, max - used), w, dayUsed), null);
    }

    private Map<String, String> headers(int max, int remaining, Window w, long dayUsed) {
        Map<String, String> h = new LinkedHashMap<>();
        if (dayUsed >= 0) {
            h.put("X-HubSpot-RateLimit-Daily", Integer.toString(dailyLimit));
            h.put("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(Math.max(0, dailyLimit - dayUsed)));
        }
        h.put("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(WINDOW_MILLIS));
        h.put("X-HubSpot-RateLimit-Max", Integer.toString(max));
        h.put("X-HubSpot-RateLimit-Remaining", Integer.toString(remaining));
        h.put("X-HubSpot-RateLimit-Secondly", Integer.toString(Math.max(1, max / 10)));
        h.put("X-HubSpot-RateLimit-Secondly-Remaining", Integer.toString(Math.max(0, Math.min(max / 10, remaining))));
        return h;
    }

    /** Forgets all windows and daily counts. */
    public void reset() {
        peak.clear();
        tenSecond.clear();
        searchSecond.clear();
        daily.clear();
    }

    /** A rolling window of the last {@code capacity} admitted request times. */
    private static final class Window {
        private final long[] times;
        private final long length;
        private int head;
        private int count;
        int refusals;

        Window(int capacity, long length) {
            this.times = new long[capacity];
            this.length = length;
        }

        /** Admits a request and returns how many the window now holds, or -1 when it is full and enforcing. */
        synchronized int tryAcquire(long now, boolean enforce) {
            while (count > 0 && times[head] <= now - length) {
                head = (head + 1) % times.length;
                count--;
            }
            if (count == times.length) {
                if (enforce) return -1;
                head = (head + 1) % times.length; // not enforcing: slide so the count stays meaningful
                count--;
            }
            times[(head + count) % times.length] = now;
            count++;
            return count;
        }

        synchronized long oldest() {
            return count == 0 ? 0 : times[head];
        }
    }
}
