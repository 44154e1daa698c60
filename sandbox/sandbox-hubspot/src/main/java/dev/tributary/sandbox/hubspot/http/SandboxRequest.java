package dev.tributary.sandbox.hubspot.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One parsed request: method, path segments, multi-valued query parameters, headers and body. */
public final class SandboxRequest {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String method;
    private final String path;
    private final List<String> segments;
    private final Map<String, List<String>> query;
    private final byte[] body;
    private final String contentType;

    public SandboxRequest(String method, String path, String rawQuery, byte[] body, String contentType) {
        this.method = method;
        this.path = path;
        this.segments = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty()) segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        this.query = parseForm(rawQuery);
        this.body = body;
        this.contentType = contentType == null ? "" : contentType;
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
    public String path() { return path; }
    public List<String> segments() { return segments; }
    public String segment(int i) { return i < segments.size() ? segments.get(i) : null; }
    public byte[] body() { return body; }
    public String contentType() { return contentType; }

    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** All values of a list parameter, whether repeated (a=1&a=2) or comma-joined (a=1,2). */
    public List<String> listParam(String name) {
        List<String> out = new ArrayList<>();
        for (String v : query.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) if (!part.isBlank()) out.add(part.trim());
        }
        return out;
    }

    public boolean has(String name) { return query.containsKey(name); }

    public boolean boolParam(String name) { return "true".equalsIgnoreCase(param(name)); }

    public int intParam(String name, int dflt) {
        String v = param(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.validation("Invalid input JSON on line 1: '" + name + "' must be a number, got '" + v + "'");
        }
    }

    public JsonNode json() {
        if (body.length == 0) throw ApiException.validation("Invalid input JSON : No content to map due to end-of-input");
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.validation("Invalid input JSON on line 1, column 1: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    public Map<String, List<String>> form() {
        return parseForm(new String(body, StandardCharsets.UTF_8));
    }
}
