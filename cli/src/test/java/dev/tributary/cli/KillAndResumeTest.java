package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync killed with SIGKILL at a random moment and run again ends with exactly the records of an uninterrupted
 * sync: append mode, so a replayed batch would show as a duplicate and a skipped one as a gap.
 */
class KillAndResumeTest {
    private static final int FILES = 4;
    private static final int ROWS_PER_FILE = 100_000;

    @TempDir
    Path dir;

    @Test
    void killedSyncsResumeWithNoGapAndNoDuplicate() throws Exception {
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
                """);
        Random random = new Random(2026);
        List<Long> killedAfterMillis = new ArrayList<>();
        int killed = 0;
        for (int attempt = 0; attempt < 6; attempt++) {
            Process p = startSync();
            long wait = 300 + random.nextInt(1500);
            if (p.waitFor(wait, TimeUnit.MILLISECONDS)) {
                assertThat(p.exitValue()).as(output(p)).isZero();
                break;
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            killedAfterMillis.add(wait);
            killed++;
        }
        Process last = startSync();
        assertThat(last.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(output(last)).isZero();

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct id), min(id), max(id) from events.events")) {
            rs.next();
            assertThat(rs.getLong(1)).as("records after %d kills at %s ms", killed, killedAfterMillis).isEqualTo(FILES * ROWS_PER_FILE);
            assertThat(rs.getLong(2)).isEqualTo(FILES * ROWS_PER_FILE);
            assertThat(rs.getLong(3)).isZero();
            assertThat(rs.getLong(4)).isEqualTo(FILES * ROWS_PER_FILE - 1);
        }
        assertThat(killed).as("at least one sync was killed mid-way").isPositive();
    }

    private Process startSync() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-p", dir.toString(), "sync")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sync-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    private String output(Process p) {
        try (var files = Files.list(dir)) {
            StringBuilder sb = new StringBuilder();
            for (Path f : files.filter(x -> x.getFileName().toString().endsWith(".log")).sorted().toList()) sb.append(Files.readString(f));
            return sb.toString();
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
