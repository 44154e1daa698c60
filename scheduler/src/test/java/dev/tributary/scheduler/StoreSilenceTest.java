package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A worker whose metadata store stops answering (a proxy in front of PostgreSQL that freezes: connections stay open,
 * nothing comes back) stops its runs by itself once no heartbeat succeeded for half its timeout, before another worker
 * can take them over; the other worker then resumes the run, and the two executions never overlap.
 */
class StoreSilenceTest {
    private static final WorkerOptions FAST = new WorkerOptions("w", Duration.ofMillis(200), Duration.ofMillis(3000), Duration.ofMillis(50), true);

    /** One step execution: which worker, when it began and ended (monotonic), whether it saw a cancel, whether it may still commit. */
    record Execution(String worker, long began, long ended, boolean cancelled, boolean mayCommitAtEnd) {}

    @Test
    void aWorkerCutOffFromTheStoreStopsItsRunsBeforeAnotherResumesThem() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "wrk_silence");
        URI pg = URI.create(url.substring("jdbc:".length()));
        List<Execution> executions = new CopyOnWriteArrayList<>();
        Map<String, CountDownLatch> began = new ConcurrentHashMap<>(Map.of("a", new CountDownLatch(1), "b", new CountDownLatch(1)));
        StepDef step = new StepDef("work", StepKind.SYNC, List.of(), true, Map.of(), List.of(), Optional.empty());
        PipelineDef p = new PipelineDef("load", "", List.of(step), new Trigger.Manual(), false,
                new RetrySettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1)), Optional.empty());
        try (FreezableProxy proxy = new FreezableProxy(pg.getHost(), pg.getPort())) {
            String viaProxy = url.replace(pg.getHost() + ":" + pg.getPort(), "127.0.0.1:" + proxy.port());
            JdbcMetadataStore storeA = JdbcMetadataStore.postgres(viaProxy, null, null, schema);
            JdbcMetadataStore storeB = JdbcMetadataStore.postgres(url, null, null, schema);
            Scheduler a = new Scheduler(Map.of("load", p), storeA, executor("a", executions, began, true), SchedulerClock.system(), options("a"));
            Scheduler b = new Scheduler(Map.of("load", p), storeB, executor("b", executions, began, false), SchedulerClock.system(), options("b"));
            try {
                a.start();
                long run = a.trigger("load", "api").id();
                assertThat(began.get("a").await(30, TimeUnit.SECONDS)).as("worker a runs the run").isTrue();
                b.start();
                proxy.freeze();
                assertThat(began.get("b").await(30, TimeUnit.SECONDS)).as("worker b resumes the run").isTrue();
                awaitTrue("the run to succeed on worker b", () -> storeB.run(run).orElseThrow().status() == RunStatus.SUCCEEDED);
                assertThat(executions).hasSize(2);
                Execution first = executions.stream().filter(e -> e.worker().equals("a")).findFirst().orElseThrow();
                Execution second = executions.stream().filter(e -> e.worker().equals("b")).findFirst().orElseThrow();
                assertThat(first.cancelled()).as("worker a stopped its run by itself while the store was silent").isTrue();
                assertThat(first.mayCommitAtEnd()).as("worker a may commit nothing more").isFalse();
                assertThat(first.ended()).as("worker a's execution ended before worker b's began").isLessThan(second.began());
                assertThat(storeB.log(run, 0, 100)).extracting(LogLine::message).anyMatch(m -> m.contains("resumed on worker b"));
            } finally {
                a.haltForTest(); // its store calls hang on the frozen proxy until the proxy closes
                b.close();
                proxy.close();
                storeA.close();
                storeB.close();
                TestDatabases.dropPostgresSchema(url, schema);
            }
        }
    }

    private static SchedulerOptions options(String id) {
        return SchedulerOptions.DEFAULT.withMaxConcurrentRuns(1).withJitter(RetryBackoff.Jitter.NONE).withWorker(FAST.withWorkerId(id));
    }

    /** Worker a's step runs until cancelled (a long sync); worker b's succeeds at once. */
    private static StepExecutor executor(String worker, List<Execution> executions, Map<String, CountDownLatch> began, boolean untilCancelled) {
        return ctx -> {
            long start = System.nanoTime();
            CountDownLatch cancelled = new CountDownLatch(1);
            ctx.onCancel(cancelled::countDown);
            began.get(worker).countDown();
            boolean sawCancel = untilCancelled && cancelled.await(60, TimeUnit.SECONDS);
            executions.add(new Execution(worker, start, System.nanoTime(), sawCancel, ctx.mayCommit()));
            return StepOutcome.success(1, "done");
        };
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
