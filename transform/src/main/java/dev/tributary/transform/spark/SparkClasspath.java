package dev.tributary.transform.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Spark's jars (about 400 MB, never in tributary's own jar), fetched once from Maven Central into a cache folder,
 * laid out as a Maven repository ({@code ~/.cache/tributary/spark/repository/...}), each checked against the
 * repository's SHA-1. The list of jars is the one the tributary-spark module was built and tested with.
 */
public final class SparkClasspath {
    /** The listing written by the tributary-spark build ({@code mvn dependency:list} of Spark, Iceberg and the catalogs' drivers). */
    public static final String LISTING = "dev/tributary/spark/classpath.txt";
    /** Spark Connect's client (for {@code sc://} targets), listed by tributary-spark-connect-classpath: loaded apart from classic Spark. */
    public static final String CONNECT_LISTING = "dev/tributary/spark/connect-classpath.txt";
    public static final String DEFAULT_REPOSITORY = "https://repo1.maven.org/maven2";
    /**
     * Environment: another Maven repository (a mirror, or a folder such as {@code ~/.m2/repository}); the system property
     * {@code tributary.maven.repository} wins.
     */
    public static final String REPOSITORY_ENV = "TRIBUTARY_MAVEN_REPOSITORY";
    /**
     * Environment: the cache folder (default {@code $XDG_CACHE_HOME/tributary/spark} or {@code ~/.cache/tributary/spark});
     * the system property {@code tributary.spark.cache} wins.
     */
    public static final String CACHE_ENV = "TRIBUTARY_SPARK_CACHE";

    private final Path cache;
    private final String repository;
    private final List<SparkArtifact> artifacts;

    public SparkClasspath(Path cache, String repository, List<SparkArtifact> artifacts) {
        this.cache = cache;
        this.repository = repository.endsWith("/") ? repository.substring(0, repository.length() - 1) : repository;
        this.artifacts = List.copyOf(artifacts);
    }

    /**
     * From the environment and a listing inside tributary's jar ({@link #LISTING} or {@link #CONNECT_LISTING}); an error
     * when this build has no such listing.
     */
    public static SparkClasspath fromEnvironment(String listing) {
        String env = setting("tributary.spark.cache", CACHE_ENV);
        Path cache;
        if (env != null && !env.isBlank()) {
            cache = Path.of(env);
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            cache = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("tributary").resolve("spark");
        }
        String repo = setting("tributary.maven.repository", REPOSITORY_ENV);
        return new SparkClasspath(cache, repo == null || repo.isBlank() ? DEFAULT_REPOSITORY : repo, bundledListing(listing));
    }

    private static String setting(String property, String env) {
        String p = System.getProperty(property);
        return p != null && !p.isBlank() ? p : System.getenv(env);
    }

    static List<SparkArtifact> bundledListing(String listing) {
        try (InputStream in = SparkClasspath.class.getClassLoader().getResourceAsStream(listing)) {
            if (in == null) {
                throw new IllegalStateException("this tributary build has no Spark support (" + listing + " is missing: build it with the spark module)");
            }
            return SparkArtifact.parseListing(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path cache() {
        return cache;
    }

    public List<SparkArtifact> artifacts() {
        return artifacts;
    }

    public Path file(SparkArtifact a) {
        return cache.resolve("repository").resolve(a.path());
    }

    /** The artifacts not in the cache yet. */
    public List<SparkArtifact> missing() {
        List<SparkArtifact> out = new ArrayList<>();
        for (SparkArtifact a : artifacts) {
            if (!Files.isRegularFile(file(a))) out.add(a);
        }
        return out;
    }

    /**
     * Fetches every missing jar, telling progress lines ({@code fetching Spark's classpath: 12 of 211 jars, 48 MB}), and
     * returns all the jars. Fails naming the jar, the repository and what to do when one cannot be fetched.
     */
    public List<Path> resolve(Consumer<String> progress) {
        List<SparkArtifact> missing = missing();
        if (!missing.isEmpty()) {
            progress.accept("Spark's classpath (" + missing.size() + " of " + artifacts.size() + " jars) is fetched once from " + repository + " into " + cache);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build();
            long bytes = 0;
            long lastTold = System.nanoTime();
            for (int i = 0; i < missing.size(); i++) {
                bytes += fetch(http, missing.get(i));
                if (System.nanoTime() - lastTold > 2_000_000_000L || i == missing.size() - 1) {
                    progress.accept(String.format(Locale.ROOT, "fetching Spark's classpath: %d of %d jars, %d MB", i + 1, missing.size(), bytes >> 20));
                    lastTold = System.nanoTime();
                }
            }
        }
        List<Path> out = new ArrayList<>();
        for (SparkArtifact a : artifacts) out.add(file(a));
        return out;
    }

    private long fetch(HttpClient http, SparkArtifact a) {
        String url = repository + "/" + a.path();
        Path target = file(a);
        try {
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".part");
            byte[] jar = get(http, url);
            boolean remote = url.startsWith("http:") || url.startsWith("https:");
            String expected = remote || exists(url + ".sha1") // a local repository folder may hold no checksums: its files are the user's own
                    ? new String(get(http, url + ".sha1"), StandardCharsets.US_ASCII).strip().split("\\s+")[0].toLowerCase(Locale.ROOT) : null;
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(jar));
            if (expected != null && !actual.equals(expected)) {
                throw new IllegalStateException("Spark's classpath: " + url + " has SHA-1 " + actual + ", the repository says " + expected + " (a broken download or mirror; run again)");
            }
            Files.write(part, jar);
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return jar.length;
        } catch (IOException e) {
            throw new IllegalStateException("cannot fetch " + a + " for Spark from " + url + ": " + describe(e)
                    + ". Spark's jars are fetched once, on first use, into " + cache + ": connect to the network, or set "
                    + REPOSITORY_ENV + " to a reachable Maven repository (a mirror, or file:///path/to/.m2/repository)", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching Spark's classpath", e);
        }
    }

    private static byte[] get(HttpClient http, String url) throws IOException, InterruptedException {
        if (url.startsWith("file:")) return Files.readAllBytes(Path.of(URI.create(url)));
        if (!url.startsWith("http:") && !url.startsWith("https:")) return Files.readAllBytes(Path.of(url)); // a repository folder
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode());
        return r.body();
    }

    private static boolean exists(String localUrl) {
        return Files.isRegularFile(localUrl.startsWith("file:") ? Path.of(URI.create(localUrl)) : Path.of(localUrl));
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }
}
