package dev.tributary.transform.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching Spark's jars on first use: from a repository over HTTP, checked, cached, told; and the errors a user sees. */
class SparkClasspathTest {
    @TempDir
    Path dir;

    private static final List<SparkArtifact> TWO = List.of(new SparkArtifact("org.example", "alpha_2.13", "", "1.0"),
            new SparkArtifact("io.netty", "netty-native", "linux-x86_64", "4.2.7.Final"));

    @Test
    void readsTheBuildsListing() {
        List<SparkArtifact> a = SparkArtifact.parseListing("""

                The following files have been resolved:
                   org.apache.spark:spark-core_2.13:jar:4.1.3 -- module spark.core (auto)
                   io.netty:netty-codec-native-quic:jar:linux-x86_64:4.2.7.Final -- module io.netty.codec.quic.linux.x86_64
                   org.apache.spark:spark-parent_2.13:pom:4.1.3
                """);
        assertThat(a).containsExactly(new SparkArtifact("org.apache.spark", "spark-core_2.13", "", "4.1.3"),
                new SparkArtifact("io.netty", "netty-codec-native-quic", "linux-x86_64", "4.2.7.Final"));
        assertThat(a.get(0).path()).isEqualTo("org/apache/spark/spark-core_2.13/4.1.3/spark-core_2.13-4.1.3.jar");
        assertThat(a.get(1).path()).isEqualTo("io/netty/netty-codec-native-quic/4.2.7.Final/netty-codec-native-quic-4.2.7.Final-linux-x86_64.jar");
    }

    @Test
    void fetchesMissingJarsOnceCheckingTheirChecksums() throws Exception {
        Map<String, byte[]> served = new ConcurrentHashMap<>();
        for (SparkArtifact a : TWO) {
            byte[] jar = ("jar of " + a).getBytes(StandardCharsets.UTF_8);
            served.put("/maven2/" + a.path(), jar);
            served.put("/maven2/" + a.path() + ".sha1", (sha1(jar) + "  " + a.artifact() + ".jar\n").getBytes(StandardCharsets.UTF_8));
        }
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = serve(served, requests);
        try {
            SparkClasspath cp = new SparkClasspath(dir, "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2", TWO);
            assertThat(cp.missing()).hasSize(2);
            List<String> progress = new ArrayList<>();
            List<Path> jars = cp.resolve(progress::add);
            assertThat(jars).allSatisfy(p -> assertThat(p).isRegularFile());
            assertThat(Files.readString(jars.get(0))).isEqualTo("jar of org.example:alpha_2.13:1.0");
            assertThat(progress.get(0)).startsWith("Spark's classpath (2 of 2 jars) is fetched once from http://127.0.0.1:");
            assertThat(progress.get(progress.size() - 1)).isEqualTo("fetching Spark's classpath: 2 of 2 jars, 0 MB");
            assertThat(requests.get()).isEqualTo(4);
            List<String> again = new ArrayList<>();
            cp.resolve(again::add);
            assertThat(again).isEmpty();
            assertThat(requests.get()).isEqualTo(4);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCorruptDownloadIsRefusedAndNotCached() throws Exception {
        Map<String, byte[]> served = new ConcurrentHashMap<>();
        SparkArtifact a = TWO.get(0);
        served.put("/" + a.path(), "truncated".getBytes(StandardCharsets.UTF_8));
        served.put("/" + a.path() + ".sha1", sha1("the real jar".getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpServer server = serve(served, new AtomicInteger());
        try {
            SparkClasspath cp = new SparkClasspath(dir, "http://127.0.0.1:" + server.getAddress().getPort(), List.of(a));
            assertThatThrownBy(() -> cp.resolve(line -> { }))
                    .hasMessageContaining("alpha_2.13-1.0.jar has SHA-1 " + sha1("truncated".getBytes(StandardCharsets.UTF_8)))
                    .hasMessageContaining("the repository says " + sha1("the real jar".getBytes(StandardCharsets.UTF_8)));
            assertThat(cp.missing()).containsExactly(a);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void offlineTheErrorNamesTheJarTheRepositoryAndWhatToDo() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SparkClasspath cp = new SparkClasspath(dir, "http://127.0.0.1:" + closedPort + "/maven2", TWO);
        assertThatThrownBy(() -> cp.resolve(line -> { }))
                .hasMessageStartingWith("cannot fetch org.example:alpha_2.13:1.0 for Spark from http://127.0.0.1:" + closedPort
                        + "/maven2/org/example/alpha_2.13/1.0/alpha_2.13-1.0.jar: ConnectException")
                .hasMessageContaining("fetched once, on first use, into " + dir)
                .hasMessageContaining("set TRIBUTARY_MAVEN_REPOSITORY to a reachable Maven repository");
    }

    @Test
    void aRepositoryFolderServesTooWithoutChecksumFiles() throws Exception {
        Path repo = dir.resolve("m2");
        SparkArtifact a = TWO.get(0);
        Files.createDirectories(repo.resolve(a.path()).getParent());
        Files.writeString(repo.resolve(a.path()), "local jar");
        SparkClasspath cp = new SparkClasspath(dir.resolve("cache"), repo.toString(), List.of(a));
        assertThat(Files.readString(cp.resolve(line -> { }).get(0))).isEqualTo("local jar");
    }

    private static HttpServer serve(Map<String, byte[]> files, AtomicInteger requests) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String sha1(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }
}
