package dev.tributary.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * OAuth 2.0 refresh-token grant: gets an access token from the token endpoint and gets a new one a margin
 * before it expires (a 401 is not a reliable signal), once for all threads: callers that arrive during a refresh
 * wait for it and share its result. When the server rotates the refresh token, the new one is used from then on
 * and handed to {@code onRotated} so the caller can persist it. No token ever appears in a message.
 */
public final class OAuth2RefreshToken implements Authenticator {
    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final Consumer<String> onRotated;
    private final Duration refreshAhead;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RetryPolicy retry;
    private final HttpClient http;

    private String refreshToken;
    private String accessToken;
    private Instant expiresAt = Instant.MIN;
    private int refreshes;

    public OAuth2RefreshToken(URI tokenEndpoint, String clientId, String clientSecret, String refreshToken,
            Consumer<String> onRotated, Duration refreshAhead, Clock clock, Sleeper sleeper) {
        this.tokenEndpoint = requireNonNull(tokenEndpoint, "tokenEndpoint is null");
        this.clientId = requireNonNull(clientId, "clientId is null");
        this.clientSecret = requireNonNull(clientSecret, "clientSecret is null");
        this.refreshToken = requireNonNull(refreshToken, "refreshToken is null");
        this.onRotated = onRotated == null ? t -> { } : onRotated;
        this.refreshAhead = requireNonNull(refreshAhead, "refreshAhead is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.retry = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public synchronized String token() {
        if (accessToken == null || !clock.instant().isBefore(expiresAt.minus(refreshAhead))) refresh();
        return accessToken;
    }

    @Override
    public synchronized boolean refreshAfterRejection(String rejected) {
        // another thread may have refreshed since this token was sent: then simply use the new one
        if (accessToken != null && !accessToken.equals(rejected)) return true;
        refresh();
        return true;
    }

    /** How many times a token was fetched (for tests and run figures). */
    public synchronized int refreshes() {
        return refreshes;
    }

    private void refresh() {
        String form = "grant_type=refresh_token&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret)
                + "&refresh_token=" + enc(refreshToken);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (attempt >= retry.maxAttempts()) {
                    throw new dev.tributary.spi.TransientException("OAuth token refresh at " + tokenEndpoint.getHost()
                            + " failed: connection failed (" + e.getClass().getSimpleName() + ")", e);
                }
                sleeper.sleep(retry.delay(attempt - 1));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException("OAuth token refresh interrupted", e);
            }
            ApiResponse response = new ApiResponse(r.statusCode(), r.headers(), r.body());
            if (response.status() >= 500 && attempt < retry.maxAttempts()) {
                sleeper.sleep(ApiClient.retryAfter(response).orElse(retry.delay(attempt - 1)));
                continue;
            }
            JsonNode body = response.json();
            if (!response.isSuccess() || !body.path("access_token").isTextual()) {
                String status = body.path("status").asText(body.path("error").asText(""));
                String message = body.path("message").asText(body.path("error_description").asText(""));
                throw new ApiException(response.status(), "OAuth token refresh", (status.isEmpty() ? "" : status + ": ")
                        + redact(message) + ". Re-authorise the app to get a new refresh token.", "");
            }
            accessToken = body.get("access_token").asText();
            long expiresIn = body.path("expires_in").asLong(1800);
            expiresAt = clock.instant().plusSeconds(expiresIn);
            refreshes++;
            String rotated = body.path("refresh_token").asText(null);
            if (rotated != null && !rotated.isBlank() && !rotated.equals(refreshToken)) {
                refreshToken = rotated;
                onRotated.accept(rotated);
            }
            return;
        }
    }

    private String redact(String message) {
        String m = message;
        for (String secret : new String[] {refreshToken, clientSecret, accessToken}) {
            if (secret != null && secret.length() >= 8) m = m.replace(secret, "[redacted]");
        }
        return m;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OAuth2RefreshToken[" + tokenEndpoint.getHost() + "]";
    }
}
