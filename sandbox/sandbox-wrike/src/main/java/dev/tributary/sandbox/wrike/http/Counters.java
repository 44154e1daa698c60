package dev.tributary.sandbox.wrike.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Requests by route and status, 429s by problem, and bytes sent: what benchmarks and tests read back. */
public final class Counters {
    private final Map<String, AtomicLong> byRoute = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rateLimited = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    void record(String method, String route, int status, long bodyBytes) {
        byRoute.computeIfAbsent(method + " " + route + " " + status, k -> new AtomicLong()).incrementAndGet();
        bytes.addAndGet(bodyBytes);
        requests.incrementAndGet();
    }

    void countRateLimited(String problem) {
        rateLimited.computeIfAbsent(problem, k -> new AtomicLong()).incrementAndGet();
    }

    public long requests() { return requests.get(); }
    public long bytesOut() { return bytes.get(); }

    /** Calls answered with {@code status} on routes starting with {@code routePrefix} (e.g. "GET /api/v4/tasks"). */
    public long count(String routePrefix, int status) {
        long n = 0;
        for (Map.Entry<String, AtomicLong> e : byRoute.entrySet()) {
            if (e.getKey().startsWith(routePrefix) && e.getKey().endsWith(" " + status)) n += e.getValue().get();
        }
        return n;
    }

    public long rateLimited(String problem) {
        AtomicLong v = rateLimited.get(problem);
        return v == null ? 0 : v.get();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byRoute.forEach((k, v) -> out.put(k, v.get()));
        rateLimited.forEach((k, v) -> out.put("429 " + k, v.get()));
        out.put("requests", requests.get());
        out.put("bytes_out", bytes.get());
        return out;
    }

    public void reset() {
        byRoute.clear();
        rateLimited.clear();
        bytes.set(0);
        requests.set(0);
    }
}
