package dev.tributary.sandbox.xero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small real HTTP client for the tests: bearer token, tenant header, form posts, control calls. */
final class XeroHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;

    XeroHttp(String base) {
        this.base = base;
    }

    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) { return headers.firstValue(name).orElse(null); }
    }

    Answer get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        headers.forEach(b::header);
        return send(b.build());
    }

    Answer api(String token, String tenant, String path) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + token);
        if (tenant != null) h.put("xero-tenant-id", tenant);
        h.put("Accept", "application/json");
        return get("/api.xro/2.0" + path, h);
    }

    Answer apiSince(String token, String tenant, String path, String since) {
        return get("/api.xro/2.0" + path, Map.of("Authorization", "Bearer " + token, "xero-tenant-id", tenant, "If-Modified-Since", since));
    }

    Answer token(String clientId, String secret, String form) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(base + "/connect/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    Answer control(String key, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + "/_sandbox/" + path)).header("X-Sandbox-Control-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Answer post(String path, String basicAuth, String form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (basicAuth != null) b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basicAuth.getBytes(StandardCharsets.UTF_8)));
        return send(b.build());
    }

    Answer send(HttpRequest r) {
        try {
            HttpResponse<String> res = client.send(r, HttpResponse.BodyHandlers.ofString());
            return new Answer(res.statusCode(), res.body(), res.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An access token for a fresh consent over every tenant. */
    static String accessToken(XeroSandbox sandbox) {
        String refresh = sandbox.consent(sandbox.tenantIds());
        Answer a = new XeroHttp(sandbox.baseUrl()).token(sandbox.clientId(), sandbox.clientSecret(), "grant_type=refresh_token&refresh_token=" + refresh);
        if (a.status() != 200) throw new AssertionError(a.body());
        return a.json().get("access_token").asText();
    }
}
