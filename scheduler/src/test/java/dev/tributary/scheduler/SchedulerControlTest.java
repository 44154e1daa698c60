package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules under control: pause and resume, a run of some steps, a run with vars, and the items a step records. */
class SchedulerControlTest {
    private static final Duration REAL_TIMEOUT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-03-28T12:00:00Z");

    @TempDir
    Path dir;
    private MetadataStore store;
    private ManualClock clock;
    private ScriptedExecutor executor;
    private RecordingListener events;
    private final List<Scheduler> schedulers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = JdbcMetadataStore.h2(dir.resolve("metadata"));
        clock = new ManualClock(T0);
        executor = new ScriptedExecutor(clock);
        events = new RecordingListener();
    }

    @AfterEach
    void tearDown() {
        schedulers.forEach(Scheduler::close);
        store.close();
    }

    private Scheduler scheduler(String yaml) {
        Scheduler s = new Scheduler(PipelinesConfigTest.parse(yaml), store, executor, clock, SchedulerOptions.DEFAULT.withJitter(RetryBackoff.Jitter.NONE));
        s.addListener(events);
        schedulers.add(s);
        return s;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + REAL_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + REAL_TIMEOUT);
            Thread.sleep(10);
        }
    }

    @Test
    void aPausedPipelinesCronSlotsPassWithoutARunUntilItIsResumed() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  hourly:
                    schedule: "0 * * * *"
                    steps: [{sync: hubspot}]
                """);
        s.start();
        Instant one = Instant.parse("2026-03-28T13:00:00Z");
        Instant two = Instant.parse("2026-03-28T14:00:00Z");
        assertThat(s.pause("hourly", "admin")).isTrue();
        assertThat(s.pause("hourly", "admin")).isFalse();
        assertThat(s.paused()).containsKey("hourly");
        assertThatThrownBy(() -> s.pause("hourli", "admin")).isInstanceOf(UnknownPipelineException.class).hasMessageContaining("hourly");
        clock.awaitWaiter(one, REAL_TIMEOUT);
        clock.set(one);
        await(() -> s.nextRun("hourly").equals(Optional.of(two)));
        assertThat(store.runs(RunQuery.latest(10))).isEmpty();
        assertThat(store.lastScheduled("hourly")).contains(one); // used up: a restart does not catch it up

        assertThat(s.resume("hourly")).isTrue();
        assertThat(s.paused()).isEmpty();
        clock.awaitWaiter(two, REAL_TIMEOUT);
        clock.set(two);
        RunRecord run = events.nextFinishedRun();
        assertThat(run.dueAt()).isEqualTo(two);
        assertThat(run.trigger()).isEqualTo("schedule");
    }

    @Test
    void aPauseMadeByAnotherProcessOnTheSameStoreIsHonoured() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  hourly:
                    schedule: "0 * * * *"
                    steps: [{sync: hubspot}]
                """);
        s.start();
        store.details().pause("hourly", "someone on another serve", T0); // straight in the store, as another process does
        Instant one = Instant.parse("2026-03-28T13:00:00Z");
        clock.awaitWaiter(one, REAL_TIMEOUT);
        clock.set(one);
        await(() -> s.nextRun("hourly").equals(Optional.of(Instant.parse("2026-03-28T14:00:00Z"))));
        assertThat(store.runs(RunQuery.latest(10))).isEmpty();
        // a manual run of a paused pipeline still runs (pausing stops the schedule, not the people)
        RunRecord manual = s.trigger("hourly", "manual");
        assertThat(events.nextFinishedRun().id()).isEqualTo(manual.id());
    }

    @Test
    void aRunOfSomeStepsRunsOnlyThoseWithTheVarsItWasGiven() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  revops:
                    steps:
                      - sync: hubspot
                      - build: "+team_spending"
                      - checks: []
                """);
        s.start();
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        executor.on("build-2", c -> {
            seen.add(c.vars());
            return StepOutcome.success(0, "built");
        });
        RunRequest request = new RunRequest(List.of("checks-3", "build-2"), Map.of("start_date", "2026-01-01", "end_date", "2026-01-31"));
        RunRecord run = s.trigger("revops", "api", request);
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(executor.calls()).containsExactly("build-2", "checks-3");
        assertThat(s.steps(run.id())).extracting(StepRecord::step).containsExactly("build-2", "checks-3");
        assertThat(seen).containsExactly(Map.of("start_date", "2026-01-01", "end_date", "2026-01-31"));
        assertThat(s.request(run.id())).isEqualTo(request);

        assertThatThrownBy(() -> s.trigger("revops", "api", new RunRequest(List.of("buld-2"), Map.of())))
                .isInstanceOf(UnknownStepException.class).hasMessageContaining("'buld-2'").hasMessageContaining("build-2");
        assertThat(store.runs(RunQuery.latest(10))).hasSize(1);
        assertThatThrownBy(() -> new RunRequest(List.of(), Map.of("bad name", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad name'");
    }

    @Test
    void aRerunKeepsTheStepsAndVarsOfTheRunItReruns() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  revops:
                    steps:
                      - sync: hubspot
                      - build: "+team_spending"
                      - checks: []
                """);
        s.start();
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger builds = new java.util.concurrent.atomic.AtomicInteger();
        executor.on("build-2", c -> {
            seen.add(c.vars());
            return builds.incrementAndGet() == 1 ? StepOutcome.failure(0, "failed", "boom") : StepOutcome.success(0, "built");
        });
        RunRequest request = new RunRequest(List.of("build-2", "checks-3"), Map.of("logical_date", "2026-03-02T07:00:00Z"));
        RunRecord failed = s.trigger("revops", "api", request);
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.FAILED);

        RunRecord rerun = s.rerunFromFailed(failed.id());
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.SUCCEEDED);
        // the re-run did the failed run's own steps (not the sync it never asked for) with the same vars
        assertThat(executor.calls()).doesNotContain("sync-1");
        assertThat(s.steps(rerun.id())).extracting(StepRecord::step).containsExactly("build-2", "checks-3");
        assertThat(seen).containsExactly(Map.of("logical_date", "2026-03-02T07:00:00Z"), Map.of("logical_date", "2026-03-02T07:00:00Z"));
        assertThat(s.request(rerun.id()).vars()).isEqualTo(request.vars());
    }

    @Test
    void theItemsAStepRecordsAreKeptWithTheRun() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  revops:
                    steps: [{sync: hubspot}]
                """);
        s.start();
        executor.on("sync-1", c -> {
            c.item(new StepItem(c.runId(), c.step().name(), "stream", "hubspot.contacts", "running", Optional.of(T0), Optional.empty(), 0, 0, true,
                    Optional.empty()));
            c.item(new StepItem(c.runId(), c.step().name(), "stream", "hubspot.contacts", "succeeded", Optional.of(T0), Optional.of(T0.plusSeconds(3)),
                    2_000, 1, true, Optional.empty()));
            assertThatThrownBy(() -> c.item(new StepItem(c.runId() + 1, c.step().name(), "stream", "x", "running", Optional.empty(), Optional.empty(),
                    0, 0, false, Optional.empty()))).isInstanceOf(IllegalArgumentException.class);
            return StepOutcome.success(2_000, "1 stream");
        });
        RunRecord run = s.trigger("revops", "manual");
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.itemsForRun(run.id())).singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo("succeeded");
            assertThat(i.rows()).isEqualTo(2_000);
            assertThat(i.rejected()).isEqualTo(1);
            assertThat(i.resumed()).isTrue();
        });
        assertThat(s.historyOf("stream", "hubspot.contacts", 5)).hasSize(1);
    }

    @Test
    void aBackfillQueuesOneRunPerScheduledTimeOneAtATimeWithItsLogicalDate() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  daily:
                    schedule: "0 7 * * *"
                    steps: [{build: []}]
                  adhoc:
                    steps: [{build: []}]
                """);
        s.start();
        List<String> seen = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger live = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        executor.on("build-1", c -> {
            most.accumulateAndGet(live.incrementAndGet(), Math::max);
            seen.add(c.vars().get(Backfill.LOGICAL_DATE));
            live.decrementAndGet();
            return StepOutcome.success(0, "built");
        });
        Backfill b = s.backfill("daily", Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-03T07:00:00Z"), "admin");
        assertThat(b.slots()).containsExactly(Instant.parse("2026-03-01T07:00:00Z"), Instant.parse("2026-03-02T07:00:00Z"),
                Instant.parse("2026-03-03T07:00:00Z"));
        assertThat(b.createdBy()).isEqualTo("admin");
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) runs.add(events.nextFinishedRun());
        assertThat(runs).extracting(RunRecord::trigger).containsOnly("backfill");
        assertThat(runs).extracting(RunRecord::dueAt).containsExactlyElementsOf(b.slots());
        assertThat(seen).containsExactly("2026-03-01T07:00:00Z", "2026-03-02T07:00:00Z", "2026-03-03T07:00:00Z");
        assertThat(most.get()).isEqualTo(1);
        await(() -> s.backfills("daily").get(0).done());
        Backfill done = s.backfills("daily").get(0);
        assertThat(done.started()).isEqualTo(3);
        assertThat(done.runs()).containsExactly(Map.entry("succeeded", 3));
        assertThat(s.request(runs.get(1).id()).vars()).containsExactly(Map.entry(Backfill.LOGICAL_DATE, "2026-03-02T07:00:00Z"));

        assertThatThrownBy(() -> s.backfill("adhoc", Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T00:00:00Z"), "admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cron schedule");
        assertThatThrownBy(() -> s.backfill("daily", Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"), "admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be before");
        assertThatThrownBy(() -> s.backfill("daily", Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), "admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1000");
        assertThatThrownBy(() -> s.backfill("daily", Instant.parse("2026-03-01T08:00:00Z"), Instant.parse("2026-03-01T09:00:00Z"), "admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no time of");
    }

    @Test
    void aBackfillWaitsForARunInProgressAndGoesOnAfterIt() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  daily:
                    schedule: "0 7 * * *"
                    steps: [{build: []}]
                """);
        s.start();
        ScriptedExecutor.Blocker blocker = new ScriptedExecutor.Blocker();
        executor.on("build-1", blocker);
        RunRecord manual = s.trigger("daily", "manual");
        blocker.awaitStarted();
        Backfill b = s.backfill("daily", Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T23:00:00Z"), "admin");
        assertThat(b.started()).isZero(); // the pipeline is busy: nothing queued ahead of the manual run
        executor.on("build-1", ScriptedExecutor.succeed(0));
        blocker.release.countDown();
        assertThat(events.nextFinishedRun().id()).isEqualTo(manual.id());
        assertThat(events.nextFinishedRun().dueAt()).isEqualTo(Instant.parse("2026-03-01T07:00:00Z"));
        assertThat(events.nextFinishedRun().dueAt()).isEqualTo(Instant.parse("2026-03-02T07:00:00Z"));
    }
}
