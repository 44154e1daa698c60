package dev.tributary.sandbox.hubspot.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error answered in HubSpot's body shape: status "error", message, correlationId, category, extras. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String category;
    private final Map<String, Object> extra;

    public ApiException(int status, String category, String message) {
        this(status, category, message, Map.of());
    }

    public ApiException(int status, String category, String message, Map<String, Object> extra) {
        super(message);
        this.status = status;
        this.category = category;
        this.extra = new LinkedHashMap<>(extra);
    }

    public int status() { return status; }
    public String category() { return category; }
    public Map<String, Object> extra() { return extra; }

    public static ApiException validation(String message) {
        return new ApiException(400, "VALIDATION_ERROR", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "OBJECT_NOT_FOUND", message);
    }
}
