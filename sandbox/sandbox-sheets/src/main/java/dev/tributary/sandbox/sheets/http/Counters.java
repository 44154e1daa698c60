package dev.tributary.sandbox.sheets.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Requests by route and status, and bytes sent: what a benchmark or a test reads to count calls. */
public final class Counters {
    private final Map<String, AtomicLong> byRoute = new ConcurrentHashMap<>();
    private final AtomicLong bytesOut = new AtomicLong();

    void record(String method, String route, int status, long bytes) {
        byRoute.computeIfAbsent(method + " " + route + " " + status, k -> new AtomicLong()).incrementAndGet();
        bytesOut.addAndGet(bytes);
    }

    /** "GET /v4/spreadsheets/{id}/values/{range} 200" → count. */
    public Map<String, Long> byRoute() {
        Map<String, Long> out = new TreeMap<>();
        byRoute.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Requests whose key contains {@code part} (e.g. "/values" or " 429"). */
    public long count(String part) {
        return byRoute.entrySet().stream().filter(e -> e.getKey().contains(part)).mapToLong(e -> e.getValue().get()).sum();
    }

    public long bytesOut() { return bytesOut.get(); }

    public void reset() {
        byRoute.clear();
        bytesOut.set(0);
    }
}
