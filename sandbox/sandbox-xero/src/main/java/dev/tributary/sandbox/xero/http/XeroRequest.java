package dev.tributary.sandbox.xero.http;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One parsed request: method, path segments, query parameters (case-insensitive names, as Xero), headers and body. */
public final class XeroRequest {
    private final String method;
    private final List<String> segments = new ArrayList<>();
    private final Map<String, List<String>> query;
    private final Headers headers;
    private final byte[] body;

    public XeroRequest(String method, String path, String rawQuery, Headers headers, byte[] body) {
        this.method = method;
        for (String s : path.split("/")) if (!s.isEmpty()) segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        this.query = parseForm(rawQuery);
        this.headers = headers;
        this.body = body;
    }

    public static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k.toLowerCase(java.util.Locale.ROOT), x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    public String method() { return method; }
    public List<String> segments() { return segments; }
    public String segment(int i) { return i < segments.size() ? segments.get(i) : null; }
    public byte[] body() { return body; }
    public String header(String name) { return headers.getFirst(name); }

    public String param(String name) {
        List<String> v = query.get(name.toLowerCase(java.util.Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A list parameter, repeated or comma-joined. */
    public List<String> listParam(String name) {
        List<String> out = new ArrayList<>();
        for (String v : query.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of())) {
            for (String part : v.split(",")) if (!part.isBlank()) out.add(part.trim());
        }
        return out;
    }

    public Map<String, List<String>> form() {
        return parseForm(new String(body, StandardCharsets.UTF_8));
    }

    public static String first(Map<String, List<String>> form, String key) {
        List<String> v = form.get(key.toLowerCase(java.util.Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
