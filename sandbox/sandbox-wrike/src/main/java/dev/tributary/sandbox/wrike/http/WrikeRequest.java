package dev.tributary.sandbox.wrike.http;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One parsed request: method, path segments, query parameters, headers, body, and the port it arrived on (its host). */
public final class WrikeRequest {
    private final String method;
    private final List<String> segments = new ArrayList<>();
    private final Map<String, List<String>> query;
    private final Headers headers;
    private final byte[] body;
    private final int localPort;

    public WrikeRequest(String method, String path, String rawQuery, Headers headers, byte[] body, int localPort) {
        this.method = method;
        for (String s : path.split("/")) if (!s.isEmpty()) segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        this.query = parseForm(rawQuery);
        this.headers = headers;
        this.body = body;
        this.localPort = localPort;
    }

    public static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    public String method() { return method; }
    public List<String> segments() { return segments; }
    public String segment(int i) { return i < segments.size() ? segments.get(i) : null; }
    public byte[] body() { return body; }
    public String header(String name) { return headers.getFirst(name); }
    public int localPort() { return localPort; }
    public Map<String, List<String>> query() { return query; }

    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public Map<String, List<String>> form() {
        return parseForm(new String(body, StandardCharsets.UTF_8));
    }

    public static String first(Map<String, List<String>> form, String key) {
        List<String> v = form.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
