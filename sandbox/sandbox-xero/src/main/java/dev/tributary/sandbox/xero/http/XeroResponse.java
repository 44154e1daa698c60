package dev.tributary.sandbox.xero.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer: status, body bytes, content type and extra headers. */
public record XeroResponse(int status, byte[] body, String contentType, Map<String, String> headers) {
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    public static XeroResponse json(int status, Object value) {
        try {
            return new XeroResponse(status, JSON.writeValueAsBytes(value), "application/json; charset=utf-8", new LinkedHashMap<>());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static XeroResponse text(int status, String text, String contentType) {
        return new XeroResponse(status, text.getBytes(StandardCharsets.UTF_8), contentType, new LinkedHashMap<>());
    }

    public static XeroResponse empty(int status) {
        return new XeroResponse(status, new byte[0], null, new LinkedHashMap<>());
    }

    public static XeroResponse redirect(String location) {
        XeroResponse r = empty(302);
        r.headers().put("Location", location);
        return r;
    }

    public XeroResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Xero's problem body for 401/403: {"Type":null,"Title":"Unauthorized","Status":401,"Detail":"..."}. */
    public static XeroResponse problem(int status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Type", null);
        body.put("Title", status == 401 ? "Unauthorized" : "Forbidden");
        body.put("Status", status);
        body.put("Detail", detail);
        body.put("Instance", java.util.UUID.randomUUID().toString());
        body.put("Extensions", Map.of());
        return json(status, body);
    }

    /** Xero's validation error body (400): ErrorNumber 10, ValidationException, with the messages. */
    public static XeroResponse validation(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ErrorNumber", 10);
        body.put("Type", "ValidationException");
        body.put("Message", "A validation exception occurred");
        body.put("Elements", java.util.List.of(Map.of("ValidationErrors", java.util.List.of(Map.of("Message", message)))));
        return json(400, body);
    }
}
