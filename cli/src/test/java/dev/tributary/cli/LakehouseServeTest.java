package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.project.Connectors;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * examples/lakehouse served ({@code run --serve}, story 3 and issue 20), without Spark: the HubSpot sandbox and the
 * "Redshift" marketing tables in the real PostgreSQL, {@code serve --port 0} in-process with the alert webhook pointed at
 * a receiver on a random loopback port; the {@code ingest} pipeline triggered through the API with the API token. Then
 * {@code /metrics} has ingest's runs and durations, the records it synced, the HubSpot API calls and rate-limit headroom,
 * and the check failures of a planted flaw (the negative campaign spend, here failing at more than 0 instead of 3);
 * the webhook received the failure alert naming that check.
 */
class LakehouseServeTest {
    private static final String TOKEN = "lakeserve-" + Long.toHexString(System.nanoTime());
    private static final String FAILING_CHECK = "negative_count_redshift_campaigns_spend";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> alerts = new CopyOnWriteArrayList<>();

    @Test
    void ingestThroughTheApiShowsRunsRecordsApiQuotaAndCheckFailuresInMetricsAndAlertsTheWebhook() throws Exception {
        String url = TestDatabases.postgresUrl();
        String marketing = TestDatabases.createPostgresSchema(url, "lakeserve_marketing");
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/lakehouse-alerts", exchange -> {
            alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        try (HubSpotSandbox hubspot = HubSpotSandbox.start(SandboxOptions.fromArgs("--port", "0", "--seed", "5", "--scale", "contacts=300"))) {
            TestDatabases.execute(url, ExampleFixtures.generateMarketingDb("--schema", marketing, "--hubspot-url", hubspot.baseUrl(),
                    "--hubspot-token", hubspot.privateAppToken(), "--sessions", "1000", "--seed", "5"));
            ExampleFixtures.copyProject(ExampleFixtures.LAKEHOUSE, dir);
            // a planted flaw made a failure: the credit note's negative spend fails the bronze checks; no retries, so one run fails
            Path sources = dir.resolve("models/sources.yml");
            String spend = "negative_count: {column: spend, warn: '> 0', fail: '> 3'}";
            assertThat(Files.readString(sources)).contains(spend);
            Files.writeString(sources, Files.readString(sources).replace(spend, "negative_count: {column: spend, warn: '> 0', fail: '> 0'}"));
            Path yml = dir.resolve("tributary.yml");
            String retries = "retries: {max: 2, backoff: 30s, max_backoff: 5m}";
            assertThat(Files.readString(yml)).contains(retries);
            Files.writeString(yml, Files.readString(yml).replace(retries, "retries: {max: 0}"));

            Map<String, String> env = Map.of("HUBSPOT_BASE_URL", hubspot.baseUrl(), "HUBSPOT_TOKEN", hubspot.privateAppToken(),
                    "REDSHIFT_URL", url.replace("jdbc:postgresql:", "jdbc:redshift:"), "REDSHIFT_SCHEMA", marketing,
                    "ALERT_WEBHOOK_URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/lakehouse-alerts",
                    "TRIBUTARY_API_TOKEN", TOKEN, "TRIBUTARY_ADMIN_PASSWORD", TOKEN);
            StringWriter out = new StringWriter();
            CommandLine commandLine = TributaryCommand.commandLine(env, Connectors.discover(), new PrintWriter(out, true), new PrintWriter(out, true));
            ServeCommand serve = commandLine.getSubcommands().get("serve").getCommand();
            CountDownLatch started = new CountDownLatch(1);
            serve.onStarted = started::countDown;
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute("-p", dir.toString(), "serve", "--port", "0"));
            try {
                assertThat(started.await(60, TimeUnit.SECONDS)).as(out::toString).isTrue();
                String base = "http://127.0.0.1:" + serve.boundPort;
                // an interval pipeline that never ran runs at start: let that run end, then trigger the next through the API
                waitFor("ingest's first run to finish; serve output:\n" + out, () -> finishedRuns(base) == 1);
                HttpResponse<String> trigger = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/pipelines/ingest/trigger"))
                        .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(trigger.statusCode()).as(trigger.body()).isBetween(200, 299);
                waitFor("the triggered ingest run to finish; serve output:\n" + out, () -> finishedRuns(base) == 2);
                for (JsonNode run : get(base, "/api/v1/runs?pipeline=ingest")) {
                    assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("failed");
                    assertThat(run.path("error").asText()).as(run.toString()).contains(FAILING_CHECK);
                }

                String metrics = text(base, "/metrics");
                assertThat(metrics).containsPattern("tributary_runs_total\\{[^}]*pipeline=\"ingest\"[^}]*status=\"failed\"[^}]*\\} 2")
                        .containsPattern("tributary_run_duration_seconds_count\\{pipeline=\"ingest\"\\} 2")
                        .containsPattern("tributary_run_duration_seconds_sum\\{pipeline=\"ingest\"\\} [0-9.]*[1-9]")
                        .containsPattern("tributary_records_synced_total\\{pipeline=\"ingest\"\\} [1-9]")
                        .containsPattern("tributary_api_calls_total\\{[^}]*api=\"hubspot\"[^}]*\\} [1-9]")
                        .containsPattern("tributary_rate_limit_headroom\\{[^}]*api=\"hubspot\"[^}]*\\} [0-9]")
                        .containsPattern("tributary_check_failures_total\\{check=\"" + FAILING_CHECK + "\"\\} [1-9]")
                        .doesNotContainPattern("tributary_check_failures_total\\{check=\"invalid_count_redshift_product_events_email\"\\}");

                // each table's last sync is when its stream's state was committed, read from the Iceberg snapshots as
                // `state show` reads it (there is no _tributary_state table in a lakehouse); both runs synced every stream
                Map<String, String> committed = SyncStates.committedAt(env, dir);
                assertThat(committed).hasSize(11);
                Map<String, String> lastSyncs = SyncStates.lastSyncs(get(base, "/api/v1/connections"));
                assertThat(lastSyncs).as("/api/v1/connections' lastSync against `state show`").isEqualTo(committed);

                waitFor("the failure alert at the webhook; received " + alerts, () -> alerts.stream().anyMatch(a -> a.contains("\"failure\"")));
                JsonNode alert = JSON.readTree(alerts.stream().filter(a -> a.contains("\"failure\"")).findFirst().orElseThrow());
                assertThat(alert.path("pipeline").asText()).isEqualTo("ingest");
                assertThat(alert.path("status").asText()).isEqualToIgnoringCase("failed");
                assertThat(alert.toString()).contains(FAILING_CHECK);
            } finally {
                serve.stop.countDown();
            }
            assertThat(exit.get(90, TimeUnit.SECONDS)).as(out::toString).isZero();
        } finally {
            webhook.stop(0);
            TestDatabases.dropPostgresSchema(url, marketing);
        }
    }

    /** Runs of ingest that ended; -1 while one is queued or running. */
    private int finishedRuns(String base) {
        JsonNode runs = get(base, "/api/v1/runs?pipeline=ingest");
        for (JsonNode run : runs) if (List.of("queued", "running").contains(run.path("status").asText())) return -1;
        return runs.size();
    }

    private JsonNode get(String base, String path) {
        try {
            return JSON.readTree(text(base, path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String text(String base, String path) {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** Polls every 200 ms (serve runs the pipeline on its own threads) for up to 75 s. */
    private static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("waited for " + what).isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }
}
