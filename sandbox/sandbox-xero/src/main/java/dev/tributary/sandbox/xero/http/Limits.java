package dev.tributary.sandbox.xero.http;

import dev.tributary.sandbox.xero.SandboxClock;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Xero's limits: per app and tenant 60 calls in any rolling minute, 5,000 in any rolling 24 hours and 5 in flight; per
 * app 10,000 a minute across tenants. Windows run on the sandbox clock. With limits off nothing is counted and the
 * headers show full budgets.
 */
public final class Limits {
    /** The outcome for one call: headers to send and, when refused, the problem and seconds to wait. */
    public record Decision(String problem, Map<String, String> headers, long retryAfterSeconds) {
        public boolean allowed() { return problem == null; }
    }

    private static final long MINUTE = 60_000;
    private static final long DAY = 86_400_000;

    private final SandboxClock clock;
    private final XeroSandboxOptions options;
    private volatile boolean enabled;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, Window> apps = new ConcurrentHashMap<>();

    private final class Tenant {
        final Window minute = new Window(options.minuteLimit(), MINUTE);
        final Window day = new Window(options.dailyLimit(), DAY);
        final AtomicInteger inFlight = new AtomicInteger();
    }

    public Limits(XeroSandboxOptions options, SandboxClock clock) {
        this.clock = clock;
        this.options = options;
        this.enabled = options.rateLimitsEnabled();
    }

    public void setEnabled(boolean on) { enabled = on; }
    public boolean enabled() { return enabled; }

    public void reset() {
        tenants.clear();
        apps.clear();
    }

    /** Counts a call of {@code app} on {@code tenant}, or refuses it. An allowed call must be {@link #release}d. */
    public Decision acquire(String app, String tenant) {
        long now = clock.millis();
        Tenant t = tenants.computeIfAbsent(app + "|" + tenant, k -> new Tenant());
        Window a = apps.computeIfAbsent(app, k -> new Window(options.appMinuteLimit(), MINUTE));
        if (!enabled) {
            // limits off: nothing is counted, the headers show full budgets (a client never slows down for nothing)
            t.inFlight.incrementAndGet();
            return new Decision(null, Map.of("X-DayLimit-Remaining", Integer.toString(options.dailyLimit()),
                    "X-MinLimit-Remaining", Integer.toString(options.minuteLimit()),
                    "X-AppMinLimit-Remaining", Integer.toString(options.appMinuteLimit())), 1);
        }
        synchronized (t) {
            synchronized (a) {
                t.minute.expire(now);
                t.day.expire(now);
                a.expire(now);
                String problem = null;
                long retry = 0;
                {
                    if (t.day.full()) { problem = "day"; retry = t.day.retryAfterMillis(now); }
                    else if (t.minute.full()) { problem = "minute"; retry = t.minute.retryAfterMillis(now); }
                    else if (a.full()) { problem = "appminute"; retry = a.retryAfterMillis(now); }
                    else if (t.inFlight.get() >= options.concurrentLimit()) { problem = "concurrent"; retry = 1000; }
                }
                if (problem == null) {
                    t.minute.add(now);
                    t.day.add(now);
                    a.add(now);
                    t.inFlight.incrementAndGet();
                }
                Map<String, String> h = new LinkedHashMap<>();
                h.put("X-DayLimit-Remaining", Integer.toString(t.day.remaining()));
                h.put("X-MinLimit-Remaining", Integer.toString(t.minute.remaining()));
                h.put("X-AppMinLimit-Remaining", Integer.toString(a.remaining()));
                return new Decision(problem, h, Math.max(1, (retry + 999) / 1000));
            }
        }
    }

    public void release(String app, String tenant) {
        Tenant t = tenants.get(app + "|" + tenant);
        if (t != null) t.inFlight.decrementAndGet();
    }

    /** A rolling window of the last {@code capacity} call times. */
    private static final class Window {
        final long[] times;
        final long span;
        int head;
        int size;

        Window(int capacity, long span) {
            this.times = new long[capacity];
            this.span = span;
        }

        void expire(long now) {
            while (size > 0 && times[head] <= now - span) {
                head = (head + 1) % times.length;
                size--;
            }
        }

        boolean full() { return size == times.length; }

        long retryAfterMillis(long now) { return times[head] + span - now; }

        void add(long now) {
            times[(head + size) % times.length] = now;
            size++;
        }

        int remaining() { return times.length - size; }
    }
}
