package dev.tributary.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.SecretStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The project's secret store: {@code <project>/.tributary/secrets}, a JSON object of name to value where every value
 * is encrypted with AES-256-GCM (a random 12-byte nonce per value, the name as associated data, so a value cannot be
 * moved to another name). The key is {@code TRIBUTARY_SECRET_KEY} (base64 of 32 bytes, or any passphrase, hashed
 * with SHA-256) or else {@code <project>/.tributary/secret.key}, 32 random bytes created on first use with
 * permissions 0600. Both files are written with 0600. Values never appear in messages or logs.
 */
public final class FileSecretStore implements SecretStore {
    public static final String KEY_ENV = "TRIBUTARY_SECRET_KEY";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT = "aes256gcm:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final Path file;
    private final Path keyFile;
    private final Optional<String> keyFromEnvironment;
    private final SecureRandom random = new SecureRandom();
    private SecretKeySpec key;

    private FileSecretStore(Path projectDir, Optional<String> keyFromEnvironment) {
        this.dir = projectDir.resolve(".tributary");
        this.file = dir.resolve("secrets");
        this.keyFile = dir.resolve("secret.key");
        this.keyFromEnvironment = keyFromEnvironment;
    }

    /** The store of the project in {@code projectDir}, keyed by {@value #KEY_ENV} from {@code environment} when set. */
    public static FileSecretStore forProject(Path projectDir, Map<String, String> environment) {
        return new FileSecretStore(projectDir.toAbsolutePath().normalize(),
                Optional.ofNullable(environment.get(KEY_ENV)).filter(v -> !v.isBlank()));
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Optional<String> read(String name) {
        ObjectNode all = load();
        if (!all.has(name)) return Optional.empty();
        return Optional.of(decrypt(name, all.get(name).asText()));
    }

    @Override
    public synchronized void write(String name, String value) {
        ObjectNode all = load();
        all.put(name, encrypt(name, value));
        try {
            Files.createDirectories(dir);
            Path temp = dir.resolve("secrets.tmp");
            Files.deleteIfExists(temp);
            createOwnerOnly(temp);
            Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all), StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the secret store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Encrypts {@code value} with this store's key for keeping elsewhere (a tenant's refresh token in the metadata
     * store), bound to {@code name}: {@link #unseal} with another name fails. Processes that share sealed values must
     * share the key ({@value #KEY_ENV}).
     */
    public synchronized String seal(String name, String value) {
        return encrypt(name, value);
    }

    /** The value {@link #seal} sealed under {@code name}; fails loudly when the key or the name differs. */
    public synchronized String unseal(String name, String sealed) {
        return decrypt(name, sealed);
    }

    private ObjectNode load() {
        if (!Files.exists(file)) return JSON.createObjectNode();
        try {
            var tree = JSON.readTree(file.toFile());
            if (tree == null || !tree.isObject()) throw new IllegalStateException("the secret store " + file + " is not a JSON object");
            return (ObjectNode) tree;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the secret store " + file + ": " + e.getMessage(), e);
        }
    }

    private String encrypt(String name, String value) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return FORMAT + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt secret '" + name + "': " + e.getMessage(), e);
        }
    }

    private String decrypt(String name, String stored) {
        if (!stored.startsWith(FORMAT)) throw new IllegalStateException("secret '" + name + "' in " + file + " is not in a known format");
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(FORMAT.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt secret '" + name + "' in " + file + " with the key from "
                    + keySource() + ": the key changed or the file was altered", e);
        }
    }

    private String keySource() {
        return keyFromEnvironment.isPresent() ? KEY_ENV : keyFile.toString();
    }

    private SecretKeySpec key() {
        if (key != null) return key;
        byte[] bytes = keyFromEnvironment.map(FileSecretStore::keyBytes).orElseGet(this::keyFileBytes);
        key = new SecretKeySpec(bytes, "AES");
        return key;
    }

    /** Base64 of 32 bytes is used as it is; anything else is a passphrase, hashed to 32 bytes. */
    private static byte[] keyBytes(String given) {
        try {
            byte[] decoded = Base64.getDecoder().decode(given.trim());
            if (decoded.length == 32) return decoded;
        } catch (IllegalArgumentException notBase64) {
            // a passphrase
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(given.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] keyFileBytes() {
        try {
            Files.createDirectories(dir);
            if (!Files.exists(keyFile)) {
                byte[] fresh = new byte[32];
                random.nextBytes(fresh);
                try {
                    createOwnerOnly(keyFile);
                    Files.writeString(keyFile, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.UTF_8);
                    return fresh;
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            if (isPosix() && !Files.getPosixFilePermissions(keyFile).equals(OWNER_ONLY)) {
                throw new IllegalStateException("the secret key file " + keyFile + " may be read by others; run: chmod 600 " + keyFile);
            }
            byte[] bytes = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.UTF_8).trim());
            if (bytes.length != 32) throw new IllegalStateException("the secret key file " + keyFile + " does not hold a 32-byte key");
            return bytes;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read or create the secret key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private void createOwnerOnly(Path path) throws IOException {
        if (isPosix()) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            Files.createFile(path, ownerOnly);
        } else {
            Files.createFile(path);
        }
    }

    private boolean isPosix() {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public String toString() {
        return "secret store " + file;
    }
}
