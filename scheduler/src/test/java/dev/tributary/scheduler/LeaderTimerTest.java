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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The leader's timer outlives a moment when the store fails: schedules keep firing after it (it used to die silently). */
class LeaderTimerTest {
    @Test
    void leaderTimerSurvivesAStoreError() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "workfix_timer");
        StepDef step = new StepDef("work", StepKind.SYNC, List.of(), true, Map.of(), List.of(), Optional.empty());
        PipelineDef p = new PipelineDef("iv", "", List.of(step), new Trigger.Interval(Duration.ofMillis(200)), false,
                new RetrySettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1)), Optional.empty());
        MetadataStore store = JdbcMetadataStore.postgres(url, null, null, schema);
        SchedulerOptions options = SchedulerOptions.DEFAULT.withMaxConcurrentRuns(2).withJitter(RetryBackoff.Jitter.NONE)
                .withWorker(new WorkerOptions("a", Duration.ofMillis(200), Duration.ofMillis(5000), Duration.ofMillis(50), true));
        Semaphore go = new Semaphore(0);
        Scheduler s = new Scheduler(Map.of("iv", p), store, ctx -> {
            go.acquireUninterruptibly(); // runs end only once the test lets them: none ends while the store fails
            return StepOutcome.success(1, "done");
        }, SchedulerClock.system(), options);
        s.start();
        try {
            // the first run is live: the leader's timer reads the runs at every tick to see when the next one is due
            assertThat(waitFor(() -> s.runs(RunQuery.latest(10).pipeline("iv")).stream().anyMatch(r -> r.status() == RunStatus.RUNNING))).isTrue();
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE " + schema + ".runs RENAME TO runs_x");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(600));
                st.execute("ALTER TABLE " + schema + ".runs_x RENAME TO runs");
            }
            go.release(1_000);
            assertThat(waitFor(() -> s.runs(RunQuery.latest(10).pipeline("iv")).size() >= 3))
                    .as("runs keep being fired after a transient store error").isTrue();
        } finally {
            go.release(1_000);
            s.close();
            store.close();
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }

    private static boolean waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return false;
    }
}
