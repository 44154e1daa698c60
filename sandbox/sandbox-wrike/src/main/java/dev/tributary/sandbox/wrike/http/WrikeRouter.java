package dev.tributary.sandbox.wrike.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one HTTP handler for both hosts: OAuth (authorize, token), the API under /api/v4 (bearer token, right host,
 * faults, per-user pace) and the control API under /_sandbox.
 */
public final class WrikeRouter implements HttpHandler {
    private final WrikeContext ctx;
    private final ApiV4 api;
    private final ControlApi control;

    public WrikeRouter(WrikeContext ctx, ControlApi control) {
        this.ctx = ctx;
        this.api = new ApiV4(ctx.workspace());
        this.control = control;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        WrikeRequest r = new WrikeRequest(method, ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), ex.getRequestHeaders(),
                ex.getRequestBody().readAllBytes(), ex.getLocalAddress().getPort());
        List<String> s = r.segments();
        WrikeResponse response;
        boolean drop = false;
        try {
            if (!s.isEmpty() && s.get(0).equals("_sandbox")) {
                response = control.handle(r);
            } else if (s.size() == 3 && s.get(0).equals("oauth2") && s.get(1).equals("authorize")) {
                response = authorize(r);
            } else if (s.size() == 2 && s.get(0).equals("oauth2") && s.get(1).equals("token") && method.equals("POST")) {
                response = token(r);
                if (response.status() == 200 && ctx.faults().takeLostTokenAnswer()) {
                    ctx.counters().record(method, "/oauth2/token (answer lost)", 200, 0);
                    throw new IOException("sandbox fault: token answer lost"); // the grant happened; the client never hears of it
                }
            } else if (s.size() >= 3 && s.get(0).equals("api") && s.get(1).equals("v4")) {
                response = api(r);
                drop = response.status() == 200 && ctx.faults().takeDrop();
            } else {
                response = WrikeResponse.error(404, "method_not_found", "Method not found: " + method + " " + ex.getRequestURI().getRawPath());
            }
        } catch (WrikeResponse.Refusal e) {
            response = e.response();
        } catch (RuntimeException e) {
            response = WrikeResponse.error(500, "server_error", "Internal server error (sandbox: " + e + ")");
        }
        write(ex, method, routeLabel(s), response, drop);
    }

    /** The consent page, answered at once for the account owner: a redirect to redirect_uri with code and state. */
    private WrikeResponse authorize(WrikeRequest r) {
        if (!r.segment(2).equals("v4")) return WrikeResponse.error(404, "method_not_found", "Use /oauth2/authorize/v4");
        String clientId = r.param("client_id");
        if (!ctx.tokens().clientId().equals(clientId)) return WrikeResponse.oauthError(400, "invalid_client", "Unknown client_id");
        if (!"code".equals(r.param("response_type"))) return WrikeResponse.oauthError(400, "unsupported_response_type", "response_type must be code");
        String redirect = r.param("redirect_uri");
        if (redirect == null || redirect.isBlank()) return WrikeResponse.oauthError(400, "invalid_request", "redirect_uri is required");
        String code = ctx.tokens().newCode(ctx.generator().userIds().get(0), redirect);
        String state = r.param("state");
        return WrikeResponse.redirect(redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code
                + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)));
    }

    private WrikeResponse token(WrikeRequest r) {
        try {
            return WrikeResponse.json(200, ctx.tokens().grant(r.form(), ctx.accountHost()));
        } catch (Tokens.OAuthError e) {
            return WrikeResponse.oauthError(e.status, e.error, e.getMessage());
        }
    }

    private WrikeResponse api(WrikeRequest r) {
        Tokens.Caller caller;
        try {
            caller = ctx.tokens().authenticate(r.header("Authorization"), r.param("access_token"));
        } catch (Tokens.AuthFailure f) {
            return WrikeResponse.error(401, "not_authorized", f.getMessage());
        }
        if (r.localPort() != ctx.accountPort()) {
            return WrikeResponse.error(401, "not_authorized", "This account's data is not served by this host; use the host named in the OAuth token answer");
        }
        if (ctx.faults().takeStorm() || !ctx.limits().acquire(caller.userId())) {
            ctx.counters().countRateLimited("per-user");
            return WrikeResponse.error(429, "rate_limit_exceeded", "Rate limit exceeded, please try again later");
        }
        long latency = ctx.faults().latencyMillis();
        if (latency > 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(latency));
        int fault = ctx.faults().serverError();
        if (fault > 0) return WrikeResponse.error(fault, "server_error", "Internal server error (sandbox fault)");
        String what = r.segment(2);
        if (("timelogs".equals(what) || "approvals".equals(what)) && collaborator(caller.userId())) {
            return WrikeResponse.error(403, "not_allowed", "Access to " + what + " is not allowed for collaborators");
        }
        return api.handle(r);
    }

    private void write(HttpExchange ex, String method, String route, WrikeResponse response, boolean dropMidBody) throws IOException {
        Headers h = ex.getResponseHeaders();
        if (response.contentType() != null) h.set("Content-Type", response.contentType());
        response.headers().forEach(h::set);
        byte[] body = response.body();
        ctx.counters().record(method, route, response.status(), body.length);
        try {
            if (body.length == 0) {
                ex.sendResponseHeaders(response.status(), -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(response.status(), body.length);
            OutputStream out = ex.getResponseBody();
            if (dropMidBody) {
                out.write(body, 0, body.length / 2);
                out.flush();
                throw new IOException("sandbox fault: connection dropped mid-body");
            }
            out.write(body);
            ex.close();
        } catch (IOException e) {
            if (!dropMidBody) ex.close();
            throw e;
        }
    }

    /** The route with ids replaced: /api/v4/folders/{id}/tasks. */
    static String routeLabel(List<String> s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.size(); i++) {
            String p = s.get(i);
            boolean id = i == 3 && s.get(0).equals("api");
            b.append('/').append(id ? "{id}" : p);
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    /** External collaborators (every seventh generated user) may not read time logs or approvals. */
    private boolean collaborator(String userId) {
        synchronized (ctx.workspace()) {
            Map<String, Object> c = ctx.workspace().contact(userId);
            if (c == null) return false;
            Object profiles = c.get("profiles");
            return profiles instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> p && "Collaborator".equals(p.get("role"));
        }
    }
}
