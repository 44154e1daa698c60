package dev.tributary.server;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** A password kept only as a salted PBKDF2WithHmacSHA256 hash; {@link #matches} compares in constant time. */
public final class PasswordHash {
    static final int ITERATIONS = 210_000;
    private static final int KEY_BITS = 256;

    private final byte[] salt;
    private final int iterations;
    private final byte[] hash;

    private PasswordHash(byte[] salt, int iterations, byte[] hash) {
        this.salt = salt;
        this.iterations = iterations;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh random salt and wipes the given array. */
    public static PasswordHash of(char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        try {
            return new PasswordHash(salt, ITERATIONS, derive(password, salt, ITERATIONS));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    public boolean matches(char[] candidate) {
        return MessageDigest.isEqual(hash, derive(candidate, salt, iterations));
    }

    public int iterations() {
        return iterations;
    }

    /** {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}: what the users table keeps. */
    public String encoded() {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Reads {@link #encoded()}; an error (never showing the value) when it is not one. */
    public static PasswordHash parse(String encoded) {
        String[] parts = encoded == null ? new String[0] : encoded.split("\\$");
        try {
            if (parts.length != 4 || !(parts[0] + "$").equals(PREFIX)) throw new IllegalArgumentException("format");
            java.util.Base64.Decoder b64 = java.util.Base64.getDecoder();
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 1) throw new IllegalArgumentException("iterations");
            return new PasswordHash(b64.decode(parts[2]), iterations, b64.decode(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a stored password hash (expected " + PREFIX + "<iterations>$<salt>$<hash>)");
        }
    }

    private static final String PREFIX = "pbkdf2-sha256$";

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String toString() {
        return "PasswordHash[PBKDF2WithHmacSHA256]";
    }
}
