package dev.tributary.source.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.SecretStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A refresh token Google issued in place of the configured one, kept in the project's secret store with a hash of
 * the configured token: the next run starts from the stored one unless the user configured a different token since.
 * Tokens never reach a message or a log.
 */
final class StoredRefreshToken {
    private static final System.Logger LOG = System.getLogger(StoredRefreshToken.class.getName());

    private final SecretStore secrets;
    private final String name;
    private final String configured;
    private final String configuredHash;

    StoredRefreshToken(SecretStore secrets, String tokenUri, String clientId, String configuredRefreshToken) {
        this.secrets = secrets;
        this.name = "sheets/oauth/" + sha256(tokenUri + "\n" + clientId).substring(0, 24);
        this.configured = configuredRefreshToken;
        this.configuredHash = sha256(configuredRefreshToken);
    }

    String current() {
        try {
            Optional<String> stored = secrets.read(name);
            if (stored.isEmpty()) return configured;
            JsonNode v = SheetsClient.JSON.readTree(stored.get());
            if (!configuredHash.equals(v.path("configured_sha256").asText())) return configured;
            String token = v.path("refresh_token").asText("");
            return token.isEmpty() ? configured : token;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Google Sheets: the stored refresh token could not be read from " + secrets
                    + " (" + e.getClass().getSimpleName() + "); using the configured refresh_token");
            return configured;
        }
    }

    void rotated(String newToken) {
        try {
            secrets.write(name, SheetsClient.JSON.createObjectNode().put("configured_sha256", configuredHash).put("refresh_token", newToken).toString());
            LOG.log(System.Logger.Level.INFO, "Google issued a new refresh token; stored in " + secrets);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Google issued a new refresh token, used for the rest of this process, but it could not be stored in "
                    + secrets + " (" + e.getClass().getSimpleName() + "); the next run needs a new refresh_token if the old one stopped working");
        }
    }

    String secretName() { return name; }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
