package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.SecretStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A rotated OAuth refresh token kept in the project's secret store, with a hash of the configured token it replaced:
 * the next run starts from the stored one unless the user configured a different token since (then theirs wins).
 * Tokens never reach a message or a log; only the store's own description does.
 */
final class StoredRefreshToken {
    private static final System.Logger LOG = System.getLogger(StoredRefreshToken.class.getName());

    private final SecretStore secrets;
    private final String name;
    private final String baseUrl;
    private final String configured;
    private final String configuredHash;

    StoredRefreshToken(SecretStore secrets, String baseUrl, String clientId, String configuredRefreshToken) {
        this.secrets = secrets;
        this.baseUrl = baseUrl;
        this.name = "hubspot/oauth/" + sha256(baseUrl + "\n" + clientId).substring(0, 24);
        this.configured = configuredRefreshToken;
        this.configuredHash = sha256(configuredRefreshToken);
    }

    /** The token to start from. */
    String current() {
        try {
            Optional<String> stored = secrets.read(name);
            if (stored.isEmpty()) return configured;
            JsonNode v = HubspotClient.JSON.readTree(stored.get());
            if (!configuredHash.equals(v.path("configured_sha256").asText())) return configured;
            String token = v.path("refresh_token").asText("");
            return token.isEmpty() ? configured : token;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "HubSpot at " + baseUrl + ": the stored refresh token could not be read from " + secrets
                    + " (" + e.getClass().getSimpleName() + "); using the configured refresh_token");
            return configured;
        }
    }

    /** HubSpot issued a new refresh token: store it, tied to the configured one. */
    void rotated(String newToken) {
        try {
            var v = HubspotClient.JSON.createObjectNode().put("configured_sha256", configuredHash).put("refresh_token", newToken);
            secrets.write(name, v.toString());
            LOG.log(System.Logger.Level.INFO, "HubSpot at " + baseUrl + " issued a new refresh token; stored in " + secrets);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "HubSpot at " + baseUrl + " issued a new refresh token, used for the rest of this process,"
                    + " but it could not be stored in " + secrets + " (" + e.getClass().getSimpleName()
                    + "); the next run needs a new refresh_token if the old one stopped working");
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
