package dev.tributary.sandbox.hubspot.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests by route and status, 429s, and bytes sent. */
public final class RequestCounters {
    private final Map<String, LongAdder> byRouteAndStatus = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    void record(String method, String route, int status, long bytes) {
        requests.increment();
        if (status == 429) rateLimited.increment();
        bytesOut.add(bytes);
        byRouteAndStatus.computeIfAbsent(method + " " + route + " " + status, k -> new LongAdder()).increment();
    }

    public long requests() { return requests.sum(); }
    public long rateLimited() { return rateLimited.sum(); }
    public long bytesOut() { return bytesOut.sum(); }

    /** "METHOD /route/{id} STATUS" -> count, sorted. */
    public Map<String, Long> byRouteAndStatus() {
        Map<String, Long> out = new TreeMap<>();
        byRouteAndStatus.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** How many answers had this status. */
    public long withStatus(int status) {
        long n = 0;
        String suffix = " " + status;
        for (Map.Entry<String, LongAdder> e : byRouteAndStatus.entrySet()) if (e.getKey().endsWith(suffix)) n += e.getValue().sum();
        return n;
    }

    public void reset() {
        byRouteAndStatus.clear();
        requests.reset();
        rateLimited.reset();
        bytesOut.reset();
    }
}
