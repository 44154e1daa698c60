package dev.tributary.sandbox.hubspot.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer: status, body bytes, content type and extra headers. */
public record SandboxResponse(int status, byte[] body, String contentType, Map<String, String> headers) {
    public static SandboxResponse json(int status, byte[] body) {
        return new SandboxResponse(status, body, "application/json;charset=utf-8", new LinkedHashMap<>());
    }

    public static SandboxResponse empty(int status) {
        return new SandboxResponse(status, new byte[0], null, new LinkedHashMap<>());
    }

    public static SandboxResponse html(int status, String html) {
        return new SandboxResponse(status, html.getBytes(StandardCharsets.UTF_8), "text/html;charset=utf-8", new LinkedHashMap<>());
    }

    public static SandboxResponse redirect(String location) {
        SandboxResponse r = new SandboxResponse(302, new byte[0], null, new LinkedHashMap<>());
        r.headers().put("Location", location);
        return r;
    }

    public SandboxResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
