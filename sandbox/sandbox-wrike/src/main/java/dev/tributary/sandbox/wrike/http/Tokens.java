package dev.tributary.sandbox.wrike.http;

import dev.tributary.sandbox.wrike.SandboxClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Permanent tokens (one per user, never expire) and OAuth 2.0: authorization codes, access tokens that expire on the
 * sandbox clock, and refresh tokens that are replaced by each refresh (the old one stops working once used).
 */
public final class Tokens {
    /** Who a bearer token speaks for. */
    public record Caller(String userId, boolean oauth) {}

    /** Why a token was refused: Wrike answers 401 not_authorized. */
    public static final class AuthFailure extends Exception {
        AuthFailure(String message) { super(message); }
    }

    private record Access(String userId, long expiresAt, String grant) {}
    private record Refresh(String userId, String grant) {}
    private record Code(String userId, String redirectUri, long expiresAt) {}

    private final SandboxClock clock;
    private final int ttlSeconds;
    private final String clientId;
    private final String clientSecret;
    private final Map<String, String> permanent = new LinkedHashMap<>();
    private final Map<String, Access> access = new ConcurrentHashMap<>();
    private final Map<String, Refresh> refresh = new ConcurrentHashMap<>();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> revokedGrants = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public Tokens(long seed, List<String> userIds, SandboxClock clock, int ttlSeconds) {
        this.clock = clock;
        this.ttlSeconds = ttlSeconds;
        this.clientId = "wrk-" + UUID.nameUUIDFromBytes(("wrike-client:" + seed).getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        this.clientSecret = UUID.nameUUIDFromBytes(("wrike-secret:" + seed).getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        for (String u : userIds) {
            // permanent tokens look like Wrike's: a JWT-style header then an opaque part
            String opaque = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    UUID.nameUUIDFromBytes(("wrike-permanent:" + seed + ":" + u).getBytes(StandardCharsets.UTF_8)).toString().getBytes(StandardCharsets.UTF_8));
            permanent.put("eyJ0dCI6InAiLCJhbGciOiJIUzI1NiIsInR2IjoiMSJ9." + opaque, u);
        }
    }

    public String clientId() { return clientId; }
    public String clientSecret() { return clientSecret; }

    public String permanentToken(String userId) {
        for (Map.Entry<String, String> e : permanent.entrySet()) if (e.getValue().equals(userId)) return e.getKey();
        throw new IllegalArgumentException("no user " + userId);
    }

    public Caller authenticate(String authorization, String accessTokenParam) throws AuthFailure {
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) token = authorization.substring(7).trim();
        else if (accessTokenParam != null) token = accessTokenParam.trim();
        if (token == null || token.isEmpty()) throw new AuthFailure("Authorization header is missing or malformed");
        String user = permanent.get(token);
        if (user != null) return new Caller(user, false);
        Access a = access.get(token);
        if (a == null || revokedGrants.containsKey(a.grant())) throw new AuthFailure("Access token is unknown or invalid");
        if (clock.millis() >= a.expiresAt()) throw new AuthFailure("Access token is expired");
        return new Caller(a.userId(), true);
    }

    public String newCode(String userId, String redirectUri) {
        String code = random(24);
        codes.put(code, new Code(userId, redirectUri, clock.millis() + 600_000));
        return code;
    }

    /** The token endpoint's grant: a map to send, or an OAuth error. */
    public Map<String, Object> grant(Map<String, List<String>> form, String host) throws OAuthError {
        String id = WrikeRequest.first(form, "client_id");
        String secret = WrikeRequest.first(form, "client_secret");
        if (!clientId.equals(id) || !clientSecret.equals(secret)) throw new OAuthError(401, "invalid_client", "Client authentication failed");
        String type = WrikeRequest.first(form, "grant_type");
        String user;
        String grant;
        if ("authorization_code".equals(type)) {
            Code c = codes.remove(String.valueOf(WrikeRequest.first(form, "code")));
            if (c == null || clock.millis() > c.expiresAt()) throw new OAuthError(400, "invalid_grant", "Authorization code is invalid or expired");
            user = c.userId();
            grant = random(12);
        } else if ("refresh_token".equals(type)) {
            String rt = WrikeRequest.first(form, "refresh_token");
            Refresh r = rt == null ? null : refresh.remove(rt);
            if (r == null || revokedGrants.containsKey(r.grant())) throw new OAuthError(400, "invalid_grant", "Refresh token is invalid");
            user = r.userId();
            grant = r.grant();
        } else {
            throw new OAuthError(400, "unsupported_grant_type", "Grant type '" + type + "' is not supported");
        }
        return issue(user, grant, host);
    }

    /** A consent made without the browser, for tests and the banner: its refresh token. */
    public String consent(String userId) {
        String rt = random(32);
        refresh.put(rt, new Refresh(userId, random(12)));
        return rt;
    }

    private Map<String, Object> issue(String user, String grant, String host) {
        String at = random(32);
        String rt = random(32);
        access.put(at, new Access(user, clock.millis() + ttlSeconds * 1000L, grant));
        refresh.put(rt, new Refresh(user, grant));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", at);
        out.put("refresh_token", rt);
        out.put("token_type", "bearer");
        out.put("expires_in", ttlSeconds);
        out.put("host", host);
        return out;
    }

    /** Expires every OAuth access token now (permanent tokens are untouched). */
    public int expireAccessTokens() {
        int n = access.size();
        long now = clock.millis();
        access.replaceAll((k, a) -> new Access(a.userId(), now, a.grant()));
        return n;
    }

    /** Revokes every OAuth grant: their access and refresh tokens stop working. */
    public int revokeAll() {
        int n = 0;
        for (Refresh r : refresh.values()) if (revokedGrants.putIfAbsent(r.grant(), true) == null) n++;
        for (Access a : access.values()) revokedGrants.putIfAbsent(a.grant(), true);
        return n;
    }

    public int liveRefreshTokens() {
        int n = 0;
        for (Refresh r : refresh.values()) if (!revokedGrants.containsKey(r.grant())) n++;
        return n;
    }

    private String random(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** An OAuth token-endpoint refusal. */
    public static final class OAuthError extends Exception {
        final int status;
        final String error;

        OAuthError(int status, String error, String description) {
            super(description);
            this.status = status;
            this.error = error;
        }
    }
}
