package dev.tributary.sandbox.xero.http;

import dev.tributary.sandbox.xero.SandboxClock;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Xero's identity service: the OAuth app and the custom-connection app, authorization codes, grants (which tenants a
 * consent covers), 30-minute access tokens, and single-use refresh tokens that rotate on every use: a used token keeps
 * working for the grace period (30 minutes) and answers with the same successor, so a client that lost the answer can
 * ask again; after that, or once the successor has been used, it is refused. Unused refresh tokens expire after 60 days.
 */
public final class Tokens {
    private static final long CODE_LIFETIME_MILLIS = 5 * 60_000;

    /** Who calls the API: which app, which grant, which tenants it may reach; {@code custom} for client credentials. */
    public record Caller(String app, String grantId, Set<String> tenants, boolean custom) {}

    /** A refused bearer token: 401 with Xero's problem detail. */
    public static final class AuthFailure extends RuntimeException {
        private final String wwwAuthenticate;

        AuthFailure(String detail, String wwwAuthenticate) {
            super(detail);
            this.wwwAuthenticate = wwwAuthenticate;
        }

        public String wwwAuthenticate() { return wwwAuthenticate; }
    }

    /** A refused token request: 400 (or 401) with {"error": code}. */
    public static final class OAuthError extends RuntimeException {
        private final String error;
        private final int status;

        OAuthError(int status, String error, String description) {
            super(description);
            this.status = status;
            this.error = error;
        }

        public String error() { return error; }
        public int status() { return status; }
    }

    /** One consent: an app, the tenants the user connected, one connection id per tenant. */
    static final class Grant {
        final String id;
        final String app;
        final String scope;
        final Map<String, String> connections = new ConcurrentHashMap<>(); // tenantId -> connection id
        final Map<String, Long> connectedAt = new ConcurrentHashMap<>();
        volatile boolean revoked;

        Grant(String id, String app, String scope) {
            this.id = id;
            this.app = app;
            this.scope = scope;
        }
    }

    private static final class Refresh {
        final String grantId;
        final long issuedAt;
        volatile long usedAt;
        volatile String successor;

        Refresh(String grantId, long issuedAt) {
            this.grantId = grantId;
            this.issuedAt = issuedAt;
        }
    }

    private record Access(String app, String grantId, String customTenant, long expiresAt) {}

    private record Code(String grantId, String redirectUri, long expiresAt) {}

    private final SandboxClock clock;
    private final XeroSandboxOptions options;
    private final String clientId;
    private final String clientSecret;
    private final String customClientId;
    private final String customClientSecret;
    private final String customTenant;
    private final List<String> allTenants;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Access> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public Tokens(long seed, List<String> tenants, SandboxClock clock, XeroSandboxOptions options) {
        this.clock = clock;
        this.options = options;
        this.allTenants = List.copyOf(tenants);
        this.clientId = hexId("client:" + seed);
        this.clientSecret = secret("secret:" + seed);
        this.customClientId = hexId("custom-client:" + seed);
        this.customClientSecret = secret("custom-secret:" + seed);
        this.customTenant = tenants.get(0);
    }

    private static String hexId(String s) {
        return UUID.nameUUIDFromBytes(s.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "").toUpperCase();
    }

    private static String secret(String s) {
        byte[] a = UUID.nameUUIDFromBytes(s.getBytes(StandardCharsets.UTF_8)).toString().getBytes(StandardCharsets.UTF_8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(a).substring(0, 48);
    }

    public String clientId() { return clientId; }
    public String clientSecret() { return clientSecret; }
    public String customClientId() { return customClientId; }
    public String customClientSecret() { return customClientSecret; }
    public String customTenant() { return customTenant; }

    /** Resolves an Authorization header or throws {@link AuthFailure}. */
    public Caller authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthFailure("AuthenticationUnsuccessful", "Bearer");
        }
        Access a = accessTokens.get(authorization.substring(7).trim());
        if (a == null) throw new AuthFailure("AuthenticationUnsuccessful", "Bearer error=\"invalid_token\"");
        long now = clock.millis();
        if (now >= a.expiresAt()) {
            String at = java.time.format.DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss")
                    .format(java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(a.expiresAt()), java.time.ZoneOffset.UTC));
            throw new AuthFailure("TokenExpired: token expired at " + at,
                    "Bearer error=\"invalid_token\", error_description=\"The token expired at '" + at + "'\"");
        }
        if (a.customTenant() != null) return new Caller(a.app(), null, Set.of(a.customTenant()), true);
        Grant g = grants.get(a.grantId());
        if (g == null || g.revoked) throw new AuthFailure("AuthenticationUnsuccessful", "Bearer error=\"invalid_token\"");
        return new Caller(a.app(), g.id, Set.copyOf(g.connections.keySet()), false);
    }

    /** The connections of a caller, as GET /connections lists them. */
    public List<Map<String, Object>> connections(Caller c, java.util.function.Function<String, String> tenantName) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (c.custom()) {
            out.add(connection(UUID.nameUUIDFromBytes(("custom:" + customTenant).getBytes(StandardCharsets.UTF_8)).toString(),
                    customTenant, tenantName.apply(customTenant), 0));
            return out;
        }
        Grant g = grants.get(c.grantId());
        for (String t : allTenants) {
            String id = g.connections.get(t);
            if (id != null) out.add(connection(id, t, tenantName.apply(t), g.connectedAt.getOrDefault(t, 0L)));
        }
        return out;
    }

    private Map<String, Object> connection(String id, String tenant, String name, long at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("authEventId", UUID.nameUUIDFromBytes(("auth:" + id).getBytes(StandardCharsets.UTF_8)).toString());
        m.put("tenantId", tenant);
        m.put("tenantType", "ORGANISATION");
        m.put("tenantName", name);
        m.put("createdDateUtc", dev.tributary.sandbox.xero.data.MsDate.connectionTime(at));
        m.put("updatedDateUtc", dev.tributary.sandbox.xero.data.MsDate.connectionTime(at));
        return m;
    }

    /** DELETE /connections/{id}: the tenant leaves the grant. False when the caller has no such connection. */
    public boolean disconnect(Caller c, String connectionId) {
        if (c.custom()) return false;
        Grant g = grants.get(c.grantId());
        for (Map.Entry<String, String> e : g.connections.entrySet()) {
            if (e.getValue().equalsIgnoreCase(connectionId)) {
                g.connections.remove(e.getKey());
                return true;
            }
        }
        return false;
    }

    public boolean isKnownClient(String id) {
        return clientId.equals(id);
    }

    /** The user consented for {@code tenants}: a grant and a code for it. */
    public String issueCode(List<String> tenants, String redirectUri, String scope) {
        Grant g = new Grant(UUID.randomUUID().toString(), clientId, scope == null ? "" : scope);
        long now = clock.millis();
        for (String t : tenants) {
            g.connections.put(t, UUID.randomUUID().toString());
            g.connectedAt.put(t, now);
        }
        grants.put(g.id, g);
        String code = hex(32);
        codes.put(code, new Code(g.id, redirectUri, now + CODE_LIFETIME_MILLIS));
        return code;
    }

    /** A grant made without the browser (tests, the CLI banner): its first refresh token. */
    public String consent(List<String> tenants, String scope) {
        Grant g = new Grant(UUID.randomUUID().toString(), clientId, scope);
        long now = clock.millis();
        for (String t : tenants) {
            g.connections.put(t, UUID.randomUUID().toString());
            g.connectedAt.put(t, now);
        }
        grants.put(g.id, g);
        String refresh = hex(32);
        refreshTokens.put(refresh, new Refresh(g.id, now));
        return refresh;
    }

    /** POST /connect/token. {@code basicAuth} is the decoded "id:secret" of the Authorization: Basic header (required), or null. */
    public Map<String, Object> grant(Map<String, List<String>> form, String basicAuth) {
        // Xero takes the app's credentials only in HTTP Basic, not in the form
        if (basicAuth == null) throw new OAuthError(400, "invalid_client", "client credentials belong in an Authorization: Basic header");
        int colon = basicAuth.indexOf(':');
        String id = colon < 0 ? basicAuth : basicAuth.substring(0, colon);
        String secret = colon < 0 ? "" : basicAuth.substring(colon + 1);
        String type = XeroRequest.first(form, "grant_type");
        if (type == null) throw new OAuthError(400, "unsupported_grant_type", "grant_type is missing");
        boolean custom = customClientId.equals(id);
        if (!(clientId.equals(id) && clientSecret.equals(secret)) && !(custom && customClientSecret.equals(secret))) {
            throw new OAuthError(400, "invalid_client", "client authentication failed");
        }
        long now = clock.millis();
        switch (type) {
            case "client_credentials" -> {
                if (!custom) throw new OAuthError(400, "unauthorized_client", "this app is not a custom connection");
                String access = newAccess(new Access(customClientId, null, customTenant, now + options.accessTokenTtlSeconds() * 1000L));
                return answer(access, null, "accounting.transactions accounting.contacts accounting.settings");
            }
            case "authorization_code" -> {
                if (custom) throw new OAuthError(400, "unauthorized_client", "custom connections use client_credentials");
                String code = XeroRequest.first(form, "code");
                Code c = code == null ? null : codes.remove(code);
                if (c == null || now > c.expiresAt()) throw new OAuthError(400, "invalid_grant", "the code is unknown, used or expired");
                String redirect = XeroRequest.first(form, "redirect_uri");
                if (redirect != null && !redirect.equals(c.redirectUri())) throw new OAuthError(400, "invalid_grant", "redirect_uri does not match");
                String refresh = hex(32);
                refreshTokens.put(refresh, new Refresh(c.grantId(), now));
                Grant g = grants.get(c.grantId());
                return answer(newAccess(new Access(clientId, g.id, null, now + options.accessTokenTtlSeconds() * 1000L)), refresh, g.scope);
            }
            case "refresh_token" -> {
                if (custom) throw new OAuthError(400, "unauthorized_client", "custom connections use client_credentials");
                String token = XeroRequest.first(form, "refresh_token");
                return refresh(token, now);
            }
            default -> throw new OAuthError(400, "unsupported_grant_type", "unsupported grant_type " + type);
        }
    }

    private synchronized Map<String, Object> refresh(String token, long now) {
        Refresh r = token == null ? null : refreshTokens.get(token);
        if (r == null) throw new OAuthError(400, "invalid_grant", "unknown or revoked refresh token");
        Grant g = grants.get(r.grantId);
        if (g == null || g.revoked) throw new OAuthError(400, "invalid_grant", "the grant was revoked");
        if (r.usedAt == 0 && now - r.issuedAt > options.refreshTokenIdleDays() * 86_400_000L) {
            refreshTokens.remove(token);
            throw new OAuthError(400, "invalid_grant", "refresh token expired (unused for " + options.refreshTokenIdleDays() + " days)");
        }
        String next;
        if (r.usedAt != 0) {
            Refresh successor = refreshTokens.get(r.successor);
            boolean inGrace = now - r.usedAt <= options.refreshGraceSeconds() * 1000L;
            if (!inGrace || successor == null || successor.usedAt != 0) {
                throw new OAuthError(400, "invalid_grant", "refresh token already used");
            }
            next = r.successor; // the answer was lost: the same successor again
        } else {
            next = hex(32);
            refreshTokens.put(next, new Refresh(g.id, now));
            r.usedAt = now;
            r.successor = next;
        }
        String access = newAccess(new Access(clientId, g.id, null, now + options.accessTokenTtlSeconds() * 1000L));
        return answer(access, next, g.scope);
    }

    /** POST /connect/revocation: revoking a refresh token ends its grant (every token and connection). */
    public void revoke(String token, String basicAuth) {
        if (basicAuth == null || !basicAuth.equals(clientId + ":" + clientSecret)) throw new OAuthError(401, "invalid_client", "client authentication failed");
        Refresh r = token == null ? null : refreshTokens.get(token);
        if (r == null) return; // RFC 7009: unknown tokens are fine
        Grant g = grants.get(r.grantId);
        if (g != null) g.revoked = true;
        refreshTokens.values().removeIf(x -> x.grantId.equals(r.grantId));
    }

    private Map<String, Object> answer(String access, String refresh, String scope) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", access);
        out.put("expires_in", options.accessTokenTtlSeconds());
        out.put("token_type", "Bearer");
        if (refresh != null) out.put("refresh_token", refresh);
        out.put("scope", scope);
        return out;
    }

    private String newAccess(Access a) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"exp\":" + a.expiresAt() / 1000 + ",\"client_id\":\"" + a.app() + "\",\"jti\":\""
                + hex(16) + "\"}").getBytes(StandardCharsets.UTF_8));
        byte[] sig = new byte[64];
        random.nextBytes(sig);
        String token = header + "." + payload + "." + b64.encodeToString(sig);
        accessTokens.put(token, a);
        return token;
    }

    /** Makes every access token expired now (control API). */
    public int expireAccessTokens() {
        long now = clock.millis();
        int n = 0;
        for (Map.Entry<String, Access> e : accessTokens.entrySet()) {
            Access a = e.getValue();
            if (a.expiresAt() > now) {
                e.setValue(new Access(a.app(), a.grantId(), a.customTenant(), now));
                n++;
            }
        }
        return n;
    }

    /** Revokes every grant (the user disconnected the app everywhere): refresh tokens refused, access tokens too. */
    public int revokeAll() {
        int n = 0;
        for (Grant g : grants.values()) {
            if (!g.revoked) n++;
            g.revoked = true;
        }
        refreshTokens.clear();
        return n;
    }

    /** How many refresh tokens are live (unused, or used but still inside the grace period). */
    public int liveRefreshTokens() {
        long now = clock.millis();
        int n = 0;
        for (Refresh r : refreshTokens.values()) {
            if (r.usedAt == 0 || now - r.usedAt <= options.refreshGraceSeconds() * 1000L) n++;
        }
        return n;
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    List<String> tenants() { return allTenants; }

    static Set<String> orderedSet(List<String> l) { return new LinkedHashSet<>(l); }
}
