package dev.tributary.sandbox.hubspot.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tributary.sandbox.hubspot.data.Portal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one HTTP handler: checks URL length, routes OAuth and control paths, authenticates CRM calls, applies
 * faults and rate limits, dispatches, and writes the answer with HubSpot's headers.
 */
public final class SandboxRouter implements HttpHandler {
    private final SandboxContext ctx;
    private final ObjectsApi objects;
    private final SearchApi search;
    private final MetadataApi metadata;
    private final AssociationsApi associations;
    private final OAuthApi oauth;
    private final ControlApi control;

    public SandboxRouter(SandboxContext ctx, ControlApi control) {
        this.ctx = ctx;
        this.objects = new ObjectsApi(ctx);
        this.search = new SearchApi(ctx);
        this.metadata = new MetadataApi(ctx);
        this.associations = new AssociationsApi(ctx);
        this.oauth = new OAuthApi(ctx);
        this.control = control;
    }

    public void baseUrl(String url) { ctx.baseUrl(url); }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String rawPath = ex.getRequestURI().getRawPath();
        String rawQuery = ex.getRequestURI().getRawQuery();
        String route = routeLabel(rawPath);
        SandboxResponse response;
        boolean drop = false;
        try {
            int requestLineBytes = method.length() + 1 + ex.getRequestURI().toString().length() + 9;
            if (requestLineBytes > ctx.options().maxUrlBytes()) {
                drain(ex.getRequestBody());
                response = SandboxResponse.html(414, "<html><head><title>414 Request-URI Too Large</title></head><body>"
                        + "<center><h1>414 Request-URI Too Large</h1></center></body></html>");
            } else {
                byte[] body = ex.getRequestBody().readAllBytes();
                SandboxRequest r = new SandboxRequest(method, rawPath, rawQuery, body, ex.getRequestHeaders().getFirst("Content-Type"));
                if (rawPath.startsWith("/_sandbox")) {
                    response = control.handle(r, ex.getRequestHeaders().getFirst(ControlApi.KEY_HEADER));
                } else if (rawPath.startsWith("/oauth/")) {
                    response = routeOAuth(r);
                } else if (rawPath.equals("/appinstalls/v3/external-install")) {
                    response = method.equals("DELETE") ? oauth.uninstall(ex.getRequestHeaders().getFirst("Authorization")) : notAllowed();
                } else {
                    long latency = ctx.faults().latencyMillis();
                    if (latency > 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(latency));
                    response = crm(r, ex.getRequestHeaders());
                    drop = response.status() < 300 && ctx.faults().takeDrop();
                }
            }
        } catch (ApiException e) {
            response = SandboxResponse.json(e.status(), JsonWriter.error(e.getMessage(), e.category(), e.extra()));
        } catch (RuntimeException e) {
            response = SandboxResponse.json(500, JsonWriter.error("internal error: " + e, "INTERNAL_ERROR", Map.of()));
        }
        write(ex, method, route, response, drop);
    }

    private SandboxResponse crm(SandboxRequest r, Headers headers) {
        TokenRegistry.Caller caller;
        try {
            caller = ctx.tokens().authenticate(headers.getFirst("Authorization"));
        } catch (TokenRegistry.AuthFailure f) {
            if (f.status() == 530) return SandboxResponse.empty(530);
            return SandboxResponse.json(401, JsonWriter.error(f.getMessage(), f.category(), Map.of()));
        }
        boolean isSearch = r.method().equals("POST") && r.path().endsWith("/search");
        if (ctx.faults().takeStorm(caller.hubId())) {
            SandboxResponse storm = tooMany("TEN_SECONDLY_ROLLING", "ten_secondly_rolling");
            if (ctx.faults().stormSendsRetryAfter()) storm.header("Retry-After", "1");
            return storm;
        }
        RateLimiter.Decision d = ctx.rateLimiter().check(caller, isSearch);
        if (!d.allowed()) {
            SandboxResponse limited = tooMany(d.refusedPolicy(), d.refusedPolicy().toLowerCase());
            d.headers().forEach(limited::header);
            if (d.retryAfterSeconds() != null) limited.header("Retry-After", Long.toString(d.retryAfterSeconds()));
            return limited;
        }
        int fault = ctx.faults().serverError();
        SandboxResponse response;
        if (fault > 0) {
            response = SandboxResponse.json(fault, JsonWriter.error(fault == 502 || fault == 504
                    ? "The server did not respond in time. Please retry." : "internal error", fault == 500 ? "INTERNAL_ERROR" : "SERVICE_UNAVAILABLE", Map.of()));
        } else {
            try {
                response = dispatch(ctx.portal(caller.hubId()), r);
            } catch (ApiException e) {
                response = SandboxResponse.json(e.status(), JsonWriter.error(e.getMessage(), e.category(), e.extra()));
            }
        }
        d.headers().forEach(response::header);
        return response;
    }

    private static SandboxResponse tooMany(String policy, String lower) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", "You have reached your " + lower + " limit.");
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("policyName", policy);
        body.put("requestId", UUID.randomUUID().toString().replace("-", ""));
        return SandboxResponse.json(429, JsonWriter.write(g -> JsonWriter.writeValue(g, body)));
    }

    private SandboxResponse dispatch(Portal portal, SandboxRequest r) {
        List<String> s = r.segments();
        String m = r.method();
        int n = s.size();
        if (n >= 3 && s.get(0).equals("crm") && s.get(1).equals("v3")) {
            switch (s.get(2)) {
                case "objects" -> {
                    if (n == 4) return m.equals("GET") ? objects.list(portal, r) : m.equals("POST") ? objects.create(portal, r) : notAllowed();
                    if (n == 5 && s.get(4).equals("search")) return m.equals("POST") ? search.search(portal, r) : notAllowed();
                    if (n == 5 && s.get(4).equals("merge")) return m.equals("POST") ? objects.merge(portal, r) : notAllowed();
                    if (n == 6 && s.get(4).equals("batch")) {
                        if (!m.equals("POST")) return notAllowed();
                        return switch (s.get(5)) {
                            case "read" -> objects.batchRead(portal, r);
                            case "create" -> objects.batchCreate(portal, r);
                            case "update" -> objects.batchUpdate(portal, r);
                            case "archive" -> objects.batchArchive(portal, r);
                            default -> throw notFoundRoute();
                        };
                    }
                    if (n == 5) {
                        return switch (m) {
                            case "GET" -> objects.get(portal, r);
                            case "PATCH" -> objects.update(portal, r);
                            case "DELETE" -> objects.archive(portal, r);
                            default -> notAllowed();
                        };
                    }
                }
                case "properties" -> { if (m.equals("GET") && (n == 4 || n == 5)) return metadata.properties(portal, r); }
                case "schemas" -> { if (m.equals("GET") && (n == 3 || n == 4)) return metadata.schemas(portal, r); }
                case "owners" -> { if (m.equals("GET") && (n == 3 || n == 4)) return metadata.owners(portal, r); }
                case "pipelines" -> { if (m.equals("GET") && n >= 4 && n <= 6) return metadata.pipelines(portal, r); }
                default -> { }
            }
        }
        if (n == 3 && s.get(0).equals("account-info") && s.get(1).equals("v3") && s.get(2).equals("details")) {
            return m.equals("GET") ? metadata.accountDetails(portal) : notAllowed();
        }
        if (n >= 6 && s.get(0).equals("crm") && s.get(1).equals("v4")) {
            if (s.get(2).equals("associations") && n == 7 && s.get(5).equals("batch") && s.get(6).equals("read") && m.equals("POST")) {
                return associations.batchRead(portal, r);
            }
            if (s.get(2).equals("associations") && n == 6 && s.get(5).equals("labels") && m.equals("GET")) {
                return associations.labels(portal, r);
            }
            if (s.get(2).equals("objects") && n == 7 && s.get(5).equals("associations") && m.equals("GET")) {
                return associations.single(portal, r);
            }
        }
        throw notFoundRoute();
    }

    private SandboxResponse routeOAuth(SandboxRequest r) {
        List<String> s = r.segments();
        if (s.size() == 2 && s.get(1).equals("authorize")) return oauth.authorize(r);
        if (s.size() == 3 && s.get(1).equals("authorize") && s.get(2).equals("choose")) return oauth.choose(r);
        if (s.size() == 3 && s.get(1).equals("authorize") && s.get(2).equals("consent")) return oauth.consent(r);
        if (s.size() == 3 && s.get(1).equals("v3") && s.get(2).equals("token") && r.method().equals("POST")) return oauth.tokenV3(r);
        if (s.size() == 3 && s.get(1).equals("v3") && s.get(2).equals("introspect") && r.method().equals("POST")) return oauth.introspect(r);
        if (s.size() == 3 && s.get(1).equals("v1") && s.get(2).equals("token") && r.method().equals("POST")) return oauth.token(r);
        if (s.size() == 4 && s.get(1).equals("v1") && s.get(2).equals("access-tokens")) return oauth.accessTokenInfo(r);
        if (s.size() == 4 && s.get(1).equals("v1") && s.get(2).equals("refresh-tokens")) return oauth.refreshTokenInfo(r);
        throw notFoundRoute();
    }

    private static ApiException notFoundRoute() {
        return new ApiException(404, "OBJECT_NOT_FOUND", "Unable to route request: no such endpoint.");
    }

    private static SandboxResponse notAllowed() {
        return SandboxResponse.json(405, JsonWriter.error("HTTP method not allowed for this endpoint.", "VALIDATION_ERROR", Map.of()));
    }

    private void write(HttpExchange ex, String method, String route, SandboxResponse response, boolean dropMidBody) throws IOException {
        Headers h = ex.getResponseHeaders();
        if (response.contentType() != null) h.set("Content-Type", response.contentType());
        response.headers().forEach(h::set);
        byte[] body = response.body();
        ctx.counters().record(method, route, response.status(), body.length);
        try {
            if (body.length == 0 || response.status() == 204 || method.equals("HEAD")) {
                ex.sendResponseHeaders(response.status(), -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(response.status(), body.length);
            OutputStream out = ex.getResponseBody();
            if (dropMidBody) {
                out.write(body, 0, body.length / 2);
                out.flush();
                // an exception escaping the handler makes the JDK server close the socket: the client sees a truncated body
                throw new IOException("sandbox fault: connection dropped mid-body");
            }
            out.write(body);
            ex.close();
        } catch (IOException e) {
            if (!dropMidBody) ex.close();
            throw e;
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    /** The route with ids and tokens replaced, for counters: GET /crm/v3/objects/contacts/{id}. */
    static String routeLabel(String path) {
        String[] parts = path.split("/");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) continue;
            boolean token = i > 0 && (parts[i - 1].equals("access-tokens") || parts[i - 1].equals("refresh-tokens"));
            b.append('/').append(token ? "{token}" : p.chars().allMatch(Character::isDigit) ? "{id}" : p);
        }
        String label = b.toString();
        return label.isEmpty() ? "/" : new String(label.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
