package dev.tributary.sandbox.xero.http;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/** Faults the control API switches on: random 5xx, latency, 429 storms, dropped connections, lost token answers. */
public final class Faults {
    private volatile double errorRate;
    private volatile long latencyMillis;
    private volatile long tokenLatencyMillis;
    private volatile int maxPageSize;
    private final AtomicInteger storm = new AtomicInteger();
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicInteger lostTokenAnswers = new AtomicInteger();
    private final Random random;

    public Faults(double errorRate, long seed) {
        this.errorRate = errorRate;
        this.random = new Random(seed);
    }

    public void setErrorRate(double rate) {
        if (rate < 0 || rate > 1) throw new IllegalArgumentException("error rate must be 0..1");
        errorRate = rate;
    }

    public void setLatencyMillis(long millis) { latencyMillis = Math.max(0, millis); }
    /** The next {@code n} API calls answer 429 (minute problem, Retry-After 1). */
    public void storm429(int n) { storm.set(Math.max(0, n)); }
    /** The next {@code n} successful API answers are cut off mid-body. */
    public void dropConnections(int n) { drops.set(Math.max(0, n)); }
    /** The next {@code n} token grants are carried out (a refresh token rotates) but the answer never arrives. */
    public void loseTokenAnswers(int n) { lostTokenAnswers.set(Math.max(0, n)); }
    public long latencyMillis() { return latencyMillis; }
    /** Paged lists serve at most {@code n} documents a page whatever pageSize asks (0: as asked); pagination says so. */
    public void setMaxPageSize(int n) { maxPageSize = Math.max(0, n); }
    public int maxPageSize() { return maxPageSize; }
    /** Token grants are carried out at once but answered this much later (a client killed meanwhile never hears of them). */
    public void setTokenLatencyMillis(long millis) { tokenLatencyMillis = Math.max(0, millis); }
    public long tokenLatencyMillis() { return tokenLatencyMillis; }
    public double errorRate() { return errorRate; }

    public void clear() {
        errorRate = 0;
        latencyMillis = 0;
        tokenLatencyMillis = 0;
        maxPageSize = 0;
        storm.set(0);
        drops.set(0);
        lostTokenAnswers.set(0);
    }

    boolean takeStorm() { return storm.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0; }
    boolean takeDrop() { return drops.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0; }
    boolean takeLostTokenAnswer() { return lostTokenAnswers.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0; }

    int serverError() {
        double rate = errorRate;
        if (rate <= 0) return 0;
        synchronized (random) {
            if (random.nextDouble() >= rate) return 0;
            return new int[] {500, 502, 503, 504}[random.nextInt(4)];
        }
    }
}
