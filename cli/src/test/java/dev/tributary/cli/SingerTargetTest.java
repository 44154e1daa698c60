package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary target}: a STATE is passed on only once the records before it are committed, and a failure commits nothing after. */
class SingerTargetTest {
    @TempDir
    Path dir;

    @Test
    void aFailurePassesOnOnlyTheStatesWhoseRecordsWereCommitted() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: duckdb}
                connections:
                  crm:
                    type: singer
                    streams:
                      people: {write_mode: append}
                """);
        Path messages = dir.resolve("messages.jsonl");
        Files.writeString(messages, String.join("\n",
                "{\"type\":\"SCHEMA\",\"stream\":\"people\",\"key_properties\":[\"id\"],\"schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}}}",
                "{\"type\":\"RECORD\",\"stream\":\"people\",\"record\":{\"id\":1,\"name\":\"a\"}}",
                "{\"type\":\"STATE\",\"value\":{\"at\":1}}",
                "{\"type\":\"RECORD\",\"stream\":\"people\",\"record\":{\"id\":2,\"name\":\"b\"}}",
                "{\"type\":\"STATE\",\"value\":{\"at\":2}}",
                "{\"type\":\"RECORD\",\"stream\":\"people\",\"record\":{\"id\":3,\"name\":\"c\"}}",
                "{\"type\":\"STATE\",\"value\":{\"at\":3}}",
                "this is not a message",
                "{\"type\":\"RECORD\",\"stream\":\"people\",\"record\":{\"id\":4,\"name\":\"d\"}}",
                "{\"type\":\"STATE\",\"value\":{\"at\":4}}") + "\n");
        CliRunner cli = new CliRunner(dir, Map.of());
        CliRunner.Result r = cli.run("target", "--connection", "crm", "--input", messages.toString(), "--commit-every-records", "2");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("messages.jsonl line 8").contains("not a JSON message");
        // committed at the second STATE (two records staged): both STATEs so far go out, in order; the third never does
        assertThat(r.out().lines().toList()).containsExactly("{\"type\":\"STATE\",\"value\":{\"at\":1}}", "{\"type\":\"STATE\",\"value\":{\"at\":2}}");
        assertThat(ids()).containsExactly(1L, 2L);
        assertThat(cli.run("state", "show", "crm", "--json").out()).contains("\"at\" : 2");

        // the tap resumes from {"at":2} and sends records 3 and 4 again: append stores each once
        Files.writeString(messages, String.join("\n",
                "{\"type\":\"SCHEMA\",\"stream\":\"people\",\"key_properties\":[\"id\"],\"schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}}}",
                "{\"type\":\"RECORD\",\"stream\":\"people\",\"record\":{\"id\":3,\"name\":\"c\"}}",
                "{\"type\":\"RECORD\",\"stream\":\"people\",\"record\":{\"id\":4,\"name\":\"d\"}}",
                "{\"type\":\"STATE\",\"value\":{\"at\":4}}") + "\n");
        CliRunner.Result resumed = cli.run("target", "--connection", "crm", "--input", messages.toString());
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out().lines().toList()).containsExactly("{\"type\":\"STATE\",\"value\":{\"at\":4}}");
        assertThat(ids()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void discoverUsesTheCachedCatalogUntilAskedToRefresh() throws Exception {
        Path tap = dir.resolve("tap-count");
        Files.writeString(tap, """
                #!/bin/sh
                for a in "$@"; do
                  if [ "$a" = "--discover" ]; then
                    echo run >> discoveries.txt
                    echo '{"streams":[{"tap_stream_id":"things","key_properties":["id"],"schema":{"type":"object","properties":{"id":{"type":"integer"}}}}]}'
                    exit 0
                  fi
                done
                exit 1
                """);
        tap.toFile().setExecutable(true);
        Files.writeString(dir.resolve("tributary.yml"), "destination: {type: duckdb}\nconnections:\n  counted:\n    type: singer\n    config: {command: [./tap-count]}\n");
        CliRunner cli = new CliRunner(dir, Map.of());
        assertThat(cli.run("discover", "counted").exitCode()).isZero();
        CliRunner.Result again = cli.run("discover", "counted");
        assertThat(again.out()).contains("things");
        assertThat(Files.readAllLines(dir.resolve("discoveries.txt"))).hasSize(1);
        CliRunner.Result refreshed = cli.run("discover", "counted", "--refresh");
        assertThat(refreshed.exitCode()).as(refreshed.toString()).isZero();
        assertThat(refreshed.err()).contains("Forgot the cached catalog of counted");
        assertThat(Files.readAllLines(dir.resolve("discoveries.txt"))).hasSize(2);
    }

    @Test
    void syncRendersVariablesIntoTheTapsPrivateConfigFileAndRemovesItAfter() throws Exception {
        Path tap = dir.resolve("tap-env");
        Files.writeString(tap, """
                #!/bin/sh
                while [ $# -gt 0 ]; do
                  case "$1" in
                    --config) cp "$2" seen-config.json; stat -c %a "$2" > seen-mode.txt; echo "$2" > seen-path.txt; shift 2;;
                    --discover) echo '{"streams":[{"tap_stream_id":"things","key_properties":["id"],"schema":{"type":"object","properties":{"id":{"type":"integer"}}}}]}'; exit 0;;
                    *) shift;;
                  esac
                done
                echo '{"type":"SCHEMA","stream":"things","key_properties":["id"],"schema":{"type":"object","properties":{"id":{"type":"integer"}}}}'
                echo '{"type":"RECORD","stream":"things","record":{"id":7}}'
                echo '{"type":"STATE","value":{"at":7}}'
                """);
        tap.toFile().setExecutable(true);
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: duckdb}
                connections:
                  envtap:
                    type: singer
                    config:
                      command: ./tap-env
                      config: {api_token: "${TAP_TOKEN}", region: "${TAP_REGION:-eu}"}
                """);
        CliRunner cli = new CliRunner(dir, Map.of("TAP_TOKEN", "s3cret-value"));
        CliRunner.Result r = cli.run("sync", "envtap");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readString(dir.resolve("seen-config.json"))).isEqualTo("{\"api_token\":\"s3cret-value\",\"region\":\"eu\"}");
        assertThat(Files.readString(dir.resolve("seen-mode.txt")).trim()).isEqualTo("600");
        assertThat(Path.of(Files.readString(dir.resolve("seen-path.txt")).trim())).doesNotExist();
        assertThat(r.out() + r.err()).doesNotContain("s3cret-value");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM envtap.things")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(7L);
        }
    }

    @Test
    void activateVersionSoftDeletesRowsTheNewVersionDidNotSend() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "destination: {type: duckdb}\nconnections: {}\n");
        String schema = "{\"type\":\"SCHEMA\",\"stream\":\"people\",\"key_properties\":[\"id\"],\"schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}}}}";
        Path messages = dir.resolve("v.jsonl");
        CliRunner cli = new CliRunner(dir, Map.of());
        Files.writeString(messages, String.join("\n", schema, version(1), record(1), record(2), record(3), version(1)) + "\n");
        assertThat(cli.run("target", "--connection", "crm", "--input", messages.toString()).exitCode()).isZero();
        Files.writeString(messages, String.join("\n", schema, version(2), record(2), version(2)) + "\n");
        CliRunner.Result r = cli.run("target", "--connection", "crm", "--input", messages.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, _tributary_deleted_at IS NOT NULL FROM crm.people ORDER BY id")) {
            while (rs.next()) rows.add(rs.getLong(1) + (rs.getBoolean(2) ? " deleted" : ""));
        }
        assertThat(rows).containsExactly("1 deleted", "2", "3 deleted");
    }

    private static String version(int v) {
        return "{\"type\":\"ACTIVATE_VERSION\",\"stream\":\"people\",\"version\":" + v + "}";
    }

    private static String record(int id) {
        return "{\"type\":\"RECORD\",\"stream\":\"people\",\"record\":{\"id\":" + id + "}}";
    }

    private List<Long> ids() throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM crm.people ORDER BY id")) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }
}
