package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) during {@code sync}, sent to a real process once it has committed something: it says how many
 * records each stream committed (exactly what is in the table) and that {@code sync} resumes from there, which it does.
 * The destination is PostgreSQL so the test can watch the commits arrive from outside while the sync runs.
 */
class SyncInterruptTest {
    private static final int FILES = 5;
    private static final int ROWS_PER_FILE = 100_000;

    @TempDir
    Path dir;

    @Test
    void ctrlCSaysWhatWasCommittedAndSyncResumesFromThere() throws Exception {
        String url = TestDatabases.postgresUrl();
        String prefix = "sigint_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        String table = prefix + "events.events";
        ExampleFixtures.writeNumberedJsonl(dir, FILES, ROWS_PER_FILE);
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: postgres, url: "%s", schema_prefix: %s}
                connections:
                  events:
                    type: files
                    config:
                      batch_size: 1000
                      streams:
                        - {name: events, path: "data/*.jsonl", format: jsonl}
                    streams:
                      events: {write_mode: append}
                settings:
                  checkpoint_every_records: 1000
                """.formatted(url, prefix));
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = dir.resolve("sync.log");
            Process sync = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "-p", dir.toString(), "sync")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (seen == 0) {
                assertThat(sync.isAlive()).as("the sync is still running when its first commit shows: %s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("a commit within 120 s").isLessThan(deadline);
                seen = committed(url, table);
                sync.waitFor(10, TimeUnit.MILLISECONDS);
            }
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(sync.pid())).start().waitFor()).isZero();
            assertThat(sync.waitFor(60, TimeUnit.SECONDS)).as("stops after SIGINT").isTrue();
            String out = Files.readString(log);
            assertThat(sync.exitValue()).as(out).isEqualTo(130);

            long inTable = committed(url, table);
            assertThat(inTable).as("interrupted mid-way: %s", out).isBetween(seen, (long) FILES * ROWS_PER_FILE - 1);
            assertThat(out).contains("Interrupted: 0 of 1 streams synced").contains("Interrupted: stopped at the last commit")
                    .doesNotContain("failed: cancelled");
            Matcher m = Pattern.compile("events\\s+events\\s+([\\d,]+) records\\s+stopped").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            assertThat(Long.parseLong(m.group(1).replace(",", ""))).as("the count said is what the table holds: %s", out).isEqualTo(inTable);
            assertThat(out).contains("Run 'tributary -p " + dir + " sync' to resume from there");
            // the run history says so too (before the fix the JVM halted before the write: the run stayed RUNNING)
            try (dev.tributary.scheduler.MetadataStore store = dev.tributary.scheduler.MetadataStores.openForCommand(dev.tributary.spi.Config.empty(), dir)) {
                var runs = store.runs(dev.tributary.scheduler.RunQuery.latest(10));
                assertThat(runs).hasSize(1);
                assertThat(runs.get(0).status()).isEqualTo(dev.tributary.scheduler.RunStatus.CANCELLED);
                assertThat(runs.get(0).endedAt()).isPresent();
                assertThat(runs.get(0).error()).contains("interrupted (Ctrl-C or kill) (exit code 130)");
                assertThat(store.steps(runs.get(0).id()).get(0).status()).isEqualTo(dev.tributary.scheduler.StepStatus.CANCELLED);
                assertThat(store.log(runs.get(0).id(), 0, 1000)).extracting(dev.tributary.scheduler.LogLine::message)
                        .anyMatch(line -> line.contains("Interrupted: stopped at the last commit"));
            }

            CliRunner.Result resumed = new CliRunner(dir, Map.of()).run("sync");
            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*), count(distinct id) from " + table)) {
                rs.next();
                assertThat(rs.getLong(1)).as("resumed with no duplicate").isEqualTo((long) FILES * ROWS_PER_FILE);
                assertThat(rs.getLong(2)).as("and no gap").isEqualTo((long) FILES * ROWS_PER_FILE);
            }
        } finally {
            TestDatabases.dropPostgresSchema(url, prefix + "events");
            TestDatabases.dropPostgresSchema(url, prefix + "tributary");
        }
    }

    /** Rows committed so far; 0 before the table exists. */
    private static long committed(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0;
            throw e;
        }
    }
}
