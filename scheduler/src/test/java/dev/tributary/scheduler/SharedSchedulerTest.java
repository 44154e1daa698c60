package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tributary.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three schedulers in one JVM on one PostgreSQL store, as three serve processes would be: runs queued on one are
 * claimed once, a cancel reaches the worker running the run, one leader fires each cron slot once and another takes
 * over when it stops, and a worker that freezes loses its run to another, which resumes it. (Killed real processes:
 * {@code WorkersTest} in the cli module.)
 */
class SharedSchedulerTest {
    // the watchdog stops a worker's runs after half the timeout without a heartbeat: 1.5 s leaves room on a loaded machine
    private static final WorkerOptions FAST = new WorkerOptions("w", Duration.ofMillis(150), Duration.ofMillis(3000), Duration.ofMillis(50), true);

    private String url;
    private String schema;
    private final List<MetadataStore> stores = new ArrayList<>();
    private final List<Scheduler> schedulers = new ArrayList<>();
    private final Map<Long, AtomicInteger> executions = new ConcurrentHashMap<>();
    private final Map<Long, List<String>> executedBy = new ConcurrentHashMap<>();

    @BeforeEach
    void schema() {
        url = TestDatabases.postgresUrl();
        schema = TestDatabases.createPostgresSchema(url, "workers_sched");
    }

    @AfterEach
    void cleanUp() {
        for (Scheduler s : schedulers) s.close();
        for (MetadataStore s : stores) s.close();
        if (schema != null) TestDatabases.dropPostgresSchema(url, schema);
    }

    private Scheduler worker(String id, Map<String, PipelineDef> pipelines, SchedulerClock clock, StepExecutor executor) {
        MetadataStore store = JdbcMetadataStore.postgres(url, null, null, schema);
        stores.add(store);
        SchedulerOptions options = SchedulerOptions.DEFAULT.withMaxConcurrentRuns(2).withJitter(RetryBackoff.Jitter.NONE).withWorker(FAST.withWorkerId(id));
        Scheduler s = new Scheduler(pipelines, store, executor, clock, options);
        schedulers.add(s);
        s.start();
        return s;
    }

    private static PipelineDef pipeline(String name, Trigger trigger) {
        StepDef step = new StepDef("work", StepKind.SYNC, List.of(), true, Map.of(), List.of(), Optional.empty());
        return new PipelineDef(name, "", List.of(step), trigger, false, new RetrySettings(0, Duration.ofSeconds(1), Duration.ofSeconds(1)), Optional.empty());
    }

    private StepExecutor counting(String worker, long workMillis) {
        return context -> {
            executions.computeIfAbsent(context.runId(), k -> new AtomicInteger()).incrementAndGet();
            executedBy.computeIfAbsent(context.runId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(worker);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(workMillis)); // simulated work
            return StepOutcome.success(1, "done");
        };
    }

    @Test
    void runsQueuedOnOneWorkerAreEachExecutedOnceByOneOfThree() {
        Map<String, PipelineDef> pipelines = new LinkedHashMap<>();
        for (int i = 1; i <= 12; i++) pipelines.put("p" + i, pipeline("p" + i, new Trigger.Manual()));
        Scheduler a = worker("a", pipelines, SchedulerClock.system(), counting("a", 150));
        worker("b", pipelines, SchedulerClock.system(), counting("b", 150));
        worker("c", pipelines, SchedulerClock.system(), counting("c", 150));
        List<Long> ids = new ArrayList<>();
        for (String p : pipelines.keySet()) ids.add(a.trigger(p, "api").id());
        assertThatThrownByAlreadyRunning(a, "p1");
        awaitTrue("all 12 runs final", () -> ids.stream().allMatch(id -> a.run(id).orElseThrow().status().isFinal()));
        for (long id : ids) {
            assertThat(a.run(id).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(executions.get(id)).as("run %d executed once", id).hasValue(1);
        }
        assertThat(executedBy.values().stream().flatMap(List::stream).distinct().count()).as("workers that executed runs: %s", executedBy).isGreaterThan(1);
    }

    private static void assertThatThrownByAlreadyRunning(Scheduler s, String pipeline) {
        try {
            s.trigger(pipeline, "api");
            // it may have finished already on a fast worker: then a second run is right
        } catch (AlreadyRunningException expected) {
            assertThat(expected.runningId()).isPositive();
        }
    }

    @Test
    void aCancelOnOneWorkerStopsTheRunWhereverItRuns() {
        Map<String, PipelineDef> pipelines = Map.of("slow", pipeline("slow", new Trigger.Manual()));
        Map<String, String> runningOn = new ConcurrentHashMap<>();
        List<Scheduler> three = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            three.add(worker(id, pipelines, SchedulerClock.system(), context -> {
                runningOn.put("slow", id);
                CountDownLatch cancelled = new CountDownLatch(1);
                context.onCancel(cancelled::countDown);
                cancelled.await(60, TimeUnit.SECONDS);
                return StepOutcome.failure(0, "", "cancelled");
            }));
        }
        long run = three.get(0).trigger("slow", "api").id();
        awaitTrue("the run to start somewhere", () -> runningOn.containsKey("slow"));
        Scheduler other = three.stream().filter(s -> !s.workerId().orElseThrow().equals(runningOn.get("slow"))).findFirst().orElseThrow();
        assertThat(other.cancel(run)).isTrue();
        awaitTrue("the run cancelled", () -> other.run(run).orElseThrow().status() == RunStatus.CANCELLED);
        assertThat(other.cancel(run)).as("no longer live").isFalse();
    }

    @Test
    void oneLeaderFiresEachSlotOnceAndAnotherTakesOverWhenItFreezes() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-06T10:00:30Z"));
        Map<String, PipelineDef> pipelines = Map.of("tick", pipeline("tick", new Trigger.Cron("* * * * *", java.time.ZoneOffset.UTC)));
        List<Scheduler> three = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) three.add(worker(id, pipelines, clock, counting(id, 0)));
        awaitTrue("one leader", () -> three.stream().filter(Scheduler::firesSchedules).count() == 1);
        Scheduler leader = three.stream().filter(Scheduler::firesSchedules).findFirst().orElseThrow();
        awaitTrue("the leader set up", () -> leader.nextRun("tick").equals(Optional.of(Instant.parse("2026-12-06T10:01:00Z"))));
        clock.set(Instant.parse("2026-12-06T10:01:00Z"));
        awaitTrue("the 10:01 run done", () -> finishedRuns(leader).size() == 1);

        leader.haltForTest();
        awaitTrue("another leader", () -> three.stream().filter(s -> s != leader).anyMatch(Scheduler::firesSchedules));
        Scheduler next = three.stream().filter(s -> s != leader && s.firesSchedules()).findFirst().orElseThrow();
        awaitTrue("the new leader set up", () -> next.nextRun("tick").equals(Optional.of(Instant.parse("2026-12-06T10:02:00Z"))));
        clock.set(Instant.parse("2026-12-06T10:02:00Z"));
        awaitTrue("the 10:02 run done", () -> finishedRuns(next).size() == 2);
        clock.set(Instant.parse("2026-12-06T10:03:00Z"));
        awaitTrue("the 10:03 run done", () -> finishedRuns(next).size() == 3);
        assertThat(finishedRuns(next)).extracting(RunRecord::dueAt).map(Instant::toString)
                .containsExactlyInAnyOrder("2026-12-06T10:01:00Z", "2026-12-06T10:02:00Z", "2026-12-06T10:03:00Z");
        assertThat(three.stream().filter(s -> s != leader).filter(Scheduler::firesSchedules).count()).isEqualTo(1);
    }

    private static List<RunRecord> finishedRuns(Scheduler s) {
        return s.runs(RunQuery.latest(100).pipeline("tick")).stream().filter(r -> r.status().isFinal()).toList();
    }

    @Test
    void aFrozenWorkersRunResumesElsewhereAndItsLateEndIsNotRecorded() {
        Map<String, PipelineDef> pipelines = Map.of("load", pipeline("load", new Trigger.Manual()));
        CountDownLatch frozenStep = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Map<String, Scheduler> byId = new LinkedHashMap<>();
        Map<String, String> firstOn = new ConcurrentHashMap<>();
        for (String id : List.of("a", "b", "c")) {
            byId.put(id, worker(id, pipelines, SchedulerClock.system(), context -> {
                if (attempts.incrementAndGet() == 1) {
                    firstOn.put("load", id);
                    frozenStep.await(60, TimeUnit.SECONDS); // the frozen worker's step: ends after the run was resumed elsewhere
                    return StepOutcome.failure(0, "", "the frozen worker's late failure");
                }
                return StepOutcome.success(7, "resumed and done");
            }));
        }
        long run = byId.get("a").trigger("load", "api").id();
        awaitTrue("the first attempt running", () -> firstOn.containsKey("load"));
        Scheduler frozen = byId.get(firstOn.get("load"));
        frozen.haltForTest();
        Scheduler alive = byId.values().stream().filter(s -> s != frozen).findFirst().orElseThrow();
        awaitTrue("the run resumed and succeeded elsewhere", () -> alive.run(run).orElseThrow().status() == RunStatus.SUCCEEDED);
        frozenStep.countDown();
        List<String> log = alive.log(run, 0, 100).stream().map(LogLine::message).toList();
        assertThat(log).anyMatch(l -> l.contains("stopped heartbeating; the run goes back to the queue"))
                .anyMatch(l -> l.contains("resumed on worker"));
        assertThat(attempts).hasValue(2);
        // the frozen worker's step ends now: its failure must not overwrite the run's end
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(alive.run(run).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(alive.run(run).orElseThrow().records()).isEqualTo(7);
    }

    @Test
    void sessionsAreFoundByIdButKeptOnlyAsItsHash() throws Exception {
        MetadataStore store = JdbcMetadataStore.postgres(url, null, null, schema);
        stores.add(store);
        StoredSessions sessions = store.sessions().orElseThrow();
        String id = "ab".repeat(32);
        sessions.put(id, "admin", "cd".repeat(32), Duration.ofMinutes(1));
        assertThat(sessions.find(id)).map(StoredSessions.Row::user).contains("admin");
        assertThat(sessions.find("ef".repeat(32))).isEmpty();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id_hash FROM " + schema + ".web_sessions")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isNotEqualTo(id).isEqualTo(StoredSessions.hash(id));
        }
        sessions.remove(id);
        assertThat(sessions.find(id)).isEmpty();
    }

    /** Polls every 20 ms (the workers run on their own threads) for at most 30 s. */
    /**
     * A run left RUNNING with no worker claiming it (by a serve of schema version 1, which knows nothing of claims): the
     * worker registering hands it back to the queue, resumes it, and warns by name that an older serve still running
     * on the store must be stopped (it would run the run a second time).
     */
    @Test
    void registeringWarnsOfRunsRunningWithNoWorkerAndResumesThem() throws Exception {
        MetadataStore old = JdbcMetadataStore.postgres(url, null, null, schema);
        stores.add(old);
        long run = old.createRun("legacy", "schedule", Instant.now(), Optional.empty()).id();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + schema + ".runs SET status = 'RUNNING', started_at = now(), claimed_by = NULL WHERE id = " + run);
        }
        List<String> warnings = dev.tributary.testkit.LoggedWarnings.during(SharedMode.class, () -> {
            Scheduler a = worker("a", Map.of("legacy", pipeline("legacy", new Trigger.Manual())), SchedulerClock.system(), counting("a", 0));
            awaitTrue("the run resumed and succeeded", () -> a.run(run).orElseThrow().status() == RunStatus.SUCCEEDED);
        });
        assertThat(warnings).as("warnings of worker a's registration").anySatisfy(w -> assertThat(w)
                .contains("worker a: runs " + run + " (legacy) were RUNNING with no worker claiming them")
                .contains("If an older serve process still runs on this store, STOP IT NOW: it would run them a second time"));
        assertThat(executions.get(run)).as("executed once, here").hasValue(1);
        assertThat(old.log(run, 0, 100)).extracting(LogLine::message)
                .contains("the serve process running this run stopped; the run goes back to the queue and resumes from its last commit");
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("waited 30 s for " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
