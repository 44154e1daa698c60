package dev.tributary.drivers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Jars that stay out of tributary's own jar (a JDBC driver), fetched once from a Maven repository into a cache folder laid
 * out as one ({@code ~/.cache/tributary/drivers/repository/net/snowflake/...}). Each download is checked against the
 * repository's SHA-1 and the SHA-256 the {@link MavenJar} names, and lands whole or not at all. An OS file lock next to
 * the jar makes a second process (or thread) wait for the first one's download instead of fetching it again.
 */
public final class DriverFetcher {
    public static final String CENTRAL = "https://repo1.maven.org/maven2";
    /**
     * Environment: the Maven repository to fetch from (a mirror, which replaces Maven Central, or a folder such as
     * {@code ~/.m2/repository}, tried before Maven Central); the system property {@code tributary.maven.repository} wins.
     * The same setting as Spark's jars.
     */
    public static final String REPOSITORY_ENV = "TRIBUTARY_MAVEN_REPOSITORY";
    public static final String REPOSITORY_PROPERTY = "tributary.maven.repository";
    /**
     * Environment: the cache folder (default {@code $XDG_CACHE_HOME/tributary/drivers} or {@code ~/.cache/tributary/drivers});
     * the system property {@code tributary.driver.cache} wins.
     */
    public static final String CACHE_ENV = "TRIBUTARY_DRIVER_CACHE";
    public static final String CACHE_PROPERTY = "tributary.driver.cache";

    private static final long TELL_EVERY_NANOS = 2_000_000_000L;
    /** FileChannel locks are per process: threads of one JVM queue here first. */
    private static final ConcurrentHashMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path cache;
    private final List<String> repositories;
    private final Consumer<String> progress;

    /**
     * @param cache the cache folder
     * @param repositories tried in order: Maven repositories over HTTP(S), {@code file:} URLs or folders (a folder is
     *     skipped when it lacks the jar)
     * @param progress told what happens (one line at a time: the download, every 2 s its progress, a wait for another process)
     */
    public DriverFetcher(Path cache, List<String> repositories, Consumer<String> progress) {
        if (repositories.isEmpty()) throw new IllegalArgumentException("no Maven repository to fetch from");
        this.cache = cache.toAbsolutePath();
        this.repositories = repositories.stream().map(r -> r.endsWith("/") ? r.substring(0, r.length() - 1) : r).toList();
        this.progress = progress;
    }

    /** The cache and repositories from the settings above (see {@link #repositories(String)}). */
    public static DriverFetcher fromEnvironment(Consumer<String> progress) {
        String configured = setting(CACHE_PROPERTY, CACHE_ENV);
        Path cache;
        if (configured != null) {
            cache = Path.of(configured);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            cache = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("tributary").resolve("drivers");
        }
        return new DriverFetcher(cache, repositories(setting(REPOSITORY_PROPERTY, REPOSITORY_ENV)), progress);
    }

    /**
     * Where jars come from: a configured remote repository (a mirror) alone; a configured folder, then Maven Central;
     * nothing configured: the user's {@code ~/.m2/repository} (when it has the jar), then Maven Central.
     */
    public static List<String> repositories(String configured) {
        if (configured != null && remote(configured)) return List.of(configured);
        String local = configured != null ? configured : Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
        return List.of(local, CENTRAL);
    }

    private static String setting(String property, String env) {
        String p = System.getProperty(property);
        if (p != null && !p.isBlank()) return p;
        String e = System.getenv(env);
        return e != null && !e.isBlank() ? e : null;
    }

    public Path cache() {
        return cache;
    }

    public List<String> repositories() {
        return repositories;
    }

    /** Where the jar is (or will be) in the cache. */
    public Path file(MavenJar jar) {
        return cache.resolve("repository").resolve(jar.path());
    }

    /**
     * The jar in the cache, fetched first when it is not there yet (or waiting for another process that is fetching it).
     *
     * @throws IllegalStateException when no repository could give it (naming each URL tried, the cache folder and what to
     *     do), or when a download's checksum is wrong (nothing is cached then)
     */
    public Path fetch(MavenJar jar) {
        Path target = file(jar);
        if (Files.isRegularFile(target)) return target;
        synchronized (IN_PROCESS.computeIfAbsent(target, k -> new Object())) {
            Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
            try {
                Files.createDirectories(target.getParent());
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = lock(channel, jar, lockFile)) {
                    if (Files.isRegularFile(target)) return target; // the process we waited for fetched it
                    return download(jar, target);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot fetch " + jar + " into the cache " + cache + " (" + lockFile + "): " + describe(e), e);
            }
        }
    }

    private FileLock lock(FileChannel channel, MavenJar jar, Path lockFile) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock != null) return lock;
        progress.accept("waiting for another process that is fetching " + jar + " into " + cache + " (it holds " + lockFile + ")");
        return channel.lock();
    }

    private Path download(MavenJar jar, Path target) {
        List<String> tried = new ArrayList<>();
        for (String repository : repositories) {
            String url = repository + "/" + jar.path();
            if (!remote(repository) && !Files.isRegularFile(localPath(url))) {
                tried.add(url + ": not there");
                continue;
            }
            try {
                downloadFrom(jar, url, target);
                return target;
            } catch (IOException e) {
                tried.add(url + ": " + describe(e));
            }
        }
        throw new IllegalStateException("cannot fetch " + jar + ": " + String.join("; ", tried) + ". It is fetched once, on first use, into "
                + cache + ": connect to the network, or set " + REPOSITORY_ENV + " to a reachable Maven repository (a mirror, or a folder such as "
                + "~/.m2/repository holding it), or put the jar at " + target);
    }

    private void downloadFrom(MavenJar jar, String url, Path target) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build()) {
            // the checksum first: offline, this small request fails before anything else
            String expectedSha1 = remote(url) || Files.isRegularFile(localPath(url + ".sha1")) // a folder may hold none: its files are the user's own
                    ? sha1File(http, url + ".sha1") : null;
            MessageDigest sha1 = digest("SHA-1");
            MessageDigest sha256 = digest("SHA-256");
            long size;
            try (Body body = open(http, url); OutputStream out = Files.newOutputStream(part)) {
                progress.accept("fetching " + jar + (body.length() > 0 ? " (" + megabytes(body.length()) + " MB)" : "") + " once, from " + url + " into " + cache);
                size = copy(jar, body, out, sha1, sha256);
            }
            check(url, "SHA-1", expectedSha1, HexFormat.of().formatHex(sha1.digest()), "the repository's " + url + ".sha1");
            check(url, "SHA-256", jar.sha256(), HexFormat.of().formatHex(sha256.digest()), "tributary expects for " + jar);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            progress.accept("fetched " + jar + " (" + megabytes(size) + " MB) into " + target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(part);
            throw new IllegalStateException("interrupted while fetching " + url, e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
    }

    private long copy(MavenJar jar, Body body, OutputStream out, MessageDigest sha1, MessageDigest sha256) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        long told = System.nanoTime();
        for (int n; (n = body.in().read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            sha1.update(buffer, 0, n);
            sha256.update(buffer, 0, n);
            size += n;
            if (System.nanoTime() - told > TELL_EVERY_NANOS) {
                progress.accept("fetching " + jar + ": " + megabytes(size) + (body.length() > 0 ? " of " + megabytes(body.length()) : "") + " MB");
                told = System.nanoTime();
            }
        }
        return size;
    }

    private static void check(String url, String algorithm, String expected, String actual, String whoSays) {
        if (expected == null || expected.equals(actual)) return;
        throw new IllegalStateException("refused " + url + ": its " + algorithm + " is " + actual + " but " + whoSays + " says " + expected
                + " (a broken download, or a repository serving another file); nothing was cached");
    }

    /** The hex digest a {@code .sha1} file starts with ({@code "<hex>"} or {@code "<hex>  name.jar"}). */
    private static String sha1File(HttpClient http, String url) throws IOException, InterruptedException {
        try (Body body = open(http, url)) {
            return new String(body.in().readAllBytes(), StandardCharsets.US_ASCII).strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
        }
    }

    /** A response body and its length (-1 when unknown). */
    private record Body(InputStream in, long length) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static Body open(HttpClient http, String url) throws IOException, InterruptedException {
        if (!remote(url)) {
            Path p = localPath(url);
            return new Body(Files.newInputStream(p), Files.size(p));
        }
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
            throw new IOException("HTTP " + r.statusCode());
        }
        return new Body(r.body(), r.headers().firstValueAsLong("content-length").orElse(-1));
    }

    private static boolean remote(String url) {
        return url.startsWith("http:") || url.startsWith("https:");
    }

    private static Path localPath(String url) {
        return url.startsWith("file:") ? Path.of(URI.create(url)) : Path.of(url);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long megabytes(long bytes) {
        return Math.round(bytes / 1e6);
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }
}
