package dev.tributary.sandbox.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;

/**
 * Snowflake's key-pair authentication: the client signs a JWT (RS256) whose {@code sub} is {@code ACCOUNT.USER} and
 * whose {@code iss} is {@code ACCOUNT.USER.SHA256:<base64 of the SHA-256 of the public key's DER>}.
 */
final class KeyPairLogin {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyPairLogin() {}

    /** The fingerprint Snowflake shows as {@code RSA_PUBLIC_KEY_FP}: {@code SHA256:} and base64 of the key's DER digest. */
    static String fingerprint(PublicKey key) {
        try {
            return "SHA256:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks a login JWT for account and user against the registered key; the SnowflakeError says what is wrong
     * (Snowflake answers 394304 "JWT token is invalid" for each of these).
     */
    static void verify(String jwt, String account, String user, PublicKey key, long nowEpochSeconds) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length != 3) throw invalid("not a JWT");
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) throw invalid("signature does not match the user's public key");
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            String expectedSub = account + "." + user;
            if (!expectedSub.equalsIgnoreCase(claims.path("sub").asText())) throw invalid("sub is '" + claims.path("sub").asText() + "', expected " + expectedSub);
            String iss = claims.path("iss").asText();
            if (!iss.toUpperCase(Locale.ROOT).startsWith(expectedSub.toUpperCase(Locale.ROOT) + ".") || !iss.endsWith(fingerprint(key).substring("SHA256:".length())))
                throw invalid("iss '" + iss + "' does not name the account, user and public key fingerprint " + fingerprint(key));
            if (claims.path("exp").asLong(0) < nowEpochSeconds) throw invalid("expired");
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static SnowflakeError invalid(String why) {
        return new SnowflakeError("394304", "08004", "JWT token is invalid: " + why + ".");
    }

    /** An RSA public key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}, as {@code openssl rsa -pubout} writes). */
    static PublicKey readPublicKey(Path pem) {
        try {
            String text = Files.readString(pem);
            if (!text.contains("BEGIN PUBLIC KEY")) throw new IllegalArgumentException(pem + ": not a PEM public key (-----BEGIN PUBLIC KEY-----)");
            String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read public key " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(pem + ": not an RSA public key: " + e.getMessage(), e);
        }
    }
}
