package dev.tributary.sandbox.wrike.http;

import dev.tributary.sandbox.wrike.SandboxClock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrike's pace: about N requests per minute per user, counted per second (so at most ceil(N/60) in any rolling
 * second). Over it: 429 without any rate-limit headers. Windows run on the sandbox clock; enforcement can be
 * switched off.
 */
public final class Limits {
    private final SandboxClock clock;
    private final int perSecond;
    private volatile boolean enabled;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    public Limits(SandboxClock clock, int requestsPerMinute, boolean enabled) {
        this.clock = clock;
        this.perSecond = Math.max(1, (requestsPerMinute + 59) / 60);
        this.enabled = enabled;
    }

    public void setEnabled(boolean on) { enabled = on; }
    public boolean enabled() { return enabled; }
    public int perSecond() { return perSecond; }
    public void reset() { windows.clear(); }

    /** Admits one request for {@code user}, or answers false when the last second already had its share. */
    public boolean acquire(String user) {
        if (!enabled) return true;
        long now = clock.millis();
        long[] ring = windows.computeIfAbsent(user, k -> new long[perSecond + 1]); // [0] = next slot; then times
        synchronized (ring) {
            int slot = (int) ring[0];
            long oldest = ring[1 + slot];
            if (oldest != 0 && oldest > now - 1000) return false;
            ring[1 + slot] = now == 0 ? 1 : now;
            ring[0] = (slot + 1) % perSecond;
            return true;
        }
    }
}
