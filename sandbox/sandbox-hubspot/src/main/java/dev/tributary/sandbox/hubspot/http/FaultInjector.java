package dev.tributary.sandbox.hubspot.http;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** Faults the control API can switch on: random 5xx, added latency, 429 storms and connections dropped mid-body. */
public final class FaultInjector {
    private volatile double errorRate;
    private volatile long latencyMillis;
    private final AtomicInteger stormRemaining = new AtomicInteger();
    private final AtomicInteger dropRemaining = new AtomicInteger();
    private final AtomicInteger stormCount = new AtomicInteger();
    /** 429 storms of single accounts (hub id to requests left), and the 429s each account got from them. */
    private final java.util.Map<Long, AtomicInteger> hubStorms = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Long, AtomicInteger> hubStormed = new java.util.concurrent.ConcurrentHashMap<>();
    private final Random random;

    public FaultInjector(double errorRate, long seed) {
        this.errorRate = errorRate;
        this.random = new Random(seed);
    }

    public void setErrorRate(double rate) {
        if (rate < 0 || rate > 1) throw new IllegalArgumentException("error rate must be 0..1");
        errorRate = rate;
    }

    public void setLatencyMillis(long millis) { latencyMillis = Math.max(0, millis); }
    public void storm429(int requests) { stormRemaining.set(Math.max(0, requests)); }
    /** The next {@code requests} CRM calls of one account (hub) answer 429; other accounts are not affected. */
    public void storm429(long hubId, int requests) { hubStorms.put(hubId, new AtomicInteger(Math.max(0, requests))); }
    /** 429s one account got from its own storm. */
    public int stormed429(long hubId) { return hubStormed.getOrDefault(hubId, new AtomicInteger()).get(); }
    public void dropConnections(int requests) { dropRemaining.set(Math.max(0, requests)); }
    public double errorRate() { return errorRate; }
    public long latencyMillis() { return latencyMillis; }

    public void clear() {
        errorRate = 0;
        latencyMillis = 0;
        stormRemaining.set(0);
        dropRemaining.set(0);
        hubStorms.clear();
    }

    /** True when this request falls in a 429 storm; the answer alternates sending Retry-After. */
    boolean takeStorm(long hubId) {
        if (stormRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) return true;
        AtomicInteger own = hubStorms.get(hubId);
        if (own == null || own.getAndUpdate(n -> n > 0 ? n - 1 : 0) <= 0) return false;
        hubStormed.computeIfAbsent(hubId, h -> new AtomicInteger()).incrementAndGet();
        return true;
    }

    boolean stormSendsRetryAfter() {
        return stormCount.getAndIncrement() % 2 == 0;
    }

    boolean takeDrop() {
        return dropRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** A 5xx status for this request, or 0. */
    int serverError() {
        double rate = errorRate;
        if (rate <= 0) return 0;
        synchronized (random) {
            if (random.nextDouble() >= rate) return 0;
            int[] statuses = {500, 502, 503, 504};
            return statuses[random.nextInt(statuses.length)];
        }
    }
}
