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
}
