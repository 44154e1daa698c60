package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.testkit.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
            CliRunner cli = new CliRunner(dir, env);
            CliRunner.Result first = cli.run("sync");
            assertThat(first.exitCode()).as(first.toString()).isZero();
            Files.writeString(dir.resolve("data/part-9.jsonl"), "{\"id\": 900, \"name\": \"late\", \"amount\": 1, \"at\": \"2026-01-01T00:00:00Z\"}\n");
            CliRunner.Result second = cli.run("sync");
            assertThat(second.exitCode()).as(second.toString()).isZero();
            Map<String, String> committed = SyncStates.committedAt(env, dir);
            assertThat(committed).containsOnlyKeys("events/events", "events/totals");

            try (InProcessServe serve = new InProcessServe(env, dir)) {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serve.base() + "/api/v1/connections"))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                Map<String, String> lastSyncs = SyncStates.lastSyncs(JSON.readTree(r.body()));
                assertThat(lastSyncs).as(destination + ": /api/v1/connections' lastSync against `state show`").isEqualTo(committed);
            }
        } finally {
            if (url != null) {
                TestDatabases.dropPostgresSchema(url, prefix + "tributary");
                TestDatabases.dropPostgresSchema(url, prefix + "events");
            }
        }
    }
}
