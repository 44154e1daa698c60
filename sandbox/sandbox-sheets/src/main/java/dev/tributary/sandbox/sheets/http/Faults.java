package dev.tributary.sandbox.sheets.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Injected trouble: a share of 5xx answers, added latency, dropped connections (half a body), 429 storms, an unreachable API. */
public final class Faults {
    private volatile double errorRate;
    private volatile long latencyMillis;
    private volatile boolean outage;
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicInteger storm = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();

    public Faults(double errorRate) { this.errorRate = errorRate; }

    public void errorRate(double rate) {
        if (rate < 0 || rate > 1) throw new IllegalArgumentException("error rate must be 0..1: " + rate);
        this.errorRate = rate;
    }
    public void latencyMillis(long ms) { this.latencyMillis = Math.max(0, ms); }
    public void dropConnections(int n) { drops.set(Math.max(0, n)); }
    public void storm429(int n) { storm.set(Math.max(0, n)); }
    /** The next {@code n} API calls answer 503. */
    public void serverErrors(int n) { errors.set(Math.max(0, n)); }
    /** While on, API and token requests get their connection closed with no answer, like an unreachable host. */
    public void outage(boolean on) { this.outage = on; }
    public boolean outage() { return outage; }
    public void clear() { outage = false; errorRate = 0; latencyMillis = 0; drops.set(0); storm.set(0); errors.set(0); }

    public long latencyMillis() { return latencyMillis; }
    public double errorRate() { return errorRate; }
    boolean takeDrop() { return take(drops); }
    boolean takeStorm() { return take(storm); }

    /** 0 or the status of an injected server error (500 or 503). */
    int serverError() {
        if (take(errors)) return 503;
        double r = errorRate;
        if (r <= 0) return 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        return rnd.nextDouble() < r ? (rnd.nextBoolean() ? 500 : 503) : 0;
    }

    private static boolean take(AtomicInteger n) {
        return n.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
    }
}
