package dev.tributary.source.wrike;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.http.ApiException;
import dev.tributary.http.RetryPolicy;
import dev.tributary.http.Sleeper;
import dev.tributary.spi.SecretStore;
import dev.tributary.spi.TransientException;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wrike's API v4 for one account, shared by every stream (and every concurrent sync) of it in this process: one
 * {@link WrikePacer}, one token. OAuth: the refresh token Wrike answers with is written to the project's secret store,
 * with the host the answer names, before the new access token is used; the API is then called on that host (EU accounts
 * live on another one). A 401 refreshes once (the token expired, or the account moved host); 429s back off through the
 * pacer; 5xx and broken connections are retried with backoff. Tokens never appear in messages.
 */
final class WrikeClient {
    private static final System.Logger LOG = System.getLogger(WrikeClient.class.getName());
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Map<String, WrikeClient> CLIENTS = new ConcurrentHashMap<>();
    private static final int MAX_429_IN_A_ROW = 30;

    private final WrikeConfig config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final SecretStore secrets;
    private final WrikePacer pacer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).version(HttpClient.Version.HTTP_1_1).build();
    private final RetryPolicy retry = RetryPolicy.DEFAULT;
    private final String secretName;
    private final String configuredHash;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong refreshes = new AtomicLong();
    private String accessToken;
    private Instant expiresAt = Instant.MIN;
    private String apiBase;

    private WrikeClient(WrikeConfig config, Clock clock, Sleeper sleeper, SecretStore secrets) {
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
        this.secrets = secrets;
        this.pacer = new WrikePacer(config.requestsPerMinute(), clock, sleeper);
        this.secretName = "wrike/oauth/" + config.fingerprint();
        this.configuredHash = config.refreshToken() == null ? "" : WrikeConfig.sha256(config.refreshToken());
        this.apiBase = config.baseUrl();
        if (!config.oauth()) accessToken = config.accessToken();
    }

    static WrikeClient of(WrikeConfig config, Clock clock, Sleeper sleeper, SecretStore secrets) {
        String key = config.fingerprint() + "|" + WrikeConfig.sha256(String.valueOf(config.refreshToken())) + "|" + config.requestsPerMinute()
                + "|" + config.tokenUrl() + "|" + System.identityHashCode(clock) + "|" + System.identityHashCode(sleeper) + "|" + System.identityHashCode(secrets);
        return CLIENTS.computeIfAbsent(key, k -> new WrikeClient(config, clock, sleeper, secrets));
    }

    Clock clock() { return clock; }
    WrikePacer pacer() { return pacer; }
    synchronized String apiBase() { return apiBase; }

    /** GET {api}/{path}: the parsed answer, after waiting for the pace, refreshing and retrying as needed. */
    JsonNode get(String path) {
        int failures = 0;
        int tooMany = 0;
        boolean refreshed = false;
        while (true) {
            pacer.acquire();
            String token;
            String base;
            synchronized (this) {
                token = token();
                base = apiBase;
            }
            String url = base + path;
            HttpResponse<byte[]> r;
            try {
                requests.incrementAndGet();
                r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (++failures >= retry.maxAttempts()) {
                    throw new TransientException("Wrike GET " + label(path) + " failed " + failures + " times: connection failed ("
                            + e.getClass().getSimpleName() + "); progress up to the last checkpoint is kept", e);
                }
                sleeper.sleep(retry.delay(failures - 1));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            int status = r.statusCode();
            if (status == 200) {
                pacer.succeeded();
                try {
                    return JSON.readTree(r.body());
                } catch (IOException e) {
                    if (++failures >= retry.maxAttempts()) throw new TransientException("Wrike GET " + label(path) + " answered JSON that does not parse", e);
                    continue;
                }
            }
            JsonNode body = parse(r.body());
            String error = body.path("error").asText("");
            String description = body.path("errorDescription").asText("");
            if (status == 429) {
                if (++tooMany > MAX_429_IN_A_ROW) {
                    throw new TransientException("Wrike kept answering 429 (rate_limit_exceeded) to GET " + label(path) + " after " + MAX_429_IN_A_ROW
                            + " backoffs; another integration may be using this user's budget. Progress up to the last checkpoint is kept.");
                }
                pacer.tooManyRequests();
                continue;
            }
            if (status == 401 && config.oauth() && !refreshed) {
                refreshed = true;
                synchronized (this) {
                    if (token.equals(accessToken)) refresh(); // else another thread already did
                }
                continue;
            }
            if (status >= 500) {
                if (++failures >= retry.maxAttempts()) {
                    throw new TransientException("Wrike GET " + label(path) + " answered HTTP " + status + " " + failures + " times (" + error + ": " + description + ")");
                }
                sleeper.sleep(retry.delay(failures - 1));
                continue;
            }
            String hint = status == 401 ? (config.oauth() ? " The OAuth grant was refused even after a refresh: connect the app again."
                    : " The permanent token (access_token) is unknown, revoked or for another data centre: check base_url and the token.")
                    : status == 403 ? " The token's user may not see this (check the user's role and sharing)." : "";
            throw new ApiException(status, "Wrike GET " + label(path), error + ": " + description + "." + hint, "");
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body.length == 0 ? "{}".getBytes() : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** The path without its query: what messages show. */
    private static String label(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private String token() {
        if (!config.oauth()) return accessToken;
        if (accessToken == null || !clock.instant().isBefore(expiresAt.minusSeconds(120))) refresh();
        return accessToken;
    }

    /** Refresh-token grant: store the new refresh token and host first, then use them. */
    private void refresh() {
        String refreshToken = config.refreshToken();
        Optional<JsonNode> stored = stored();
        if (stored.isPresent() && configuredHash.equals(stored.get().path("configured_sha256").asText())) {
            String t = stored.get().path("refresh_token").asText("");
            if (!t.isEmpty()) refreshToken = t;
        }
        String form = "grant_type=refresh_token&client_id=" + enc(config.clientId()) + "&client_secret=" + enc(config.clientSecret())
                + "&refresh_token=" + enc(refreshToken);
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.tokenUrl())).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (attempt >= 5) throw new TransientException("Wrike token refresh at " + URI.create(config.tokenUrl()).getHost() + " failed: connection failed", e);
                sleeper.sleep(retry.delay(attempt - 1));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            JsonNode body = parse(r.body());
            if (r.statusCode() >= 500 && attempt < 5) {
                sleeper.sleep(retry.delay(attempt - 1));
                continue;
            }
            if (r.statusCode() != 200 || !body.path("access_token").isTextual()) {
                throw new ApiException(r.statusCode(), "Wrike OAuth token refresh", body.path("error").asText("refused") + ": "
                        + body.path("error_description").asText("") + ". The refresh token is no longer valid: connect the app to Wrike again"
                        + " and put the new refresh token in the connection's refresh_token.", "");
            }
            String newRefresh = body.path("refresh_token").asText("");
            String host = body.path("host").asText("");
            if (!newRefresh.isEmpty()) {
                var v = JSON.createObjectNode().put("configured_sha256", configuredHash).put("refresh_token", newRefresh).put("host", host)
                        .put("rotated_at", clock.instant().toString());
                try {
                    secrets.write(secretName, v.toString());
                } catch (RuntimeException e) {
                    throw new TransientException("Wrike issued a new refresh token but it could not be stored in " + secrets + " ("
                            + e.getClass().getSimpleName() + "); stopping before using it", e);
                }
            }
            accessToken = body.get("access_token").asText();
            expiresAt = clock.instant().plusSeconds(body.path("expires_in").asLong(3600));
            refreshes.incrementAndGet();
            if (!host.isEmpty()) {
                String next = config.scheme() + "://" + host + "/api/v4";
                if (!next.equals(apiBase)) LOG.log(System.Logger.Level.INFO, "Wrike: the account is served from " + host + "; using " + next);
                apiBase = next;
            }
            return;
        }
    }

    private Optional<JsonNode> stored() {
        try {
            Optional<String> s = secrets.read(secretName);
            return s.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(s.get()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the stored Wrike refresh token could not be read from " + secrets + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
