package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against real files and a real DuckDB file, as a user would run it. */
class CliEndToEndTest {
    @TempDir
    Path dir;

    private CliRunner cli() {
        return new CliRunner(dir, Map.of());
    }

    private long query(String sql) throws SQLException {
        return Warehouse.number(dir.resolve("warehouse.duckdb"), sql);
    }

    @Test
    void initCheckSyncResyncAndState() throws Exception {
        CliRunner cli = cli();
        assertThat(cli.run("init").exitCode()).isZero();
        assertThat(cli.run("init").exitCode()).as("init refuses to overwrite").isEqualTo(ExitCode.CONFIG);

        CliRunner.Result check = cli.run("check");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("ok      connection example");

        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("Done: 1 of 1 streams synced, 3 records");
        assertThat(query("select count(*) from example.customers")).isEqualTo(3);

        CliRunner.Result again = cli.run("sync", "--json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(again.out());
        assertThat(json.get("ok").asBoolean()).isTrue();
        assertThat(json.at("/runs/0/streams/0/records").asLong()).as("nothing new to read").isZero();

        Files.writeString(dir.resolve("data/customers-2.csv"), "id,name,email,country,signed_up,lifetime_value\n"
                + "4,Barbara Liskov,barbara@example.com,US,2026-02-01,300\n2,Grace B. Hopper,grace@example.com,US,2025-07-01,990.00\n");
        CliRunner.Result incremental = cli.run("sync", "example", "--streams", "customers");
        assertThat(incremental.exitCode()).as(incremental.toString()).isZero();
        assertThat(incremental.out()).contains("2 records");
        assertThat(query("select count(*) from example.customers")).as("merge on id").isEqualTo(4);

        CliRunner.Result state = cli.run("state", "show", "--json");
        assertThat(state.exitCode()).isZero();
        assertThat(new ObjectMapper().readTree(state.out()).get(0).get("stream").asText()).isEqualTo("customers");
        assertThat(cli.run("state", "reset", "example").exitCode()).as("needs --yes without a terminal").isEqualTo(ExitCode.CONFIG);
        CliRunner.Result typo = cli.run("state", "reset", "example", "--stream", "customer", "--yes");
        assertThat(typo.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(typo.err()).contains("did you mean 'customers'");
        CliRunner.Result reset = cli.run("state", "reset", "example", "--yes");
        assertThat(reset.out()).contains("Forgot 1 saved state");
        assertThat(cli.run("state", "show").out()).contains("No saved state");

        CliRunner.Result full = cli.run("sync", "--full-refresh");
        assertThat(full.exitCode()).as(full.toString()).isZero();
        assertThat(query("select count(*) from example.customers")).isEqualTo(4);

        CliRunner.Result discover = cli.run("discover", "--json");
        assertThat(discover.exitCode()).as(discover.toString()).isZero();
        assertThat(new ObjectMapper().readTree(discover.out()).at("/example/0/primary_key/0").asText()).isEqualTo("id");
        assertThat(cli.run("version").out()).startsWith("tributary ");
    }

    @Test
    void aFailedCheckSaysWhyRatherThanBlamingKeysItNeverRead() throws IOException {
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: duckdb}
                connections:
                  crm:
                    type: hubspot
                    config:
                      base_url: http://127.0.0.1:9
                      access_token: ${HUBSPOT_TOKEN:-}
                      streams: [contacts]
                """);
        CliRunner.Result check = cli().run("check");
        // an empty token is a configuration problem, found before the API is called
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(check.toString()).contains("tributary.yml:7: connections.crm.config.access_token: is required").doesNotContain("unknown key");
    }

    @Test
    void configurationErrorsNameFileKeyAndLineAndExitWithTwo() throws IOException {
        CliRunner cli = cli();
        cli.run("init");
        String yml = Files.readString(dir.resolve("tributary.yml")).replace("write_mode: merge", "write_mod: merge");
        Files.writeString(dir.resolve("tributary.yml"), yml);
        CliRunner.Result r = cli.run("sync");
        assertThat(r.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("tributary.yml:").contains("connections.example.streams.customers.write_mod: unknown key (did you mean 'write_mode'?)");

        Files.writeString(dir.resolve("tributary.yml"), yml.replace("write_mod: merge", "write_mode: merge").replace("format: csv", "formt: csv"));
        r = cli.run("sync");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("tributary.yml:").contains("formt");

        assertThat(cli.run("sink").exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(new CliRunner(dir.resolve("missing"), Map.of()).run("sync").err()).contains("no tributary.yml");
    }

    @Test
    void aMalformedRowFailsTheStreamByDefaultAndIsRejectedOnRequest() throws Exception {
        CliRunner cli = cli();
        cli.run("init");
        Files.writeString(dir.resolve("data/customers-bad.csv"), "id,name,email,country,signed_up,lifetime_value\n"
                + "10,Good Row,g@example.com,FR,2026-01-01,1\n11,\"Broken,b@example.com,FR,2026-01-01,1\n");
        CliRunner.Result failed = cli.run("sync");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(failed.out()).contains("customers-bad.csv:3");
        assertThat(query("select count(*) from information_schema.tables where table_name = 'customers'"))
                .as("nothing of the failed batch was committed").isZero();

        Files.writeString(dir.resolve("tributary.yml"), Files.readString(dir.resolve("tributary.yml")).replace("on_error: fail", "on_error: reject"));
        CliRunner.Result rejected = cli.run("sync");
        assertThat(rejected.exitCode()).as(rejected.toString()).isZero();
        assertThat(rejected.out()).contains("1 rejected");
        assertThat(query("select count(*) from example.customers")).isEqualTo(4);
        assertThat(query("select count(*) from example._tributary_rejects where origin like '%customers-bad.csv:3'")).isEqualTo(1);
    }

    @Test
    void aMissingFileIsReportedWithItsPath() throws IOException {
        CliRunner cli = cli();
        cli.run("init");
        Files.delete(dir.resolve("data/customers.csv"));
        CliRunner.Result r = cli.run("sync");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err() + r.out()).contains("customers*.csv");
    }

    @Test
    void aConfigurationErrorInAnyConnectionStopsTheSyncBeforeAnythingIsWritten() throws Exception {
        CliRunner cli = cli();
        cli.run("init");
        Files.writeString(dir.resolve("tributary.yml"), Files.readString(dir.resolve("tributary.yml")) + """
                  second:
                    type: files
                    config:
                      streams:
                        - {name: other, path: "customers.csv", format: csvv}
                """);
        CliRunner.Result r = cli.run("sync", "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(r.err()).contains("csvv");
        assertThat(query("select count(*) from information_schema.tables where table_schema = 'example'"))
                .as("the first connection was not synced either").isZero();
    }

    @Test
    void jsonReportsAConnectionThatCouldNotBeRead() throws Exception {
        CliRunner cli = cli();
        cli.run("init");
        Files.writeString(dir.resolve("tributary.yml"), Files.readString(dir.resolve("tributary.yml")) + """
                  missing:
                    type: files
                    config:
                      streams:
                        - {name: gone, path: "nowhere/*.csv", format: csv}
                """);
        CliRunner.Result r = cli.run("sync", "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.FAILED);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.at("/runs/0/ok").asBoolean()).as("the readable connection synced").isTrue();
        assertThat(json.at("/runs/1/connection").asText()).isEqualTo("missing");
        assertThat(json.at("/runs/1/error").asText()).contains("nowhere/*.csv");
    }
}
