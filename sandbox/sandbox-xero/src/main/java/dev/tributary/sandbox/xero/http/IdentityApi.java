package dev.tributary.sandbox.xero.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Xero's login and identity endpoints, served under the sandbox's base URL: {@code GET /identity/connect/authorize}
 * (a consent page listing the organisations, several may be chosen), {@code GET /identity/connect/authorize/consent}
 * (redirects with {@code code} and {@code state}), {@code POST /connect/token} and {@code POST /connect/revocation}.
 */
final class IdentityApi {
    private final XeroContext ctx;

    IdentityApi(XeroContext ctx) {
        this.ctx = ctx;
    }

    XeroResponse authorize(XeroRequest r) {
        String client = r.param("client_id");
        if (!ctx.tokens().isKnownClient(client)) return page(400, "Unknown app", "<p>client_id is not a registered app.</p>");
        String redirect = r.param("redirect_uri");
        if (redirect == null || redirect.isBlank()) return page(400, "Invalid request", "<p>redirect_uri is required.</p>");
        if (!"code".equals(r.param("response_type"))) return page(400, "Invalid request", "<p>response_type must be code.</p>");
        String common = "client_id=" + enc(client) + "&redirect_uri=" + enc(redirect) + "&scope=" + enc(nz(r.param("scope")))
                + (r.param("state") == null ? "" : "&state=" + enc(r.param("state")));
        StringBuilder list = new StringBuilder("<ul>");
        for (String t : ctx.tenantIds()) {
            list.append("<li><a href=\"/identity/connect/authorize/consent?").append(escape(common)).append("&amp;tenants=").append(t)
                    .append("\">").append(escape(ctx.books(t).name())).append("</a></li>");
        }
        list.append("</ul><p><a href=\"/identity/connect/authorize/consent?").append(escape(common)).append("&amp;tenants=")
                .append(String.join(",", ctx.tenantIds())).append("\">Allow access to all organisations</a></p>");
        return page(200, "Allow access to your Xero organisations", list.toString());
    }

    XeroResponse consent(XeroRequest r) {
        if (!ctx.tokens().isKnownClient(r.param("client_id"))) return page(400, "Unknown app", "");
        List<String> tenants = new ArrayList<>();
        for (String t : r.listParam("tenants")) {
            if (!ctx.hasTenant(t)) return page(400, "Unknown organisation", "<p>" + escape(t) + "</p>");
            tenants.add(t.toLowerCase());
        }
        if (tenants.isEmpty()) return page(400, "Choose an organisation", "");
        String redirect = r.param("redirect_uri");
        String code = ctx.tokens().issueCode(tenants, redirect, nz(r.param("scope")));
        return XeroResponse.redirect(redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code)
                + "&scope=" + enc(nz(r.param("scope"))) + (r.param("state") == null ? "" : "&state=" + enc(r.param("state"))));
    }

    XeroResponse token(XeroRequest r) {
        try {
            Map<String, Object> answer = ctx.tokens().grant(r.form(), basic(r));
            return XeroResponse.json(200, answer);
        } catch (Tokens.OAuthError e) {
            return oauthError(e);
        }
    }

    XeroResponse revocation(XeroRequest r) {
        try {
            ctx.tokens().revoke(XeroRequest.first(r.form(), "token"), basic(r));
            return XeroResponse.empty(200);
        } catch (Tokens.OAuthError e) {
            return oauthError(e);
        }
    }

    private static XeroResponse oauthError(Tokens.OAuthError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        return XeroResponse.json(e.status(), body);
    }

    private static String basic(XeroRequest r) {
        String h = r.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            return new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static XeroResponse page(int status, String title, String body) {
        return XeroResponse.text(status, "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head><body><h1>"
                + escape(title) + "</h1>" + body + "<p><small>Tributary Xero sandbox</small></p></body></html>", "text/html; charset=utf-8");
    }

    private static String nz(String s) { return s == null ? "" : s; }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
