package dev.tributary.sandbox.hubspot.http;

import dev.tributary.sandbox.hubspot.SandboxClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Private-app tokens (one per portal, derived from the seed), the test OAuth app's credentials, authorization
 * codes, expiring access tokens and refresh tokens. Decides who a bearer token belongs to.
 */
public final class TokenRegistry {
    private static final Pattern PRIVATE_APP = Pattern.compile("pat-[a-z0-9]{2,4}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern OAUTH_ACCESS = Pattern.compile("C[A-Za-z0-9_-]{20,400}");
    private static final long CODE_LIFETIME_MILLIS = 10 * 60_000;

    /** Who is calling: the portal, which app (rate limits are per app and portal), and whether by OAuth. */
    public record Caller(long hubId, String appKey, boolean oauth) {}

    /** A token the sandbox refused: 401 with a category, or 530 for a malformed token. */
    public static final class AuthFailure extends RuntimeException {
        private final int status;
        private final String category;

        AuthFailure(int status, String category, String message) {
            super(message);
            this.status = status;
            this.category = category;
        }

        public int status() { return status; }
        public String category() { return category; }
    }

    /** An access token's facts for the info endpoint. */
    public record AccessToken(String token, long hubId, List<String> scopes, long expiresAtMillis, String user, long userId) {}

    private record AuthCode(long hubId, String redirectUri, List<String> scopes, long expiresAtMillis, String user, long userId) {}

    private record RefreshGrant(long hubId, List<String> scopes, String user, long userId) {}

    private final SandboxClock clock;
    private final int accessTokenTtlSeconds;
    private final Map<Long, String> privateAppTokens = new LinkedHashMap<>();
    private final Map<String, Long> privateAppHub = new ConcurrentHashMap<>();
    private final String clientId;
    private final String clientSecret;
    private final long appId;
    private final Map<String, AuthCode> codes = new ConcurrentHashMap<>();
    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();
    private volatile boolean rotateRefreshTokens;
    private final SecureRandom random = new SecureRandom();

    public TokenRegistry(dev.tributary.sandbox.hubspot.SandboxOptions options, List<Long> hubIds, SandboxClock clock) {
        this(options.seed(), hubIds, clock, options.accessTokenTtlSeconds(), options.appClientId(), options.appClientSecret());
    }

    public TokenRegistry(long seed, List<Long> hubIds, SandboxClock clock, int accessTokenTtlSeconds) {
        this(seed, hubIds, clock, accessTokenTtlSeconds, null, null);
    }

    private TokenRegistry(long seed, List<Long> hubIds, SandboxClock clock, int accessTokenTtlSeconds, String appClientId, String appClientSecret) {
        this.clock = clock;
        this.accessTokenTtlSeconds = accessTokenTtlSeconds;
        for (long hub : hubIds) {
            String token = "pat-na1-" + UUID.nameUUIDFromBytes(("pat:" + seed + ":" + hub).getBytes(StandardCharsets.UTF_8));
            privateAppTokens.put(hub, token);
            privateAppHub.put(token, hub);
        }
        this.clientId = appClientId != null ? appClientId : UUID.nameUUIDFromBytes(("client:" + seed).getBytes(StandardCharsets.UTF_8)).toString();
        this.clientSecret = appClientSecret != null ? appClientSecret : UUID.nameUUIDFromBytes(("secret:" + seed).getBytes(StandardCharsets.UTF_8)).toString();
        this.appId = 1_000_000 + Math.floorMod(seed, 8_000_000);
    }

    public String privateAppToken(long hubId) {
        String t = privateAppTokens.get(hubId);
        if (t == null) throw new IllegalArgumentException("no portal with hub id " + hubId);
        return t;
    }

    public String clientId() { return clientId; }
    public String clientSecret() { return clientSecret; }
    public long appId() { return appId; }
    public int accessTokenTtlSeconds() { return accessTokenTtlSeconds; }

    /** Resolves an Authorization header or throws {@link AuthFailure}. */
    public Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new AuthFailure(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports "
                    + "OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
        }
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) throw new AuthFailure(530, null, "malformed");
        String token = value.substring(7).trim();
        if (PRIVATE_APP.matcher(token).matches()) {
            Long hub = privateAppHub.get(token);
            if (hub == null) throw invalid();
            return new Caller(hub, "private-app-" + hub, false);
        }
        if (OAUTH_ACCESS.matcher(token).matches()) {
            AccessToken a = accessTokens.get(token);
            if (a == null) throw invalid();
            long now = clock.millis();
            if (now >= a.expiresAtMillis()) {
                long ago = Math.max(1, (now - a.expiresAtMillis()) / 1000);
                throw new AuthFailure(401, "EXPIRED_AUTHENTICATION",
                        "The OAuth token used to make this call expired " + ago + " second(s) ago.");
            }
            return new Caller(a.hubId(), "oauth-app-" + appId, true);
        }
        throw new AuthFailure(530, null, "malformed");
    }

    private static AuthFailure invalid() {
        return new AuthFailure(401, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API supports "
                + "OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
    }

    public boolean isKnownClient(String id) {
        return clientId.equals(id);
    }

    public String issueCode(long hubId, String redirectUri, List<String> scopes, String user, long userId) {
        String code = "na1-" + UUID.randomUUID();
        codes.put(code, new AuthCode(hubId, redirectUri, scopes, clock.millis() + CODE_LIFETIME_MILLIS, user, userId));
        return code;
    }

    /** The answer of POST /oauth/v1/token for both grants; throws {@link ApiException}-style failures via OAuthError. */
    public Map<String, Object> grant(Map<String, List<String>> form) {
        String grantType = first(form, "grant_type");
        String id = first(form, "client_id");
        String secret = first(form, "client_secret");
        if (grantType == null) throw new OAuthError("BAD_GRANT_TYPE", "missing or unknown grant type");
        if (!"authorization_code".equals(grantType) && !"refresh_token".equals(grantType)) {
            throw new OAuthError("BAD_GRANT_TYPE", "unsupported grant type: " + grantType);
        }
        if (!clientId.equals(id)) throw new OAuthError("BAD_CLIENT_ID", "missing or invalid client id");
        if (!clientSecret.equals(secret)) throw new OAuthError("BAD_CLIENT_SECRET", "missing or invalid client secret");
        if (grantType.equals("authorization_code")) {
            String code = first(form, "code");
            AuthCode c = code == null ? null : codes.remove(code);
            if (c == null || clock.millis() > c.expiresAtMillis()) throw new OAuthError("BAD_AUTH_CODE", "missing or invalid auth code");
            String redirect = first(form, "redirect_uri");
            if (redirect == null || !redirect.equals(c.redirectUri())) throw new OAuthError("BAD_REDIRECT_URI", "redirect_uri does not match");
            String refresh = "na1-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(6);
            refreshTokens.put(refresh, new RefreshGrant(c.hubId(), c.scopes(), c.user(), c.userId()));
            return tokenAnswer(newAccess(c.hubId(), c.scopes(), c.user(), c.userId()), refresh);
        }
        return refreshGrant(form);
    }

    private Map<String, Object> refreshGrant(Map<String, List<String>> form) {
        String refresh = first(form, "refresh_token");
        RefreshGrant g = refresh == null ? null : refreshTokens.get(refresh);
        if (g == null) throw new OAuthError("BAD_REFRESH_TOKEN", "missing or invalid refresh token");
        if (rotateRefreshTokens) {
            // The old refresh token stops working: only a client that stored the new one can go on.
            String rotated = "na1-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(6);
            refreshTokens.remove(refresh);
            refreshTokens.put(rotated, g);
            refresh = rotated;
        }
        return tokenAnswer(newAccess(g.hubId(), g.scopes(), g.user(), g.userId()), refresh);
    }

    private AccessToken newAccess(long hubId, List<String> scopes, String user, long userId) {
        byte[] raw = new byte[60];
        random.nextBytes(raw);
        String token = "CN" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        AccessToken a = new AccessToken(token, hubId, scopes, clock.millis() + accessTokenTtlSeconds * 1000L, user, userId);
        accessTokens.put(token, a);
        return a;
    }

    private Map<String, Object> tokenAnswer(AccessToken a, String refresh) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token_type", "bearer");
        out.put("refresh_token", refresh);
        out.put("access_token", a.token());
        out.put("expires_in", accessTokenTtlSeconds);
        return out;
    }

    /** POST /oauth/v3/token: as v1, plus the facts v3 adds (hub_id, user_id, scopes, token_use). */
    public Map<String, Object> grantV3(Map<String, List<String>> form) {
        Map<String, Object> out = grant(form);
        AccessToken a = accessTokens.get((String) out.get("access_token"));
        out.put("hub_id", a.hubId());
        out.put("user_id", a.userId());
        out.put("scopes", a.scopes());
        out.put("token_use", "access_token");
        return out;
    }

    /**
     * POST /oauth/v3/introspect (form: token, client_id, client_secret): what a token is. An unknown or expired token
     * answers {@code active: false}, as RFC 7662 says.
     */
    public Map<String, Object> introspect(Map<String, List<String>> form) {
        if (!clientId.equals(first(form, "client_id"))) throw new OAuthError("BAD_CLIENT_ID", "missing or invalid client id");
        if (!clientSecret.equals(first(form, "client_secret"))) throw new OAuthError("BAD_CLIENT_SECRET", "missing or invalid client secret");
        String token = first(form, "token");
        Map<String, Object> out = new LinkedHashMap<>();
        AccessToken a = token == null ? null : accessTokens.get(token);
        RefreshGrant g = token == null ? null : refreshTokens.get(token);
        if (a != null && clock.millis() < a.expiresAtMillis()) {
            out.put("active", true);
            out.put("token_use", "access_token");
            out.put("client_id", clientId);
            out.put("hub_id", a.hubId());
            out.put("user_id", a.userId());
            out.put("scopes", a.scopes());
            out.put("exp", a.expiresAtMillis() / 1000);
            out.put("expires_in", Math.max(0, (a.expiresAtMillis() - clock.millis()) / 1000));
        } else if (g != null) {
            out.put("active", true);
            out.put("token_use", "refresh_token");
            out.put("client_id", clientId);
            out.put("hub_id", g.hubId());
            out.put("user_id", g.userId());
            out.put("scopes", g.scopes());
        } else {
            out.put("active", false);
        }
        return out;
    }

    /** The app removed from one account: its refresh and access tokens stop working. Returns how many tokens ended. */
    public int uninstall(long hubId) {
        int n = 0;
        for (var it = refreshTokens.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().hubId() == hubId) { it.remove(); n++; }
        }
        for (var it = accessTokens.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().hubId() == hubId) { it.remove(); n++; }
        }
        return n;
    }

    public AccessToken accessToken(String token) {
        return accessTokens.get(token);
    }

    public boolean isRefreshToken(String token) {
        return refreshTokens.containsKey(token);
    }

    public Map<String, Object> refreshTokenInfo(String token) {
        RefreshGrant g = refreshTokens.get(token);
        if (g == null) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", token);
        out.put("user", g.user());
        out.put("hub_domain", "tributary-sandbox-" + g.hubId() + ".com");
        out.put("scopes", g.scopes());
        out.put("hub_id", g.hubId());
        out.put("client_id", clientId);
        out.put("user_id", g.userId());
        out.put("token_type", "refresh");
        return out;
    }

    public boolean revokeRefreshToken(String token) {
        return refreshTokens.remove(token) != null;
    }

    /** Makes every issued access token expired now (control API). Returns how many. */
    public int expireAccessTokens() {
        long now = clock.millis();
        int n = 0;
        for (Map.Entry<String, AccessToken> e : accessTokens.entrySet()) {
            AccessToken a = e.getValue();
            if (a.expiresAtMillis() > now) {
                e.setValue(new AccessToken(a.token(), a.hubId(), a.scopes(), now, a.user(), a.userId()));
                n++;
            }
        }
        return n;
    }

    /** From now on every refresh grant answers with a new refresh token and invalidates the one it was given. */
    public void rotateRefreshTokens(boolean on) {
        rotateRefreshTokens = on;
    }

    /** Makes every refresh token invalid (an uninstall). */
    public int revokeRefreshTokens() {
        int n = refreshTokens.size();
        refreshTokens.clear();
        return n;
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x));
        return s.toString();
    }

    private static String first(Map<String, List<String>> form, String key) {
        List<String> v = form.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A token-endpoint failure: HTTP 400 with {"status":CODE,"message":...}. */
    public static final class OAuthError extends RuntimeException {
        private final String code;

        OAuthError(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() { return code; }
    }
}
