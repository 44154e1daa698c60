package dev.tributary.sandbox.wrike.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An answer: status, body bytes, content type and extra headers; Wrike's envelope and error body. */
public record WrikeResponse(int status, byte[] body, String contentType, Map<String, String> headers) {
    static final ObjectMapper JSON = new ObjectMapper();

    public static WrikeResponse json(int status, Object value) {
        try {
            return new WrikeResponse(status, JSON.writeValueAsBytes(value), "application/json; charset=utf-8", new LinkedHashMap<>());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Wrike's envelope: {"kind":"tasks","data":[...]} plus any extra top-level fields (nextPageToken, responseSize). */
    public static WrikeResponse envelope(String kind, List<?> data, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        if (extra != null) body.putAll(extra);
        body.put("data", data);
        return json(200, body);
    }

    /** Wrike's error body: {"errorDescription":"...","error":"invalid_parameter"}. */
    public static WrikeResponse error(int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorDescription", description);
        body.put("error", error);
        return json(status, body);
    }

    /** The OAuth endpoint's error body (RFC 6749 style). */
    public static WrikeResponse oauthError(int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return json(status, body);
    }

    public static WrikeResponse text(int status, String text, String contentType) {
        return new WrikeResponse(status, text.getBytes(StandardCharsets.UTF_8), contentType, new LinkedHashMap<>());
    }

    public static WrikeResponse redirect(String location) {
        WrikeResponse r = new WrikeResponse(302, new byte[0], null, new LinkedHashMap<>());
        r.headers().put("Location", location);
        return r;
    }

    public WrikeResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** A request the API refuses with Wrike's error body; thrown from deep inside a handler. */
    public static final class Refusal extends RuntimeException {
        final int status;
        final String error;

        public Refusal(int status, String error, String description) {
            super(description);
            this.status = status;
            this.error = error;
        }

        public static Refusal badParam(String description) { return new Refusal(400, "invalid_parameter", description); }

        WrikeResponse response() { return error(status, error, getMessage()); }
    }
}
