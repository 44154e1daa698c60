package dev.tributary.cli;

import static dev.tributary.cli.Polling.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary serve} killed with SIGKILL in the middle of a run and started again: the interrupted run is marked
 * failed, the pipeline runs again at once (its last run did not succeed), and the table ends with exactly the records
 * of the files: append mode, so a replayed batch would show as a duplicate and a skipped one as a gap.
 */
class ServeKillTest {
    private static final int FILES = 6;
    private static final int ROWS_PER_FILE = 100_000;
    private static final String TOKEN = "kill-test-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aServerKilledMidRunMarksItFailedOnRestartRunsAgainAndLosesOrDoublesNothing() throws Exception {
        ExampleFixtures.writeNumberedJsonl(dir, FILES, ROWS_PER_FILE);
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
                settings:
                  checkpoint_every_records: 2000
                pipelines:
                  load:
                    every: 1h
                    retries: {max: 0}
                    steps:
                      - sync: [events]
                """);

        Process first = serve("first.out");
        awaitOutput("first.out", first, "[load][events] events: started");
        // kill somewhere inside the sync (it takes seconds), after some batches committed
        long waitMillis = 300 + new Random().nextInt(900);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(waitMillis));
        if (Files.readString(dir.resolve("first.out")).contains("run 1 succeeded")) {
            fail("the run finished within " + waitMillis + " ms: too few rows to kill it mid-run");
        }
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process second = serve("second.out");
        try {
            int port = port("second.out", second);
            waitFor(Duration.ofMinutes(3), "the re-run after the restart to succeed:\n" + Files.readString(dir.resolve("second.out")), () -> {
                JsonNode runs = runs(port);
                return runs.size() >= 2 && runs.get(0).path("status").asText().equals("succeeded");
            });
            JsonNode runs = runs(port);
            JsonNode interrupted = runs.get(runs.size() - 1);
            assertThat(interrupted.path("id").asLong()).isEqualTo(1);
            assertThat(interrupted.path("status").asText()).isEqualTo("failed");
            assertThat(interrupted.path("error").asText()).contains("interrupted");
            assertThat(runs.get(0).path("trigger").asText()).isEqualTo("schedule");
        } finally {
            second.destroy(); // SIGTERM: the server stops cleanly
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("second.out"))).contains("Stopping");
        assertThat(Warehouse.number(dir.resolve("warehouse.duckdb"), "select count(*) from events.events")).isEqualTo((long) FILES * ROWS_PER_FILE);
        assertThat(Warehouse.number(dir.resolve("warehouse.duckdb"), "select count(distinct id) from events.events")).isEqualTo((long) FILES * ROWS_PER_FILE);
    }

    private Process serve(String output) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.tributary.cli.Main", "-p", dir.toString(), "serve", "--port", "0");
        b.environment().put("TRIBUTARY_API_TOKEN", TOKEN);
        b.environment().put("TRIBUTARY_ADMIN_PASSWORD", TOKEN);
        return b.redirectErrorStream(true).redirectOutput(dir.resolve(output).toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private void awaitOutput(String output, Process process, String text) {
        waitFor(Duration.ofSeconds(60), "'" + text + "' in the server's output", () -> {
            if (!process.isAlive()) fail("the server exited: " + read(output));
            return read(output).contains(text);
        });
    }

    private int port(String output, Process process) {
        Pattern p = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)");
        awaitOutput(output, process, "Tributary is serving");
        Matcher m = p.matcher(read(output));
        assertThat(m.find()).as(read(output)).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private JsonNode runs(int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/runs?pipeline=load"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String read(String output) {
        try {
            return Files.readString(dir.resolve(output));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
