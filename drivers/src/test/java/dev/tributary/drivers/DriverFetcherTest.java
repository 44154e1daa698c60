package dev.tributary.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching a driver's jar once: from a repository over HTTP or a folder, checked, cached, told; refused when wrong; once for two processes. */
class DriverFetcherTest {
    @TempDir
    Path dir;

    private static final byte[] CONTENT = "the driver's jar".getBytes(StandardCharsets.UTF_8);
    private static final MavenJar JAR = new MavenJar("org.example", "example-jdbc", "1.2.3", FakeRepository.hex("SHA-256", CONTENT));

    @Test
    void fetchesOnceCheckingTheChecksumsAndTellsWhatItDoes() throws Exception {
        try (FakeRepository repo = new FakeRepository()) {
            repo.put(JAR, CONTENT, null);
            List<String> progress = new ArrayList<>();
            DriverFetcher fetcher = new DriverFetcher(dir.resolve("cache"), List.of(repo.url()), progress::add);
            Path jar = fetcher.fetch(JAR);
            assertThat(jar).isEqualTo(dir.resolve("cache/repository/org/example/example-jdbc/1.2.3/example-jdbc-1.2.3.jar")).hasBinaryContent(CONTENT);
            assertThat(progress).containsExactly(
                    "fetching org.example:example-jdbc:1.2.3 (0 MB) once, from " + repo.url() + "/" + JAR.path() + " into " + dir.resolve("cache"),
                    "fetched org.example:example-jdbc:1.2.3 (0 MB) into " + jar);
            assertThat(repo.requests).containsExactly("/maven2/" + JAR.path() + ".sha1", "/maven2/" + JAR.path());
            progress.clear();
            assertThat(new DriverFetcher(dir.resolve("cache"), List.of(repo.url()), progress::add).fetch(JAR)).isEqualTo(jar);
            assertThat(progress).isEmpty();
            assertThat(repo.requests).hasSize(2);
        }
    }

    @Test
    void aJarWhoseSha1IsNotTheRepositorysIsRefusedAndNotCached() throws Exception {
        try (FakeRepository repo = new FakeRepository()) {
            repo.put(JAR, CONTENT, FakeRepository.hex("SHA-1", "another jar".getBytes(StandardCharsets.UTF_8)));
            DriverFetcher fetcher = new DriverFetcher(dir.resolve("cache"), List.of(repo.url()), line -> {});
            assertThatThrownBy(() -> fetcher.fetch(JAR)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("refused " + repo.url() + "/" + JAR.path() + ": its SHA-1 is " + FakeRepository.hex("SHA-1", CONTENT)
                            + " but the repository's " + repo.url() + "/" + JAR.path() + ".sha1 says " + FakeRepository.hex("SHA-1", "another jar".getBytes(StandardCharsets.UTF_8)))
                    .hasMessageEndingWith("nothing was cached");
            try (var left = Files.list(fetcher.file(JAR).getParent())) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly("example-jdbc-1.2.3.jar.lock");
            }
        }
    }

    @Test
    void aJarWhoseSha256IsNotTheExpectedOneIsRefusedEvenWhenTheRepositoryAgrees() throws Exception {
        byte[] other = "a jar from a tampered mirror".getBytes(StandardCharsets.UTF_8);
        try (FakeRepository repo = new FakeRepository()) {
            repo.put(JAR, other, null); // its .sha1 matches: the repository is consistent, but not what tributary expects
            DriverFetcher fetcher = new DriverFetcher(dir.resolve("cache"), List.of(repo.url()), line -> {});
            assertThatThrownBy(() -> fetcher.fetch(JAR)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("its SHA-256 is " + FakeRepository.hex("SHA-256", other) + " but tributary expects for org.example:example-jdbc:1.2.3 says " + JAR.sha256());
            assertThat(fetcher.file(JAR)).doesNotExist();
            assertThat(fetcher.file(JAR).resolveSibling("example-jdbc-1.2.3.jar.part")).doesNotExist();
        }
    }

    @Test
    void offlineTheErrorNamesTheUrlTheCacheAndWhatToDo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String repo = "http://127.0.0.1:" + closedPort + "/maven2";
        Path emptyFolder = Files.createDirectories(dir.resolve("m2"));
        DriverFetcher fetcher = new DriverFetcher(dir.resolve("cache"), List.of(emptyFolder.toString(), repo), line -> {});
        assertThatThrownBy(() -> fetcher.fetch(JAR)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot fetch org.example:example-jdbc:1.2.3: " + emptyFolder + "/" + JAR.path() + ": not there; "
                        + repo + "/" + JAR.path() + ": ConnectException")
                .hasMessageContaining("It is fetched once, on first use, into " + dir.resolve("cache") + ": connect to the network, or set TRIBUTARY_MAVEN_REPOSITORY")
                .hasMessageEndingWith("or put the jar at " + fetcher.file(JAR));
    }

    @Test
    void aFolderRepositoryComesFirstAndNeedsNoSha1FileButTheSha256IsChecked() throws Exception {
        Path m2 = dir.resolve("m2");
        Files.createDirectories(m2.resolve(JAR.path()).getParent());
        Files.write(m2.resolve(JAR.path()), CONTENT);
        try (FakeRepository repo = new FakeRepository()) {
            DriverFetcher fetcher = new DriverFetcher(dir.resolve("cache"), List.of(m2.toUri().toString(), repo.url()), line -> {});
            assertThat(fetcher.fetch(JAR)).hasBinaryContent(CONTENT);
            assertThat(repo.requests).isEmpty();
        }
        MavenJar sameNameOtherContent = new MavenJar(JAR.group(), JAR.artifact(), JAR.version(), FakeRepository.hex("SHA-256", "other".getBytes(StandardCharsets.UTF_8)));
        DriverFetcher fresh = new DriverFetcher(dir.resolve("cache2"), List.of(m2.toString()), line -> {});
        assertThatThrownBy(() -> fresh.fetch(sameNameOtherContent)).hasMessageStartingWith("refused " + m2 + "/" + JAR.path() + ": its SHA-256 is");
    }

    @Test
    void whereJarsComeFrom() {
        assertThat(DriverFetcher.repositories("https://mirror.example/maven2")).containsExactly("https://mirror.example/maven2");
        assertThat(DriverFetcher.repositories("/srv/m2")).containsExactly("/srv/m2", DriverFetcher.CENTRAL);
        assertThat(DriverFetcher.repositories(null)).containsExactly(Path.of(System.getProperty("user.home"), ".m2", "repository").toString(), DriverFetcher.CENTRAL);
    }

    @Test
    void twoProcessesAtOnceFetchTheJarOnce() throws Exception {
        try (FakeRepository repo = new FakeRepository()) {
            repo.put(JAR, CONTENT, null);
            repo.holdJars = true;
            Path cache = dir.resolve("cache");
            Process first = fetchInAnotherProcess(cache, repo.url());
            assertThat(repo.jarAsked.await(2, TimeUnit.MINUTES)).as("the first process asks for the jar").isTrue();
            // the first one is downloading (its answer held back): the second must wait for it, not download again
            Process second = fetchInAnotherProcess(cache, repo.url());
            List<String> secondsLines = new CopyOnWriteArrayList<>();
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> readUntil(second, "waiting for another process", secondsLines));
            assertThat(waiting.get(2, TimeUnit.MINUTES)).as("the second process's lines: %s", secondsLines)
                    .isEqualTo("waiting for another process that is fetching org.example:example-jdbc:1.2.3 into " + cache
                            + " (it holds " + cache.resolve("repository").resolve(JAR.path() + ".lock") + ")");
            repo.releaseJars.countDown();
            Path jar = cache.resolve("repository").resolve(JAR.path());
            for (Process p : List.of(first, second)) {
                assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
                assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo(jar.toString());
            }
            assertThat(jar).hasBinaryContent(CONTENT);
            assertThat(repo.jarRequests()).isEqualTo(1);
        }
    }

    private Process fetchInAnotherProcess(Path cache, String repository) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FetchInAnotherProcess.class.getName(),
                cache.toString(), repository, JAR.group(), JAR.artifact(), JAR.version(), JAR.sha256())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private static String readUntil(Process p, String prefix, List<String> seen) {
        // only the lines up to the one looked for are read here; the rest stay for the assertion on the process's end
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        try {
            for (String line; (line = r.readLine()) != null; ) {
                seen.add(line);
                if (line.startsWith(prefix)) return line;
            }
            return "(the process ended without saying so)";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
