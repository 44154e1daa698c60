package dev.tributary.cli;

import static dev.tributary.cli.Polling.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.scheduler.LogLine;
import dev.tributary.project.Connectors;
import dev.tributary.scheduler.MetadataStore;
import dev.tributary.scheduler.MetadataStores;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.spi.Config;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs started from the CLI are in the project's run history, whether or not serve runs on the project meanwhile. */
class CliRunRecordingTest {
    private static final String TOKEN = "recording-test-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private void writeProject(String extra) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/contacts.csv"), "id,email\n1,a@example.com\n2,b@example.com\n3,c@example.com\n");
        Files.writeString(dir.resolve("tributary.yml"), """
                name: recorded
                destination: {type: duckdb}
                connections:
                  crm:
                    type: files
                    config:
                      streams:
                        - {name: contacts, path: data/contacts.csv, format: csv, primary_key: [id]}
                pipelines:
                  nightly:
                    schedule: "0 7 * * *"
                    steps:
                      - sync: [crm]
                """ + extra);
    }

    @Test
    void aCliSyncIsRecordedWithItsLog() throws Exception {
        writeProject("");
        CliRunner.Result sync = new CliRunner(dir, Map.of()).run("sync", "crm");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.err()).doesNotContain("warning");
        CliRunner.Result failed = new CliRunner(dir, Map.of()).run("sync", "crm", "--streams", "contcts");
        assertThat(failed.exitCode()).as(failed.toString()).isNotZero();

        try (MetadataStore store = MetadataStores.openForCommand(Config.empty(), dir)) {
            List<RunRecord> runs = store.runs(RunQuery.latest(10));
            assertThat(runs).hasSize(2);
            RunRecord ok = runs.get(1);
            assertThat(ok.pipeline()).isEqualTo(CliRunRecorder.PIPELINE);
            assertThat(ok.trigger()).isEqualTo("cli");
            assertThat(ok.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(ok.records()).isEqualTo(3);
            assertThat(store.steps(ok.id()).get(0).step()).isEqualTo("sync crm");
            assertThat(store.log(ok.id(), 0, 100)).extracting(LogLine::message).anyMatch(m -> m.startsWith("Done: 1 of 1 streams synced, 3 records"));
            RunRecord bad = runs.get(0);
            assertThat(bad.status()).isEqualTo(RunStatus.FAILED);
            assertThat(bad.error()).hasValueSatisfying(e -> assertThat(e).contains("contcts"));
        }
    }

    @Test
    void anInternalErrorIsRecordedWithTheExitCodeAndTheLineTheTerminalShows() throws Exception {
        writeProject("");
        // a destination with a bug: the process exits 3, and before the fix the history said exit code 1
        dev.tributary.spi.Destination duckdb = Connectors.discover().destinations().get("duckdb");
        dev.tributary.spi.Destination buggy = new dev.tributary.spi.Destination() {
            @Override
            public dev.tributary.spi.ConnectorSpec spec() {
                return duckdb.spec();
            }

            @Override
            public dev.tributary.spi.DestinationSession open(Config config) {
                throw new NullPointerException("a bug");
            }
        };
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        Connectors connectors = new Connectors(List.copyOf(Connectors.discover().sources().values()), List.of(buggy));
        int code = TributaryCommand.commandLine(Map.of(), connectors, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true))
                .execute("-p", dir.toString(), "sync", "crm");
        assertThat(code).as(err.toString()).isEqualTo(ExitCode.INTERNAL);
        String shown = err.toString().lines().filter(l -> l.contains("a bug")).findFirst().orElseThrow();
        assertThat(shown).startsWith("tributary: unexpected error: ");
        try (MetadataStore store = MetadataStores.openForCommand(Config.empty(), dir)) {
            RunRecord run = store.runs(RunQuery.latest(1)).get(0);
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.error()).contains(shown + " (exit code 3)");
        }
    }

    @Test
    void aStoreThatCannotBeReachedIsOneWarningAndTheCommandGoesOn() throws Exception {
        writeProject("""
                server:
                  metadata: {url: "jdbc:postgresql://127.0.0.1:1/none", user: nobody}
                """);
        CliRunner.Result sync = new CliRunner(dir, Map.of()).run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("Done: 1 of 1 streams synced, 3 records");
        assertThat(sync.err().lines().filter(l -> l.contains("warning")).toList()).hasSize(1)
                .allMatch(l -> l.contains("not recorded in the project's run history"));
    }

    @Test
    void aCliSyncWhileServeRunsShowsUpInServesApi() throws Exception {
        writeProject("");
        Process serve = serve();
        try {
            int port = port(serve);
            CliRunner.Result sync = new CliRunner(dir, Map.of()).run("sync");
            assertThat(sync.exitCode()).as(sync.toString()).isZero();
            assertThat(sync.err()).doesNotContain("warning");
            JsonNode runs = get(port, "/api/v1/runs?pipeline=cli");
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).path("trigger").asText()).isEqualTo("cli");
            assertThat(runs.get(0).path("status").asText()).isEqualTo("succeeded");
            JsonNode log = get(port, "/api/v1/runs/" + runs.get(0).path("id").asLong() + "/log");
            assertThat(log.toString()).contains("Done: 1 of 1 streams synced, 3 records");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).as("the tributary.yml name, not the folder's").contains("tributary_project_info{project=\"recorded\"} 1");
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        // serve gone: the next command opens the file itself, and the history holds both
        assertThat(new CliRunner(dir, Map.of()).run("sync").exitCode()).isZero();
        try (MetadataStore store = MetadataStores.openForCommand(Config.empty(), dir)) {
            assertThat(store.runs(RunQuery.latest(10).pipeline(CliRunRecorder.PIPELINE))).hasSize(2);
        }
    }

    private Process serve() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.tributary.cli.Main", "-p", dir.toString(), "serve", "--port", "0");
        b.environment().put("TRIBUTARY_API_TOKEN", TOKEN);
        b.environment().put("TRIBUTARY_ADMIN_PASSWORD", TOKEN);
        return b.redirectErrorStream(true).redirectOutput(dir.resolve("serve.out").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private int port(Process process) {
        waitFor(Duration.ofSeconds(90), "serve to start", () -> {
            if (!process.isAlive()) fail("serve exited: " + read());
            return read().contains("Tributary is serving");
        });
        Matcher m = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)").matcher(read());
        assertThat(m.find()).as(read()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private String read() {
        try {
            return Files.readString(dir.resolve("serve.out"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
