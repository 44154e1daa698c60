package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: a run whose copy here was abandoned (a commit refused on a late heartbeat) while the worker kept its
 * membership stayed RUNNING in the store under this live worker with nothing running it. The worker must hand it back.
 */
class OrphanRunTest {
    @Test
    void aRunTheStoreSaysThisWorkerHoldsButNothingRunsIsHandedBackAndResumes() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "stuck_orphan");
        StepDef step = new StepDef("work", StepKind.SYNC, List.of(), true, Map.of(), List.of(), Optional.empty());
        PipelineDef p = new PipelineDef("load", "", List.of(step), new Trigger.Manual(), false,
                new RetrySettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1)), Optional.empty());
        AtomicInteger executions = new AtomicInteger();
        Scheduler[] scheduler = new Scheduler[1];
        StepExecutor exec = ctx -> {
            if (executions.incrementAndGet() == 1) {
                // what Scheduler.mayWrite does when a commit is asked for while the heartbeat is late: the copy is abandoned,
                // though the heartbeat then recovers and the worker keeps its membership (no take-over, no rejoin)
                LiveRun live = scheduler[0].liveRuns().stream().filter(l -> l.id() == ctx.runId()).findFirst().orElseThrow();
                scheduler[0].abandon(live, SharedMode.STORE_SILENT);
                return StepOutcome.failure(0, "", "abandoned copy");
            }
            return StepOutcome.success(7, "resumed");
        };
        MetadataStore store = JdbcMetadataStore.postgres(url, null, null, schema);
        SchedulerOptions options = SchedulerOptions.DEFAULT.withJitter(RetryBackoff.Jitter.NONE)
                .withWorker(new WorkerOptions("a", Duration.ofMillis(100), Duration.ofMillis(5000), Duration.ofMillis(50), true));
        Scheduler s = new Scheduler(Map.of("load", p), store, exec, SchedulerClock.system(), options);
        scheduler[0] = s;
        s.start();
        try {
            long run = s.trigger("load", "api").id();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!s.run(run).orElseThrow().status().isFinal() && System.nanoTime() < deadline) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            RunRecord r = s.run(run).orElseThrow();
            assertThat(r.status()).as("the run ends (before the fix it stayed RUNNING under the live worker, nothing running it)")
                    .isEqualTo(RunStatus.SUCCEEDED);
            assertThat(executions.get()).as("resumed once after its abandoned copy").isEqualTo(2);
            assertThat(r.records()).isEqualTo(7);
        } finally {
            s.close();
            store.close();
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }
}
