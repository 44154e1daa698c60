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
