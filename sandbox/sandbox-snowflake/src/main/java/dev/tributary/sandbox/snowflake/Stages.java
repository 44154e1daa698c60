package dev.tributary.sandbox.snowflake;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Internal stages as folders the driver writes into itself ({@code LOCAL_FS} stage locations): named stages under
 * {@code <root>/<DB>/<SCHEMA>/stages/<NAME>}, table stages under {@code <root>/<DB>/<SCHEMA>/tables/<TABLE>}, user
 * stages under {@code <root>/users/<USER>}. Keeps each stage's default file format and the load history of COPY INTO
 * (which file, with which MD5, went into which table), so a file is loaded once unless FORCE.
 */
final class Stages {
    /** A resolved stage: its folder, the name LIST shows files under ("" for table and user stages), and whose it is. */
    record Stage(Path dir, String listPrefix, String identity, boolean named) {
        Stage {
            requireNonNull(dir, "dir is null");
            requireNonNull(listPrefix, "listPrefix is null");
            requireNonNull(identity, "identity is null");
        }
    }

    /** A file in a stage: its path relative to the stage folder ('/' separated), size and MD5. */
    record StagedFile(Path path, String relative, long size, String md5, long lastModifiedMillis) {}

    private final Path root;
    private final boolean temporaryRoot;
    private final Map<String, Map<String, String>> fileFormats = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> loadHistory = new ConcurrentHashMap<>();

    Stages(Path dataDir) {
        try {
            if (dataDir != null) {
                root = dataDir.resolve("stages").toAbsolutePath();
                temporaryRoot = false;
            } else {
                root = Files.createTempDirectory("snowflake-sandbox-stages").toAbsolutePath();
                temporaryRoot = true;
            }
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox's stage folder", e);
        }
    }

    Path root() {
        return root;
    }

    Stage named(String db, String schema, String name) {
        return new Stage(root.resolve(db).resolve(schema).resolve("stages").resolve(name), name.toLowerCase(Locale.ROOT) + "/",
                "@" + db + "." + schema + "." + name, true);
    }

    /** A temporary stage: the session's own (another session may have one of the same name). */
    Stage temporary(long sessionId, String db, String schema, String name) {
        return new Stage(root.resolve("sessions").resolve(Long.toString(sessionId)).resolve(db).resolve(schema).resolve(name),
                name.toLowerCase(Locale.ROOT) + "/", "@" + db + "." + schema + "." + name + "#" + sessionId, true);
    }

    Stage table(String db, String schema, String table) {
        return new Stage(root.resolve(db).resolve(schema).resolve("tables").resolve(table), "", "@" + db + "." + schema + ".%" + table, false);
    }

    Stage user(String user) {
        return new Stage(root.resolve("users").resolve(user), "", "@~" + user, false);
    }

    boolean exists(Stage stage) {
        return Files.isDirectory(stage.dir());
    }

    void create(Stage stage, Map<String, String> fileFormat) {
        try {
            Files.createDirectories(stage.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create stage folder " + stage.dir(), e);
        }
        fileFormats.put(stage.identity(), Map.copyOf(fileFormat));
    }

    void drop(Stage stage) {
        fileFormats.remove(stage.identity());
        deleteTree(stage.dir());
    }

    Map<String, String> fileFormat(Stage stage) {
        return fileFormats.getOrDefault(stage.identity(), Map.of());
    }

    /** Files under the stage folder whose relative path starts with prefix (a folder or a file name start). */
    List<StagedFile> files(Stage stage, String prefix) {
        if (!Files.isDirectory(stage.dir())) return List.of();
        List<StagedFile> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(stage.dir())) {
            for (Path p : walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
                String relative = stage.dir().relativize(p).toString().replace('\\', '/');
                if (!relative.startsWith(prefix)) continue;
                out.add(new StagedFile(p, relative, Files.size(p), md5(p), Files.getLastModifiedTime(p).toMillis()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list stage folder " + stage.dir(), e);
        }
        return out;
    }

    /** The MD5 a file was loaded into table with, or null when it was not (or FORCE made it irrelevant). */
    String loadedMd5(String table, Stage stage, String relative) {
        return loadHistory.getOrDefault(table, Map.of()).get(stage.identity() + "/" + relative);
    }

    void recordLoad(String table, Stage stage, String relative, String md5) {
        loadHistory.computeIfAbsent(table, t -> new ConcurrentHashMap<>()).put(stage.identity() + "/" + relative, md5);
    }

    /** Forgets a table's load history (CREATE OR REPLACE / DROP TABLE make a new table in Snowflake). */
    void forgetTable(String table) {
        loadHistory.remove(table);
    }

    void close() {
        if (temporaryRoot) deleteTree(root);
    }

    static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
