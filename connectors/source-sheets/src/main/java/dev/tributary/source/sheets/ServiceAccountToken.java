package dev.tributary.source.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.http.ApiException;
import dev.tributary.http.Authenticator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Google's service-account flow: an RS256-signed JWT ({@code iss} the account, {@code aud} the key file's
 * {@code token_uri}, one hour) exchanged for an access token at that {@code token_uri}; a new one five minutes before
 * expiry, or once after a 401. A refused exchange fails with Google's {@code error} and {@code error_description}.
 */
final class ServiceAccountToken implements Authenticator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AHEAD = Duration.ofMinutes(5);

    private final SheetsConfig.ServiceAccount account;
    private final PrivateKey key;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).version(HttpClient.Version.HTTP_1_1).build();
    private String accessToken;
    private Instant expiresAt = Instant.MIN;

    ServiceAccountToken(SheetsConfig.ServiceAccount account, Clock clock) {
        this.account = account;
        this.clock = clock;
        try {
            String pem = account.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the private_key in " + account.keyFile() + " is not a PKCS#8 RSA key: " + e.getMessage());
        }
    }

    @Override
    public synchronized String token() {
        if (accessToken == null || !clock.instant().isBefore(expiresAt.minus(AHEAD))) exchange();
        return accessToken;
    }

    @Override
    public synchronized boolean refreshAfterRejection(String rejected) {
        if (rejected != null && !rejected.equals(accessToken)) return true; // another thread already has a new one
        exchange();
        return true;
    }

    private void exchange() {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", account.clientEmail());
        claims.put("scope", SheetsConfig.SCOPES);
        claims.put("aud", account.tokenUri());
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&assertion=" + sign(claims);
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(account.tokenUri())).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new dev.tributary.spi.TransientException("service-account token exchange at " + account.tokenUri()
                    + " failed: connection failed (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the token exchange", e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            body = JSON.createObjectNode();
        }
        if (r.statusCode() != 200 || !body.hasNonNull("access_token")) {
            String why = body.path("error").asText("HTTP " + r.statusCode()) + ": " + body.path("error_description").asText("");
            if (r.statusCode() >= 500) throw new dev.tributary.spi.TransientException("service-account token exchange at " + account.tokenUri() + " failed, " + why);
            throw new ApiException(r.statusCode(), "POST " + URI.create(account.tokenUri()).getPath(),
                    "Google refused the service account " + account.clientEmail() + " (" + why + "); check the key file "
                            + account.keyFile() + " (a deleted key or a disabled account gives 'Invalid JWT Signature.')", "");
        }
        accessToken = body.get("access_token").asText();
        expiresAt = clock.instant().plusSeconds(body.path("expires_in").asLong(3600));
    }

    private String sign(Map<String, Object> claims) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = b64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64.encodeToString(s.sign());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not sign the service-account assertion", e);
        }
    }

    @Override
    public String toString() {
        return "service account " + account.clientEmail();
    }
}
