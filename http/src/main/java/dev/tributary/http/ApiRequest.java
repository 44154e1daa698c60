package dev.tributary.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * One call: method, URL (absolute, or a path resolved against the client's base URL), an optional body, and the
 * rate-limit bucket it counts against ({@code ""} for the default one, e.g. {@code "search"} for a per-second one).
 */
public record ApiRequest(String method, String url, byte[] body, String contentType, String bucket) {
    public ApiRequest {
        requireNonNull(method, "method is null");
        requireNonNull(url, "url is null");
        requireNonNull(bucket, "bucket is null");
    }

    public static ApiRequest get(String url) {
        return new ApiRequest("GET", url, null, null, "");
    }

    public static ApiRequest postJson(String url, String json) {
        return new ApiRequest("POST", url, json.getBytes(StandardCharsets.UTF_8), "application/json", "");
    }

    public static ApiRequest postForm(String url, String form) {
        return new ApiRequest("POST", url, form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded", "");
    }

    public ApiRequest inBucket(String name) {
        return new ApiRequest(method, url, body, contentType, name);
    }

    /** Method and path without the query string, for messages (queries may be long; they never hold secrets here). */
    public String describe() {
        int q = url.indexOf('?');
        return method + " " + (q < 0 ? url : url.substring(0, q));
    }
}
