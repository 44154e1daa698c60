package dev.tributary.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Calls made, by outcome: answers by status, retries, 429s, connection failures, waits imposed by the limiter. */
public final class RequestCounters {
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder tooMany = new LongAdder();
    private final LongAdder connectionFailures = new LongAdder();
    private final LongAdder throttledWaits = new LongAdder();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

    void request() { requests.increment(); }
    void retry() { retries.increment(); }
    void tooMany() { tooMany.increment(); }
    void connectionFailure() { connectionFailures.increment(); }
    void throttled() { throttledWaits.increment(); }
    void status(int status) { byStatus.computeIfAbsent(status, s -> new LongAdder()).increment(); }

    /** Requests sent, including retries. */
    public long requests() { return requests.sum(); }
    public long retries() { return retries.sum(); }
    public long tooManyRequests() { return tooMany.sum(); }
    public long connectionFailures() { return connectionFailures.sum(); }
    /** Times the limiter made a caller wait before sending. */
    public long throttledWaits() { return throttledWaits.sum(); }

    public Map<Integer, Long> byStatus() {
        Map<Integer, Long> out = new TreeMap<>();
        byStatus.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String toString() {
        return "requests=" + requests() + " retries=" + retries() + " 429s=" + tooManyRequests()
                + " connectionFailures=" + connectionFailures() + " throttled=" + throttledWaits() + " byStatus=" + byStatus();
    }
}
