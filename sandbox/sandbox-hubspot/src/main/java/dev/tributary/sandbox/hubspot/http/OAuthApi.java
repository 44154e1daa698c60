package dev.tributary.sandbox.hubspot.http;

import dev.tributary.sandbox.hubspot.data.Owner;
import dev.tributary.sandbox.hubspot.data.Portal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The install flow: an account picker page, the token endpoint (both grants) and token introspection. */
final class OAuthApi {
    private final SandboxContext ctx;

    OAuthApi(SandboxContext ctx) { this.ctx = ctx; }

    /**
     * GET /oauth/authorize: the account picker. Each account links to its consent page; the app's scopes, optional
     * scopes, redirect and state travel along.
     */
    SandboxResponse authorize(SandboxRequest r) {
        String clientId = r.param("client_id");
        String redirect = r.param("redirect_uri");
        if (!ctx.tokens().isKnownClient(clientId)) return SandboxResponse.html(400, page("Unknown app", "<p>The client_id is not valid.</p>"));
        if (redirect == null || redirect.isBlank()) return SandboxResponse.html(400, page("Missing redirect_uri", "<p>redirect_uri is required.</p>"));
        StringBuilder list = new StringBuilder("<ul id=\"accounts\">");
        for (long hub : ctx.hubIds()) {
            String href = "/oauth/authorize/consent?hub_id=" + hub + "&" + passAlong(r);
            list.append("<li><a id=\"account-").append(hub).append("\" href=\"").append(escape(href)).append("\">Portal ").append(hub).append(" (")
                    .append(escape(SandboxContext.domain(hub))).append(")</a></li>");
        }
        list.append("</ul>");
        return SandboxResponse.html(200, page("Choose an account", "<p>Install the test app into:</p>" + list));
    }

    /** GET /oauth/authorize/consent: what the app asks for in one account, and the button that grants it. */
    SandboxResponse consent(SandboxRequest r) {
        if (!ctx.tokens().isKnownClient(r.param("client_id"))) return SandboxResponse.html(400, page("Unknown app", ""));
        long hub;
        try {
            hub = Long.parseLong(r.param("hub_id"));
            if (!ctx.hasPortal(hub)) throw new IllegalArgumentException();
        } catch (RuntimeException e) {
            return SandboxResponse.html(400, page("Unknown account", ""));
        }
        StringBuilder body = new StringBuilder("<p>The app asks for access to portal ").append(hub).append(" (")
                .append(escape(SandboxContext.domain(hub))).append("):</p><ul id=\"scopes\">");
        for (String scope : scopes(r)) body.append("<li>").append(escape(scope)).append("</li>");
        body.append("</ul><p><a id=\"grant\" href=\"").append(escape("/oauth/authorize/choose?hub_id=" + hub + "&" + passAlong(r)))
                .append("\">Connect app</a> <a id=\"deny\" href=\"").append(escape(denied(r))).append("\">Cancel</a></p>");
        return SandboxResponse.html(200, page("Connect the app", body.toString()));
    }

    /** GET /oauth/authorize/choose: consent given; issues a code and redirects to redirect_uri?code=..&state=.. */
    SandboxResponse choose(SandboxRequest r) {
        if (!ctx.tokens().isKnownClient(r.param("client_id"))) return SandboxResponse.html(400, page("Unknown app", ""));
        long hub;
        try {
            hub = Long.parseLong(r.param("hub_id"));
            ctx.portal(hub);
        } catch (RuntimeException e) {
            return SandboxResponse.html(400, page("Unknown account", ""));
        }
        String redirect = r.param("redirect_uri");
        Portal portal = ctx.portal(hub);
        Owner user = portal.owners().get(0);
        String code = ctx.tokens().issueCode(hub, redirect, scopes(r), user.email(), user.userId());
        ctx.uninstalled(hub, false);
        String location = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code)
                + (r.param("state") == null ? "" : "&state=" + enc(r.param("state")));
        return SandboxResponse.redirect(location);
    }

    /** The scopes granted: the required ones and every optional one (the sandbox's accounts have every feature). */
    private static List<String> scopes(SandboxRequest r) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String key : List.of("scope", "optional_scope")) {
            String v = r.param(key);
            if (v != null) Arrays.stream(v.split("[ +,]")).filter(x -> !x.isBlank()).forEach(out::add);
        }
        if (out.isEmpty()) out.add("oauth");
        return List.copyOf(out);
    }

    private static String passAlong(SandboxRequest r) {
        StringBuilder q = new StringBuilder("client_id=" + enc(r.param("client_id")) + "&redirect_uri=" + enc(r.param("redirect_uri")));
        for (String key : List.of("scope", "optional_scope", "state")) {
            if (r.param(key) != null) q.append('&').append(key).append('=').append(enc(r.param(key)));
        }
        return q.toString();
    }

    /** Where Cancel goes: back to the app with error=access_denied, as OAuth says. */
    private static String denied(SandboxRequest r) {
        String redirect = r.param("redirect_uri");
        return redirect + (redirect.contains("?") ? "&" : "?") + "error=access_denied"
                + (r.param("state") == null ? "" : "&state=" + enc(r.param("state")));
    }

    /** POST /oauth/v1/token, form-encoded. */
    SandboxResponse token(SandboxRequest r) {
        return answer(() -> ctx.tokens().grant(r.form()));
    }

    /** POST /oauth/v3/token: credentials in the form body; the answer names the account, user and scopes. */
    SandboxResponse tokenV3(SandboxRequest r) {
        return answer(() -> ctx.tokens().grantV3(r.form()));
    }

    /** POST /oauth/v3/introspect. */
    SandboxResponse introspect(SandboxRequest r) {
        return answer(() -> ctx.tokens().introspect(r.form()));
    }

    /**
     * DELETE /appinstalls/v3/external-install: the app removes itself from the account of the bearer token; every
     * token of that account stops working (a refresh then fails with BAD_REFRESH_TOKEN).
     */
    SandboxResponse uninstall(String authorization) {
        TokenRegistry.Caller caller;
        try {
            caller = ctx.tokens().authenticate(authorization);
        } catch (TokenRegistry.AuthFailure f) {
            return SandboxResponse.json(401, JsonWriter.error(f.getMessage(), f.category() == null ? "INVALID_AUTHENTICATION" : f.category(), Map.of()));
        }
        if (!caller.oauth()) throw new ApiException(403, "MISSING_SCOPES", "Only an OAuth app's access token can uninstall the app");
        ctx.tokens().uninstall(caller.hubId());
        ctx.uninstalled(caller.hubId(), true);
        return SandboxResponse.empty(204);
    }

    private SandboxResponse answer(java.util.function.Supplier<Map<String, Object>> grant) {
        try {
            Map<String, Object> answer = grant.get();
            return SandboxResponse.json(200, JsonWriter.write(g -> JsonWriter.writeValue(g, answer)));
        } catch (TokenRegistry.OAuthError e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", e.code());
            body.put("message", e.getMessage());
            body.put("correlationId", java.util.UUID.randomUUID().toString());
            body.put("error", switch (e.code()) {
                case "BAD_CLIENT_ID", "BAD_CLIENT_SECRET" -> "invalid_client";
                case "BAD_GRANT_TYPE" -> "unsupported_grant_type";
                default -> "invalid_grant";
            });
            body.put("error_description", e.getMessage());
            return SandboxResponse.json(400, JsonWriter.write(g -> JsonWriter.writeValue(g, body)));
        }
    }

    /** GET /oauth/v1/access-tokens/{token}: which portal and user a token belongs to. */
    SandboxResponse accessTokenInfo(SandboxRequest r) {
        TokenRegistry.AccessToken a = ctx.tokens().accessToken(r.segment(3));
        if (a == null) throw new ApiException(404, "OBJECT_NOT_FOUND", "Access token not found");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", a.token());
        body.put("user", a.user());
        body.put("hub_domain", SandboxContext.domain(a.hubId()));
        body.put("scopes", a.scopes());
        body.put("signed_access_token", Map.of("expiresAt", a.expiresAtMillis(), "hubId", a.hubId(), "userId", a.userId(),
                "appId", ctx.tokens().appId()));
        body.put("hub_id", a.hubId());
        body.put("app_id", ctx.tokens().appId());
        body.put("expires_in", Math.max(0, (a.expiresAtMillis() - ctx.clock().millis()) / 1000));
        body.put("user_id", a.userId());
        body.put("token_type", "access");
        return SandboxResponse.json(200, JsonWriter.write(g -> JsonWriter.writeValue(g, body)));
    }

    /** GET / DELETE /oauth/v1/refresh-tokens/{token}. */
    SandboxResponse refreshTokenInfo(SandboxRequest r) {
        String token = r.segment(3);
        if (r.method().equals("DELETE")) {
            if (!ctx.tokens().revokeRefreshToken(token)) throw new ApiException(404, "OBJECT_NOT_FOUND", "Refresh token not found");
            return SandboxResponse.empty(204);
        }
        Map<String, Object> info = ctx.tokens().refreshTokenInfo(token);
        if (info == null) throw new ApiException(404, "OBJECT_NOT_FOUND", "Refresh token not found");
        return SandboxResponse.json(200, JsonWriter.write(g -> JsonWriter.writeValue(g, info)));
    }

    private static String page(String title, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head><body><h1>"
                + escape(title) + "</h1>" + body + "<p><small>Tributary HubSpot sandbox</small></p></body></html>";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
