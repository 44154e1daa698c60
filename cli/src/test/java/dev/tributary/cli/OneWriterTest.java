package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.destination.duckdb.DuckDbDestination;
import dev.tributary.destination.postgres.PostgresDestination;
import dev.tributary.spi.Config;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WriterLock;
import dev.tributary.testkit.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One writer per connection, with real processes: while a writer holds a connection, a {@code tributary sync} of
 * it stops at once (exit 1, naming the holder), and syncs started with {@code --wait} wait, then run one after the
 * other, so the table ends with every record exactly once, in every write mode, on DuckDB and PostgreSQL.
 */
class OneWriterTest {
    private static final int FILES = 2;
    private static final int ROWS_PER_FILE = 5_000;
    private static final int ROWS = FILES * ROWS_PER_FILE;

    @TempDir
    Path dir;

    private String postgresUrl;
    private String prefix;

    @AfterEach
    void dropSchemas() {
        if (postgresUrl == null) return;
        for (String schema : List.of("events", "more", "tributary")) TestDatabases.dropPostgresSchema(postgresUrl, prefix + schema);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"duckdb, append", "duckdb, overwrite", "duckdb, merge", "postgres, append", "postgres, overwrite", "postgres, merge"})
    void aSecondWriterStopsOrWaitsAndNothingIsLoadedTwice(String warehouse, String mode) throws Exception {
        ExampleFixtures.writeNumberedJsonl(dir, FILES, ROWS_PER_FILE);
        Destination destination = warehouse.equals("duckdb") ? new DuckDbDestination() : new PostgresDestination();
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        String destinationYaml;
        if (warehouse.equals("duckdb")) {
            settings.put("path", dir.resolve("warehouse.duckdb").toString());
            destinationYaml = "{type: duckdb}";
        } else {
            postgresUrl = TestDatabases.postgresUrl();
            prefix = "ow_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
            settings.put("url", postgresUrl).put("schema_prefix", prefix);
            destinationYaml = "{type: postgres, url: \"" + postgresUrl + "\", schema_prefix: " + prefix + "}";
        }
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: %s
                connections:
                  events:
                    type: files
                    config:
                      batch_size: 1000
                      streams:
                        - {name: events, path: "data/*.jsonl", format: jsonl%s}
                    streams:
                      events: {write_mode: %s}
                settings:
                  checkpoint_every_records: 1000
                """.formatted(destinationYaml, mode.equals("merge") ? ", primary_key: [id]" : "", mode));

        List<Process> waiting = new ArrayList<>();
        try (DestinationSession holding = destination.open(Config.of(settings));
                WriterLock lock = holding.lockWriter("events", LockHolder.thisProcess("tributary test holder"))) {
            // the three JVMs start together (their start-up is most of the time): the lock is held before any of them runs
            Process refused = startSync("refused", "sync", "events");
            waiting.add(startSync("first", "sync", "events", "--wait"));
            waiting.add(startSync("second", "sync", "events", "--wait"));
            assertThat(refused.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String said = output("refused");
            assertThat(refused.exitValue()).as(said).isEqualTo(ExitCode.FAILED);
            assertThat(said).contains("tributary test holder").contains("PID " + ProcessHandle.current().pid()).contains("--wait")
                    .doesNotContain("unexpected error").doesNotContain("Exception");
            for (String name : List.of("first", "second")) awaitOutput(name, "waiting: ");
            assertThat(output("first")).contains("tributary test holder");
        }
        for (int i = 0; i < waiting.size(); i++) {
            Process p = waiting.get(i);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output(i == 0 ? "first" : "second")).isZero();
        }
        long[] counts = counts(warehouse);
        assertThat(counts[0]).as("rows").isEqualTo(ROWS);
        assertThat(counts[1]).as("distinct ids").isEqualTo(ROWS);
    }

    /** A sync of every connection goes on past one whose writer lock is held, keeps the others' results and exits 1. */
    @Test
    void aSyncOfSeveralConnectionsReportsTheBusyOneAndSyncsTheRest() throws Exception {
        ExampleFixtures.writeNumberedJsonl(dir, FILES, ROWS_PER_FILE);
        postgresUrl = TestDatabases.postgresUrl();
        prefix = "ow_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: postgres, url: "%s", schema_prefix: %s}
                connections:
                  events:
                    type: files
                    config:
                      streams:
                        - {name: events, path: "data/*.jsonl", format: jsonl}
                  more:
                    type: files
                    config:
                      streams:
                        - {name: events, path: "data/*.jsonl", format: jsonl}
                """.formatted(postgresUrl, prefix));
        ObjectNode settings = JsonNodeFactory.instance.objectNode().put("url", postgresUrl).put("schema_prefix", prefix);
        try (DestinationSession holding = new PostgresDestination().open(Config.of(settings));
                WriterLock lock = holding.lockWriter("events", LockHolder.thisProcess("tributary test holder"))) {
            Process sync = startSync("all", "sync");
            assertThat(sync.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String said = output("all");
            assertThat(sync.exitValue()).as(said).isEqualTo(ExitCode.FAILED);
            assertThat(said).contains("connection events not synced").contains("tributary test holder").contains("--wait")
                    .contains("Syncing more").doesNotContain("Exception");
        }
        try (Connection c = DriverManager.getConnection(postgresUrl); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from " + prefix + "more.events")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(ROWS);
        }
    }

    private long[] counts(String warehouse) throws SQLException {
        String sql = "select count(*), count(distinct id) from " + (warehouse.equals("duckdb") ? "events.events" : prefix + "events.events");
        try (Connection c = warehouse.equals("duckdb") ? DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"))
                : DriverManager.getConnection(postgresUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private Process startSync(String name, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-p", dir.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private String output(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Polls a process's output until it holds {@code text}. */
    private void awaitOutput(String name, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!output(name).contains(text)) {
            assertThat(System.nanoTime() < deadline).as("'%s' in the output of %s: %s", text, name, output(name)).isTrue();
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
