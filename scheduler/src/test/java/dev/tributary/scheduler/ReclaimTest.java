package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A worker declared dead (its row reaped) never runs a run twice: it rejoins under a new instance and does not relaunch a run still ending locally. */
class ReclaimTest {
    @Test
    void aReapedWorkerNeverRunsItsRunTwice() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "workfix_reclaim");
        StepDef step = new StepDef("work", StepKind.SYNC, List.of(), true, Map.of(), List.of(), Optional.empty());
        PipelineDef p = new PipelineDef("load", "", List.of(step), new Trigger.Manual(), false,
                new RetrySettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1)), Optional.empty());
        AtomicInteger executions = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        AtomicBoolean secondCancelled = new AtomicBoolean();
        CountDownLatch secondStarted = new CountDownLatch(1);
        StepExecutor exec = ctx -> {
            int n = executions.incrementAndGet();
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                if (n == 1) {
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // a batch that does not check cancel for 2 s
                    return StepOutcome.failure(0, "", "first");
                }
                secondStarted.countDown();
                CountDownLatch c = new CountDownLatch(1);
                ctx.onCancel(c::countDown);
                secondCancelled.set(c.await(8, TimeUnit.SECONDS));
                return StepOutcome.success(1, "second");
            } finally {
                concurrent.decrementAndGet();
            }
        };
        MetadataStore store = JdbcMetadataStore.postgres(url, null, null, schema);
        SchedulerOptions options = SchedulerOptions.DEFAULT.withMaxConcurrentRuns(2).withJitter(RetryBackoff.Jitter.NONE)
                .withWorker(new WorkerOptions("a", Duration.ofMillis(100), Duration.ofMillis(5000), Duration.ofMillis(50), true));
        Scheduler s = new Scheduler(Map.of("load", p), store, exec, SchedulerClock.system(), options);
        s.start();
        try {
            long run = s.trigger("load", "api").id();
            while (executions.get() == 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            // what another worker's reapExpired does to a worker that paused past its timeout
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("BEGIN");
                st.execute("DELETE FROM " + schema + ".workers WHERE worker_id = 'a'");
                st.execute("UPDATE " + schema + ".runs SET status = 'QUEUED', claimed_by = NULL WHERE status = 'RUNNING'");
                st.execute("COMMIT");
            }
            assertThat(secondStarted.await(15, TimeUnit.SECONDS)).as("the run resumes once its abandoned copy ended").isTrue();
            assertThat(s.cancel(run)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!s.run(run).orElseThrow().status().isFinal() && System.nanoTime() < deadline) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            assertThat(maxConcurrent.get()).as("one execution of a run at a time").isEqualTo(1);
            assertThat(secondCancelled.get()).as("cancel reaches the resumed run").isTrue();
            assertThat(s.run(run).orElseThrow().error().orElse("")).as("the abandoned copy's end is not recorded").doesNotContain("first");
        } finally {
            s.close();
            store.close();
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }
}
