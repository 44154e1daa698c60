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
    public void dropConnections(int requests) { dropRemaining.set(Math.max(0, requests)); }
    public double errorRate() { return errorRate; }
    public long latencyMillis() { return latencyMillis; }

    public void clear() {
        errorRate = 0;
        latencyMillis = 0;
        stormRemaining.set(0);
        dropRemaining.set(0);
    }

    /** True when this request falls in a 429 storm; the answer alternates sending Retry-After. */
    boolean takeStorm() {
        return stormRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
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
