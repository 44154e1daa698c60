package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary serve} on a DuckDB project, its API and {@code /metrics} read in a tight loop, its own pipeline
 * syncing one connection, while CLI syncs of another connection run in other processes: every CLI sync and every
 * pipeline run succeeds, every answer is 200 or the polite busy answer (503), and no answer names the warehouse
 * file, a process id or the Java binary.
 */
class ServeWhileCliSyncsTest {
    private static final String TOKEN = "serve-cli-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS_PER_FILE = 20_000;
    private static final int CLI_SYNCS = 3;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void scrapesAndCliSyncsNeverCollide() throws Exception {
        ExampleFixtures.writeNumberedJsonl(dir, 1, ROWS_PER_FILE);
        Files.createDirectories(dir.resolve("other"));
        Files.copy(dir.resolve("data/part-0.jsonl"), dir.resolve("other/part-0.jsonl"));
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: duckdb}
                connections:
                  events:
                    type: files
                    config:
                      batch_size: 2000
                      streams:
                        - {name: events, path: "data/*.jsonl", format: jsonl}
                    streams:
                      events: {write_mode: append}
                  other:
                    type: files
                    config:
                      streams:
                        - {name: other, path: "other/*.jsonl", format: jsonl, primary_key: [id]}
                    streams:
                      other: {write_mode: merge}
                settings:
                  checkpoint_every_records: 2000
                pipelines:
                  load:
                    every: 1h
                    retries: {max: 0}
                    steps:
                      - sync: [other]
                """);
        Process serve = serve();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger answers = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        List<Thread> scrapers = new ArrayList<>();
        try {
            int port = port(serve);
            awaitFirstRun(port);
            for (String path : List.of("/metrics", "/api/v1/connections", "/api/v1/checks", "/api/v1/models")) {
                scrapers.add(Thread.ofPlatform().name("scrape " + path).start(() -> {
                    while (!stop.get()) {
                        HttpResponse<String> r = get(port, path);
                        answers.incrementAndGet();
                        String body = r.body();
                        if (r.statusCode() == 503 && body.contains("The warehouse is busy")) {
                            busy.incrementAndGet();
                        } else if (r.statusCode() != 200) {
                            problems.add(path + " answered " + r.statusCode() + ": " + body);
                        }
                        for (String secret : List.of(dir.toString(), "warehouse.duckdb", "PID", "bin/java", "jdk")) {
                            if (body.contains(secret)) problems.add(path + " leaked '" + secret + "': " + body);
                        }
                    }
                }));
            }
            for (int i = 1; i <= CLI_SYNCS; i++) {
                Files.copy(dir.resolve("data/part-0.jsonl"), dir.resolve("data/more-" + i + ".jsonl"));
                // The pipeline syncs into the same file at the same time now and then: the CLI waits for it.
                if (i == 2) trigger(port);
                Process sync = cli("sync-" + i + ".out", "sync", "events", "--wait");
                assertThat(sync.waitFor(300, TimeUnit.SECONDS)).isTrue();
                assertThat(sync.exitValue()).as(read("sync-" + i + ".out")).isZero();
            }
            trigger(port);
            waitFor(Duration.ofMinutes(3), "the pipeline's runs to finish", () -> {
                JsonNode runs = runs(port);
                return runs.size() >= 3 && allFinished(runs);
            });
            for (JsonNode run : runs(port)) assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("succeeded");
            stop.set(true);
            for (Thread t : scrapers) t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(problems).isEmpty();
            assertThat(answers.get()).isGreaterThan(CLI_SYNCS);
        } finally {
            stop.set(true);
            serve.destroy();
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        long rows = (long) ROWS_PER_FILE * (CLI_SYNCS + 1);
        assertThat(Warehouse.number(dir.resolve("warehouse.duckdb"), "select count(*) from events.events")).isEqualTo(rows);
        assertThat(Warehouse.number(dir.resolve("warehouse.duckdb"), "select count(*) from other.other")).isEqualTo(ROWS_PER_FILE);
    }

    private static boolean allFinished(JsonNode runs) {
        for (JsonNode run : runs) {
            String status = run.path("status").asText();
            if (status.equals("running") || status.equals("queued")) return false;
        }
        return true;
    }

    private void awaitFirstRun(int port) {
        // The pipeline never ran, so serve runs it at start; wait for it so that later triggers are not coalesced.
        waitFor(Duration.ofMinutes(2), "the first run of the pipeline", () -> {
            JsonNode runs = runs(port);
            return runs.size() >= 1 && allFinished(runs);
        });
    }

    private Process serve() throws IOException {
        ProcessBuilder b = javaCommand("serve.out", "serve", "--port", "0");
        b.environment().put("TRIBUTARY_API_TOKEN", TOKEN);
        b.environment().put("TRIBUTARY_ADMIN_PASSWORD", TOKEN);
        return b.start();
    }

    private Process cli(String output, String... args) throws IOException {
        return javaCommand(output, args).start();
    }

    private ProcessBuilder javaCommand(String output, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-p", dir.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(output).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void trigger(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/pipelines/load/trigger"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }

    private JsonNode runs(int port) {
        HttpResponse<String> r = get(port, "/api/v1/runs?pipeline=load");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int port(Process serve) {
        waitFor(Duration.ofSeconds(90), "serve to start: " + read("serve.out"), () -> {
            if (!serve.isAlive()) fail("serve exited: " + read("serve.out"));
            return read("serve.out").contains("Tributary is serving");
        });
        Matcher m = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)").matcher(read("serve.out"));
        assertThat(m.find()).as(read("serve.out")).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private String read(String output) {
        try {
            return Files.readString(dir.resolve(output));
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls every 100 ms (the server works in another process) until the condition holds. */
    private static void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("waited " + timeout.toSeconds() + " s for " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
