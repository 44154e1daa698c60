package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriterLock;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process syncing a big stream into the lakehouse, during a write and during a commit: the resumed sync
 * loses and doubles nothing, and remove-orphans deletes exactly the files the killed process left behind.
 */
class IcebergKillTest {
    private static final long TOTAL = 50_000;
    private static final TableIdentifier TABLE = TableIdentifier.of("killable", "big");

    @TempDir
    Path dir;

    @Test
    void killedDuringAWriteResumesWithoutLossOrDuplicatesAndOrphansAreRemoved() throws Exception {
        String warehouse = dir.resolve("lakehouse").toString();
        // killed after its second commit, while staging the third; files roll at 1 byte (checked every few rows), so the
        // third commit's first files are on disk at the kill point: orphans remove-orphans must delete
        runUntil(warehouse, 0, "STAGED 26000", 1);
        assertResumesExactly(warehouse, true);
    }

    @Test
    void killedDuringACommitResumesWithoutLossOrDuplicatesAndOrphansAreRemoved() throws Exception {
        String warehouse = dir.resolve("lakehouse").toString();
        // killed with the third commit's files written, just before the catalog commit
        runUntil(warehouse, 3, "COMMITTING");
        assertResumesExactly(warehouse, true);
    }

    @Test
    void aSecondWriterOfTheConnectionIsRefusedWhileAnotherProcessWrites() throws Exception {
        String warehouse = dir.resolve("lakehouse").toString();
        Process[] child = new Process[1];
        runUntil(warehouse, 1, "COMMITTING", p -> {
            child[0] = p;
            try (IcebergSession session = KillableWriter.open(warehouse)) {
                assertThatThrownBy(() -> session.lockWriter("killable", LockHolder.thisProcess("second writer")))
                        .isInstanceOf(WarehouseBusyException.class)
                        .hasMessageContaining("killable writer")
                        .hasMessageContaining("PID " + p.pid());
                try (WriterLock other = session.lockWriter("another", LockHolder.thisProcess("second writer"))) {
                    assertThat(other.connection()).isEqualTo("another");
                }
            }
        });
        try (IcebergSession session = KillableWriter.open(warehouse);
                WriterLock lock = session.lockWriter("killable", LockHolder.thisProcess("after the kill"))) {
            assertThat(lock.connection()).as("a killed writer lets go of its lock").isEqualTo("killable");
        }
    }

    private void assertResumesExactly(String warehouse, boolean expectOrphans) {
        try (IcebergSession session = KillableWriter.open(warehouse)) {
            long committed = session.committedState("killable", KillableWriter.STREAM).orElseThrow().value().get("position").asLong();
            assertThat(committed).isEqualTo(20_000);
            assertThat(Rows.table(session, TABLE)).hasSize((int) committed);
            LakehouseMaintenance maintenance = new LakehouseMaintenance(session, dev.tributary.spi.LockHolder.thisProcess("test"));
            LakehouseMaintenance.Orphans found = maintenance.removeOrphans(TABLE, java.time.Duration.ZERO, true);
            if (expectOrphans) assertThat(found.files()).as("the killed process left uncommitted files").isNotEmpty();
            assertThat(found.files()).allSatisfy(f -> assertThat(f).doesNotContain("metadata.json"));
            KillableWriter.sync(session, TOTAL, 2_000, 10_000, 0, false);
            LakehouseMaintenance.Orphans removed = maintenance.removeOrphans(TABLE, java.time.Duration.ZERO, false);
            assertThat(removed.files()).containsExactlyInAnyOrderElementsOf(found.files());
            assertThat(maintenance.removeOrphans(TABLE, java.time.Duration.ZERO, true).files()).isEmpty();
            List<Map<String, Object>> rows = Rows.table(session, TABLE);
            BitSet seen = new BitSet();
            for (Map<String, Object> r : rows) {
                int id = ((Number) r.get("id")).intValue();
                assertThat(seen.get(id)).as("id %d stored twice", id).isFalse();
                seen.set(id);
            }
            assertThat(rows).hasSize((int) TOTAL);
            assertThat(seen.cardinality()).isEqualTo((int) TOTAL);
        }
    }

    /** Starts the writer in a JVM of its own and kills it (SIGKILL) once it prints {@code line}. */
    private void runUntil(String warehouse, int pauseAtCommit, String line) throws Exception {
        runUntil(warehouse, pauseAtCommit, line, 0, p -> {});
    }

    private void runUntil(String warehouse, int pauseAtCommit, String line, long targetFileSize) throws Exception {
        runUntil(warehouse, pauseAtCommit, line, targetFileSize, p -> {});
    }

    private void runUntil(String warehouse, int pauseAtCommit, String line, java.util.function.Consumer<Process> atKillPoint) throws Exception {
        runUntil(warehouse, pauseAtCommit, line, 0, atKillPoint);
    }

    private void runUntil(String warehouse, int pauseAtCommit, String line, long targetFileSize, java.util.function.Consumer<Process> atKillPoint)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                KillableWriter.class.getName(), warehouse, Long.toString(TOTAL), "2000", "10000", Integer.toString(pauseAtCommit),
                Long.toString(targetFileSize)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        long filesAtLastCommit = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                output.add(l);
                if (l.startsWith("COMMITTED ")) filesAtLastCommit = dataFiles(warehouse);
                if (l.equals(line)) {
                    try {
                        // the rows are encoded on a thread of their own: with files rolling at a byte, wait until the
                        // staged rows' first file is on disk, so the kill leaves an orphan to remove (the writer stages
                        // 4,000 more rows before its next commit)
                        if (targetFileSize > 0) awaitMoreDataFiles(warehouse, filesAtLastCommit);
                        atKillPoint.accept(p);
                    } finally {
                        p.destroyForcibly();
                    }
                    break;
                }
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("killed before the next commit").noneMatch(l -> l.equals("COMMITTED 30000"));
        assertThat(output).as("the writer reached the kill point: %s", output).contains(line);
        assertThat(output).doesNotContain("DONE");
    }

    private static long dataFiles(String warehouse) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(Path.of(warehouse))) {
            return files.filter(f -> f.toString().endsWith(".parquet")).count();
        }
    }

    private static void awaitMoreDataFiles(String warehouse, long than) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (dataFiles(warehouse) <= than && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
