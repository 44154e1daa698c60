package dev.tributary.sandbox.sheets.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.sandbox.sheets.SheetsClock;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's auth as the Sheets API sees it: one service account (RS256 JWT assertions exchanged at the token URI),
 * one OAuth client with a user refresh token, one API key. Access tokens are opaque {@code ya29.} strings that
 * expire after the configured lifetime. Each credential can be revoked (and restored) by the control API.
 */
public final class GoogleAuth {
    public static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
    public static final String SERVICE_ACCOUNT = "tributary-reader@tributary-sandbox.iam.gserviceaccount.com";
    public static final String USER = "operator@tributary.example";
    public static final String PROJECT_ID = "tributary-sandbox";
    private static final Set<String> READ_SCOPES = Set.of(
            "https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/spreadsheets.readonly",
            "https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/drive.readonly",
            "https://www.googleapis.com/auth/drive.metadata.readonly", "https://www.googleapis.com/auth/drive.file");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Who a request runs as, with the scopes its token carries (API-key callers: all public reads). */
    public record Principal(String email, Set<String> scopes, boolean apiKey) {
        boolean may(String scopePrefix) {
            return apiKey || scopes.stream().anyMatch(s -> s.startsWith("https://www.googleapis.com/auth/" + scopePrefix));
        }
    }

    private record Grant(Principal principal, long expiresAtMillis, String via) { }

    private final SheetsClock clock;
    private final int tokenTtlSeconds;
    private final KeyPair keyPair;
    private final String privateKeyId;
    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final String apiKey;
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private volatile boolean keyRevoked;
    private volatile boolean refreshRevoked;
    private volatile boolean apiKeyRevoked;
    private volatile String baseUrl;

    public GoogleAuth(long seed, SheetsClock clock, int tokenTtlSeconds) {
        this.clock = clock;
        this.tokenTtlSeconds = tokenTtlSeconds;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, new SecureRandom());
            this.keyPair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key generator in this JVM", e);
        }
        String s = UUID.nameUUIDFromBytes(("sheets:" + seed).getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        this.privateKeyId = s.substring(0, 40 > s.length() ? s.length() : 40);
        this.clientId = "1040" + s.substring(0, 8) + "-" + s.substring(8, 24) + ".apps.googleusercontent.com";
        this.clientSecret = "GOCSPX-" + s.substring(4, 32);
        this.refreshToken = "1//0sbx" + s + "-refresh";
        this.apiKey = "AIzaSy" + (s + s).substring(0, 33);
    }

    void baseUrl(String url) { this.baseUrl = url; }
    public String tokenUri() { return baseUrl + "/token"; }
    public String clientId() { return clientId; }
    public String clientSecret() { return clientSecret; }
    public String refreshToken() { return refreshToken; }
    public String apiKey() { return apiKey; }
    public String serviceAccountEmail() { return SERVICE_ACCOUNT; }

    public void revokeServiceAccountKey(boolean revoked) { keyRevoked = revoked; if (revoked) dropTokens("jwt"); }
    public void revokeRefreshToken(boolean revoked) { refreshRevoked = revoked; if (revoked) dropTokens("refresh"); }
    public void revokeApiKey(boolean revoked) { apiKeyRevoked = revoked; }
    public void expireAccessTokens() { tokens.clear(); }

    private void dropTokens(String via) {
        tokens.values().removeIf(g -> g.via().equals(via));
    }

    /** The key file a user downloads from the Cloud console, with this sandbox's token URI. */
    public String serviceAccountKeyJson() {
        ObjectNode k = JSON.createObjectNode();
        k.put("type", "service_account");
        k.put("project_id", PROJECT_ID);
        k.put("private_key_id", privateKeyId);
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keyPair.getPrivate().getEncoded());
        k.put("private_key", "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
        k.put("client_email", SERVICE_ACCOUNT);
        k.put("client_id", "1" + Long.toUnsignedString(privateKeyId.hashCode() & 0xffffffffL) + "00000000000");
        k.put("auth_uri", baseUrl + "/o/oauth2/auth");
        k.put("token_uri", tokenUri());
        k.put("auth_provider_x509_cert_url", baseUrl + "/oauth2/v1/certs");
        k.put("universe_domain", "googleapis.com");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(k);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POST /token: jwt-bearer and refresh_token grants. Returns status and body (OAuth's flat error shape). */
    Answer token(Map<String, String> form) {
        String grant = form.getOrDefault("grant_type", "");
        return switch (grant) {
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> jwtGrant(form.get("assertion"));
            case "refresh_token" -> refreshGrant(form);
            case "" -> oauthError(400, "invalid_request", "Missing required parameter: grant_type");
            default -> oauthError(400, "unsupported_grant_type", "Invalid grant_type: " + grant);
        };
    }

    record Answer(int status, String body) { }

    private Answer jwtGrant(String assertion) {
        if (assertion == null || assertion.isBlank()) return oauthError(400, "invalid_request", "Missing required parameter: assertion");
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) return oauthError(400, "invalid_grant", "Invalid JWT: the assertion is not a signed JWT.");
        JsonNode header;
        JsonNode claims;
        try {
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (RuntimeException | java.io.IOException e) {
            return oauthError(400, "invalid_grant", "Invalid JWT: the header or claims are not base64url JSON.");
        }
        if (!"RS256".equals(header.path("alg").asText())) return oauthError(400, "invalid_grant", "Invalid JWT: alg must be RS256.");
        String iss = claims.path("iss").asText("");
        if (!iss.equalsIgnoreCase(SERVICE_ACCOUNT)) return oauthError(400, "invalid_grant", "Invalid grant: account not found");
        if (keyRevoked || !verify(parts[0] + "." + parts[1], parts[2])) return oauthError(400, "invalid_grant", "Invalid JWT Signature.");
        String aud = claims.path("aud").asText("");
        if (!aud.equals(tokenUri()) && !aud.equals(GOOGLE_TOKEN_URI)) return oauthError(400, "invalid_grant", "Invalid JWT: Failed audience check.");
        long now = clock.millis() / 1000;
        long iat = claims.path("iat").asLong(-1);
        long exp = claims.path("exp").asLong(-1);
        if (iat < 0 || exp < 0 || exp - iat > 3600 || exp <= now || iat > now + 300) {
            return oauthError(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                    + "Check your iat and exp values in the JWT claim.");
        }
        Set<String> scopes = Set.of(claims.path("scope").asText("").trim().split("\\s+"));
        if (scopes.isEmpty() || !READ_SCOPES.containsAll(scopes)) return oauthError(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        return issue(new Principal(SERVICE_ACCOUNT, scopes, false), "jwt");
    }

    private Answer refreshGrant(Map<String, String> form) {
        if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            return oauthError(401, "invalid_client", "The OAuth client was not found.");
        }
        if (refreshRevoked || !refreshToken.equals(form.get("refresh_token"))) return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
        return issue(new Principal(USER, Set.of("https://www.googleapis.com/auth/spreadsheets.readonly",
                "https://www.googleapis.com/auth/drive.metadata.readonly"), false), "refresh");
    }

    private Answer issue(Principal p, String via) {
        String token = "ya29.sbx" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, new Grant(p, clock.millis() + tokenTtlSeconds * 1000L, via));
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", tokenTtlSeconds - 1);
        if (via.equals("refresh")) body.put("scope", String.join(" ", p.scopes()));
        body.put("token_type", "Bearer");
        return new Answer(200, body.toString());
    }

    private boolean verify(String signed, String signatureB64) {
        try {
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initVerify(keyPair.getPublic());
            sig.update(signed.getBytes(StandardCharsets.US_ASCII));
            return sig.verify(Base64.getUrlDecoder().decode(signatureB64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Answer oauthError(int status, String error, String description) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        return new Answer(status, body.toString());
    }

    /** Who is calling, from {@code Authorization: Bearer}, {@code key=} or {@code X-Goog-Api-Key}; throws Google's errors. */
    Principal authenticate(String authorization, String key) {
        if (authorization != null && !authorization.isBlank()) {
            String[] p = authorization.trim().split("\\s+", 2);
            if (p.length != 2 || !p[0].equalsIgnoreCase("Bearer")) throw GoogleError.unauthenticated();
            Grant g = tokens.get(p[1]);
            if (g == null || g.expiresAtMillis() <= clock.millis()) throw GoogleError.unauthenticated();
            return g.principal();
        }
        if (key != null) {
            if (apiKeyRevoked || !apiKey.equals(key)) {
                throw new GoogleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", "API_KEY_INVALID");
            }
            return new Principal("apikey:" + key.substring(0, 10).toLowerCase(Locale.ROOT), Set.of(), true);
        }
        throw new GoogleError(403, "PERMISSION_DENIED", "The request is missing a valid API key.");
    }
}
