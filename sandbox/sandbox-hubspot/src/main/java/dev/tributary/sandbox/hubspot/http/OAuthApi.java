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

    /** GET /oauth/authorize: a tiny HTML page listing the portals; each link completes the install for one. */
    SandboxResponse authorize(SandboxRequest r) {
        String clientId = r.param("client_id");
        String redirect = r.param("redirect_uri");
        if (!ctx.tokens().isKnownClient(clientId)) return SandboxResponse.html(400, page("Unknown app", "<p>The client_id is not valid.</p>"));
        if (redirect == null || redirect.isBlank()) return SandboxResponse.html(400, page("Missing redirect_uri", "<p>redirect_uri is required.</p>"));
        StringBuilder list = new StringBuilder("<ul>");
        for (long hub : ctx.hubIds()) {
            String href = "/oauth/authorize/choose?hub_id=" + hub + "&client_id=" + enc(clientId) + "&redirect_uri=" + enc(redirect)
                    + "&scope=" + enc(r.param("scope") == null ? "" : r.param("scope"))
                    + (r.param("state") == null ? "" : "&state=" + enc(r.param("state")));
            list.append("<li><a href=\"").append(escape(href)).append("\">Portal ").append(hub).append(" (")
                    .append(escape(ctx.portal(hub).domain())).append(")</a></li>");
        }
        list.append("</ul>");
        return SandboxResponse.html(200, page("Choose an account", "<p>Install the test app into:</p>" + list));
    }

    /** GET /oauth/authorize/choose: issues a code and redirects to redirect_uri?code=..&state=.. */
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
        String scope = r.param("scope") == null ? "" : r.param("scope");
        List<String> scopes = scope.isBlank() ? List.of("oauth") : Arrays.stream(scope.split("[ +]")).filter(s -> !s.isBlank()).toList();
        Portal portal = ctx.portal(hub);
        Owner user = portal.owners().get(0);
        String code = ctx.tokens().issueCode(hub, redirect, scopes, user.email(), user.userId());
        String location = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code)
                + (r.param("state") == null ? "" : "&state=" + enc(r.param("state")));
        return SandboxResponse.redirect(location);
    }

    /** POST /oauth/v1/token, form-encoded. */
    SandboxResponse token(SandboxRequest r) {
        try {
            Map<String, Object> answer = ctx.tokens().grant(r.form());
            return SandboxResponse.json(200, JsonWriter.write(g -> JsonWriter.writeValue(g, answer)));
        } catch (TokenRegistry.OAuthError e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", e.code());
            body.put("message", e.getMessage());
            body.put("correlationId", java.util.UUID.randomUUID().toString());
            body.put("error", "invalid_grant");
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
        body.put("hub_domain", ctx.portal(a.hubId()).domain());
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
