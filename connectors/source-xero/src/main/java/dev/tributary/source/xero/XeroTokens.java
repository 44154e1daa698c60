package dev.tributary.source.xero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.http.Authenticator;
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
import java.util.Base64;
import java.util.Optional;

/**
 * Xero access tokens. OAuth apps: Xero's refresh tokens are single-use, so every rotated one is written to the project's
 * secret store (tied to a hash of the configured token) before the new access token is handed out; a refresh whose answer
 * was lost is retried with the same token, which Xero honours for 30 minutes with the same successor. A refused refresh
 * token marks the connection as needing re-consent in the store: later runs stop at once with the same message (no
 * loop of failing calls) until the user configures a new refresh token. Custom connections use client credentials.
 */
final class XeroTokens implements Authenticator {
    private static final System.Logger LOG = System.getLogger(XeroTokens.class.getName());
    static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Xero refused the refresh token: the user must connect the app again. */
    static final class ReconsentNeeded extends RuntimeException {
        ReconsentNeeded(String message) {
            super(message);
        }
    }

    private final XeroConfig config;
    private final SecretStore secrets;
    private final String name;
    private final String configuredHash;
    private final Clock clock;
    private final Sleeper sleeper;
    private final String legacyName;
    private String refreshToken;
    private String accessToken;
    private Instant accessExpires = Instant.MIN;
    private String ccToken;
    private Instant ccExpires = Instant.MIN;

    XeroTokens(XeroConfig config, SecretStore secrets, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.secrets = secrets;
        this.clock = clock;
        this.sleeper = sleeper;
        // one secret per connection: two connections of the same app each rotate their own grant's token
        this.name = config.connection() == null ? "xero/oauth/" + config.fingerprint()
                : "xero/oauth/" + config.connection() + "/" + config.fingerprint();
        this.legacyName = config.connection() == null ? null : "xero/oauth/" + config.fingerprint();
        this.configuredHash = config.refreshToken() == null ? "" : XeroConfig.sha256(config.refreshToken());
    }

    @Override
    public synchronized String token() {
        if (config.clientCredentials()) return clientCredentials();
        if (accessToken == null || !clock.instant().isBefore(accessExpires.minusSeconds(120))) refresh();
        return accessToken;
    }

    @Override
    public synchronized boolean refreshAfterRejection(String rejected) {
        if (config.clientCredentials()) {
            if (rejected != null && !rejected.equals(ccToken)) return true;
            ccToken = null;
            return true;
        }
        // another thread may have refreshed since this token was sent: then simply use the new one
        if (accessToken != null && !accessToken.equals(rejected)) return true;
        refresh();
        return true;
    }

    /**
     * The refresh token to use now: the stored successor of the configured token, else the configured one. Read from the
     * store before every refresh, not once per process: another process (a CLI sync next to a long-running server) may
     * have rotated the token since, and the one this process holds is then used up.
     */
    private String current() {
        Optional<JsonNode> stored = storedForThisToken();
        if (stored.isPresent()) {
            if (stored.get().path("needs_reconsent").asBoolean(false)) {
                throw new ReconsentNeeded(reconsentMessage(stored.get().path("reason").asText("the refresh token was refused")));
            }
            String t = stored.get().path("refresh_token").asText("");
            if (!t.isEmpty()) return t;
        }
        return config.refreshToken();
    }

    /** What the store holds for this connection and configured token (a value tied to another configured token is stale). */
    private Optional<JsonNode> storedForThisToken() {
        Optional<JsonNode> stored = stored(name);
        if (stored.isEmpty() && legacyName != null) {
            // written before secret names carried the connection: read once, the next rotation writes the new name
            stored = stored(legacyName);
        }
        return stored.filter(v -> configuredHash.equals(v.path("configured_sha256").asText()));
    }

    /**
     * The refresh grant, with the app's credentials in HTTP Basic as Xero asks. A lost answer (connection closed, timeout)
     * is retried with the same token: inside Xero's grace period it gives the same successor. The successor is stored
     * before the new access token is handed out.
     */
    private void refresh() {
        String fromStore = current();
        if (refreshToken != null && !fromStore.equals(refreshToken)) {
            LOG.log(System.Logger.Level.DEBUG, "the Xero refresh token was rotated by another process; using the successor from " + secrets);
        }
        refreshToken = fromStore;
        boolean retriedWithStored = false;
        String basic = Base64.getEncoder().encodeToString((config.clientId() + ":" + config.clientSecret()).getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).version(HttpClient.Version.HTTP_1_1).build();
        for (int attempt = 1; ; attempt++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.identityUrl() + "/connect/token")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                            + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8))).build();
            HttpResponse<String> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt >= 6) {
                    throw new TransientException("Xero token refresh failed: connection failed (" + e.getClass().getSimpleName()
                            + "); the refresh token is kept: a later run retries it within Xero's 30-minute grace period", e);
                }
                sleeper.sleep(Duration.ofSeconds(Math.min(10, attempt)));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            JsonNode body;
            try {
                body = JSON.readTree(r.body() == null || r.body().isBlank() ? "{}" : r.body());
            } catch (IOException e) {
                body = JSON.createObjectNode();
            }
            if (r.statusCode() >= 500 || r.statusCode() == 429) {
                if (attempt >= 6) throw new TransientException("Xero token refresh failed: HTTP " + r.statusCode() + " after " + attempt + " attempts");
                sleeper.sleep(Duration.ofSeconds(Math.min(10, attempt)));
                continue;
            }
            if (r.statusCode() != 200 || !body.path("access_token").isTextual()) {
                String error = body.path("error").asText("no error code");
                if (isCredentialsProblem(r.statusCode(), error)) throw refused(r.statusCode(), error);
                // another process may have rotated the token between our read of the store and this call: try its successor once
                String now = current();
                if (!retriedWithStored && !now.equals(refreshToken)) {
                    retriedWithStored = true;
                    refreshToken = now;
                    attempt = 0;
                    continue;
                }
                throw refused(r.statusCode(), error);
            }
            String rotated = body.path("refresh_token").asText("");
            if (!rotated.isEmpty() && !rotated.equals(refreshToken)) {
                rotated(rotated); // stored first: if this throws, the new access token is never used
                refreshToken = rotated;
            }
            accessToken = body.get("access_token").asText();
            accessExpires = clock.instant().plusSeconds(body.path("expires_in").asLong(1800));
            return;
        }
    }

    /** Xero issued a new refresh token: it must be stored before anything else happens, or the connection is lost. */
    private void rotated(String newToken) {
        var v = JSON.createObjectNode().put("configured_sha256", configuredHash).put("refresh_token", newToken)
                .put("rotated_at", clock.instant().toString());
        try {
            secrets.write(name, v.toString());
        } catch (RuntimeException e) {
            // stop before the new access token is used: the next run retries the old token inside Xero's 30-minute grace
            throw new TransientException("Xero issued a new refresh token but it could not be stored in " + secrets + " ("
                    + e.getClass().getSimpleName() + "); stopping before using it. Run again within 30 minutes: the previous"
                    + " token is still honoured then.", e);
        }
        LOG.log(System.Logger.Level.DEBUG, "Xero issued a new refresh token; stored in " + secrets);
    }

    private static boolean isCredentialsProblem(int status, String error) {
        return status == 400 && error.equals("invalid_client") || status == 401;
    }

    /**
     * Xero refused {@link #refreshToken}. The connection is marked as needing re-consent only when that token is the one
     * the store holds now: a token another process already replaced must not overwrite its valid successor.
     */
    private RuntimeException refused(int status, String error) {
        String reason = "Xero refused the refresh token (HTTP " + status + ", " + error + ")";
        if (isCredentialsProblem(status, error)) {
            return new IllegalStateException("Xero refused the app's credentials (HTTP " + status + ", " + error + "): check client_id and client_secret");
        }
        String now;
        try {
            now = current();
        } catch (ReconsentNeeded alreadyMarked) {
            return alreadyMarked;
        }
        if (!now.equals(refreshToken)) {
            return new TransientException(reason + ", but the secret store now holds a newer token (another process rotated it);"
                    + " the connection was not marked for re-consent: run again");
        }
        var v = JSON.createObjectNode().put("configured_sha256", configuredHash).put("needs_reconsent", true)
                .put("reason", reason).put("at", clock.instant().toString());
        try {
            secrets.write(name, v.toString());
        } catch (RuntimeException storeFailure) {
            LOG.log(System.Logger.Level.WARNING, "could not record in " + secrets + " that the Xero connection needs re-consent");
        }
        return new ReconsentNeeded(reconsentMessage(reason));
    }

    private static String reconsentMessage(String reason) {
        return "The Xero connection needs re-consent: " + reason + ". Connect the app to Xero again (the consent flow gives a new"
                + " refresh token) and put the new token in the connection's refresh_token; syncs of this connection stop until then.";
    }

    private Optional<JsonNode> stored(String name) {
        try {
            Optional<String> s = secrets.read(name);
            return s.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(s.get()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the stored Xero refresh token could not be read from " + secrets + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private String clientCredentials() {
        if (ccToken != null && clock.instant().isBefore(ccExpires.minusSeconds(120))) return ccToken;
        String basic = Base64.getEncoder().encodeToString((config.clientId() + ":" + config.clientSecret()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.identityUrl() + "/connect/token")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + URLEncoder.encode("accounting.transactions.read accounting.contacts.read accounting.settings.read accounting.journals.read", StandardCharsets.UTF_8)))
                .build();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).version(HttpClient.Version.HTTP_1_1).build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
                if (r.statusCode() >= 500 && attempt < 5) {
                    sleeper.sleep(Duration.ofSeconds(attempt));
                    continue;
                }
                if (r.statusCode() != 200 || !body.path("access_token").isTextual()) {
                    throw new ReconsentNeeded("Xero refused the custom connection's client credentials (HTTP " + r.statusCode() + ", "
                            + body.path("error").asText("no error code") + "); check client_id and client_secret of the custom connection");
                }
                ccToken = body.get("access_token").asText();
                ccExpires = clock.instant().plusSeconds(body.path("expires_in").asLong(1800));
                return ccToken;
            } catch (IOException e) {
                if (attempt >= 5) throw new TransientException("Xero token request failed: connection failed (" + e.getClass().getSimpleName() + ")", e);
                sleeper.sleep(Duration.ofSeconds(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
