package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.project.Connectors;
import dev.tributary.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What serve's API says about each table's last sync is what the destination says it committed ({@code state show}),
 * on DuckDB (its state table, read-only) and PostgreSQL (through the destination's session); the lakehouse (Iceberg
 * snapshot summaries) is covered by {@link LakehouseServeTest}. Two syncs, the second of an appended file only.
 */
class ServeSyncStateTest {
    private static final String TOKEN = "syncstate-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"duckdb", "postgres"})
    void eachTablesLastSyncIsWhenItsStateWasCommitted(String destination) throws Exception {
        String url = destination.equals("postgres") ? TestDatabases.postgresUrl() : null;
        String prefix = "srvstate_" + Long.toHexString(System.nanoTime()) + "_";
        ExampleFixtures.writeNumberedJsonl(dir, 1, 50);
        Files.writeString(dir.resolve("tributary.yml"), (url == null ? "destination: {type: duckdb}\n"
                : "destination: {type: postgres, url: \"" + url + "\", schema_prefix: " + prefix + "}\n") + """
                connections:
                  events:
                    type: files
                    config:
                      streams:
                        - {name: events, path: "data/*.jsonl", format: jsonl, primary_key: [id]}
                        - {name: totals, path: "data/part-0.jsonl", format: jsonl, primary_key: [id]}
                    streams:
                      events: {write_mode: merge}
                      totals: {write_mode: merge}
                """);
        try {
            Map<String, String> env = Map.of("TRIBUTARY_API_TOKEN", TOKEN, "TRIBUTARY_ADMIN_PASSWORD", TOKEN);
            assertThat(run(env, "sync")).isZero();
            Files.writeString(dir.resolve("data/part-9.jsonl"), "{\"id\": 900, \"name\": \"late\", \"amount\": 1, \"at\": \"2026-01-01T00:00:00Z\"}\n");
            assertThat(run(env, "sync")).isZero();
            StringWriter stateOut = new StringWriter();
            assertThat(TributaryCommand.commandLine(env, Connectors.discover(), new PrintWriter(stateOut, true), new PrintWriter(stateOut, true))
                    .execute("-p", dir.toString(), "state", "show", "--json")).as(stateOut.toString()).isZero();
            Map<String, String> committed = new TreeMap<>();
            for (JsonNode s : JSON.readTree(stateOut.toString())) {
                String stream = s.path("stream").asText();
                committed.put(s.path("connection").asText() + "/" + stream.substring(stream.lastIndexOf('.') + 1), s.path("committed_at").asText());
            }
            assertThat(committed).containsOnlyKeys("events/events", "events/totals");

            StringWriter out = new StringWriter();
            picocli.CommandLine commandLine = TributaryCommand.commandLine(env, Connectors.discover(), new PrintWriter(out, true), new PrintWriter(out, true));
            ServeCommand serve = commandLine.getSubcommands().get("serve").getCommand();
            CountDownLatch started = new CountDownLatch(1);
            serve.onStarted = started::countDown;
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute("-p", dir.toString(), "serve", "--port", "0"));
            try {
                assertThat(started.await(60, TimeUnit.SECONDS)).as(out::toString).isTrue();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.boundPort + "/api/v1/connections"))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                Map<String, String> lastSyncs = new TreeMap<>();
                for (JsonNode connection : JSON.readTree(r.body())) {
                    for (JsonNode stream : connection.path("streams")) {
                        lastSyncs.put(connection.path("name").asText() + "/" + stream.path("name").asText(), stream.path("lastSync").asText(null));
                    }
                }
                assertThat(lastSyncs).as(destination + ": /api/v1/connections' lastSync against `state show`").isEqualTo(committed);
            } finally {
                serve.stop.countDown();
            }
            assertThat(exit.get(60, TimeUnit.SECONDS)).as(out::toString).isZero();
        } finally {
            if (url != null) {
                TestDatabases.dropPostgresSchema(url, prefix + "tributary");
                TestDatabases.dropPostgresSchema(url, prefix + "events");
            }
        }
    }

    private int run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "-p";
        all[1] = dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = TributaryCommand.commandLine(env, Connectors.discover(), new PrintWriter(out, true), new PrintWriter(out, true)).execute(all);
        if (code != 0) System.out.println(out);
        return code;
    }
}
