package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers of one run's log (the worker that resumed it and the copy still ending elsewhere, or the scheduler and a
 * reaper) each with its own view of the run: the store numbers the lines, so none collides and none is lost.
 */
class LogSeqTest {
    private static final int LINES = 60;

    @TempDir
    Path dir;

    @Test
    void twoWritersOfOneRunOnPostgresNeverCollide() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "wrk_logseq");
        try (JdbcMetadataStore a = JdbcMetadataStore.postgres(url, null, null, schema); JdbcMetadataStore b = JdbcMetadataStore.postgres(url, null, null, schema)) {
            twoWriters(a, b);
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }

    @Test
    void twoWritersOfOneRunOnH2NeverCollide() throws Exception {
        try (JdbcMetadataStore store = JdbcMetadataStore.h2(dir)) {
            twoWriters(store, store);
        }
    }

    private static void twoWriters(MetadataStore a, MetadataStore b) throws Exception {
        PipelineDef p = new PipelineDef("load", "", List.of(new StepDef("work", StepKind.SYNC, List.of(), true, Map.of(), List.of(), Optional.empty())),
                new Trigger.Manual(), false, new RetrySettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1)), Optional.empty());
        RunRecord run = a.createRun("load", "api", Instant.now(), Optional.empty());
        LiveRun first = new LiveRun(run, p, p.steps(), List.of());
        LiveRun second = new LiveRun(run, p, p.steps(), List.of()); // the run as another worker resumed it
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Object[] w : new Object[][] {{first, a, "a"}, {second, b, "b"}}) {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < LINES; i++) ((LiveRun) w[0]).log((MetadataStore) w[1], Instant.now(), "INFO", "test", w[2] + " " + i);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertThat(failures).as("no writer failed").isEmpty();
        List<LogLine> lines = a.log(run.id(), 0, 1000);
        assertThat(lines).hasSize(2 * LINES);
        assertThat(lines.stream().map(LogLine::seq).toList()).as("seq 1..n, each once").isEqualTo(java.util.stream.LongStream.rangeClosed(1, 2 * LINES).boxed().toList());
        for (String w : List.of("a", "b")) {
            List<String> own = lines.stream().map(LogLine::message).filter(m -> m.startsWith(w + " ")).toList();
            assertThat(own).as("writer %s's lines, in its order", w).isEqualTo(java.util.stream.IntStream.range(0, LINES).mapToObj(i -> w + " " + i).toList());
        }
    }

    /**
     * A worker handing its run back writes a log line in the hand-back's transaction; another writer of the run's log
     * holding the same next seq (uncommitted) makes that insert wait, then clash: the hand-back still succeeds, its line
     * numbered after the other's (it used to compute its own seq and fail, retried only at the next beat).
     */
    @Test
    void aHandBackWhoseLogLineClashesWithAnotherWriterStillHandsTheRunBack() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "wrk_handback");
        try (JdbcMetadataStore store = JdbcMetadataStore.postgres(url, null, null, schema)) {
            WorkQueue queue = store.workQueue().orElseThrow();
            queue.register(new WorkQueue.WorkerInfo("w1-instance", "w1", "localhost", ProcessHandle.current().pid(), Duration.ofSeconds(30), 1, false));
            long run = queue.enqueue("load", "api", Instant.now(), Optional.empty()).orElseThrow().id();
            assertThat(queue.claim("w1-instance", 1)).hasSize(1);
            try (java.sql.Connection other = java.sql.DriverManager.getConnection(url)) {
                other.setAutoCommit(false);
                long next;
                try (java.sql.Statement s = other.createStatement();
                     java.sql.ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM " + schema + ".run_log WHERE run_id = " + run)) {
                    rs.next();
                    next = rs.getLong(1);
                }
                try (java.sql.Statement s = other.createStatement()) {
                    s.executeUpdate("INSERT INTO " + schema + ".run_log (run_id, seq, logged_at, log_level, pipeline, system_name, message) VALUES ("
                            + run + ", " + next + ", now(), 'INFO', 'load', 'test', 'the other writer')");
                }
                java.util.concurrent.CompletableFuture<Boolean> handedBack = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> queue.handBack(run, "load", "w1-instance", "w1"));
                awaitWaitingOnALock(url, schema);
                other.commit();
                assertThat(handedBack.get(60, java.util.concurrent.TimeUnit.SECONDS)).as("handed back").isTrue();
            }
            assertThat(store.run(run).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
            List<LogLine> lines = store.log(run, 0, 100);
            assertThat(lines.stream().map(LogLine::message).toList()).contains("the other writer", "worker w1 stopped; the run goes back to the queue and"
                    + " resumes on another worker from its last commit");
            assertThat(lines.stream().map(LogLine::seq).distinct().count()).isEqualTo(lines.size());
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }

    /** Until a session of this test's schema waits on a lock (the hand-back's insert behind the other writer's row). */
    private static void awaitWaitingOnALock(String url, String schema) throws Exception {
        for (int i = 0; i < 600; i++) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%"
                         + schema + ".run_log%'")) {
                rs.next();
                if (rs.getLong(1) > 0) return;
            }
            Thread.sleep(100); // polls the server's view of its sessions: the wait is what is waited for
        }
        throw new AssertionError("the hand-back never waited on the other writer's row");
    }
}
