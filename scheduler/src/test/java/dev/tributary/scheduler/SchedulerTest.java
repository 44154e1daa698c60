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
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler on a {@link ManualClock} and the embedded store: time moves only when the test says so. */
class SchedulerTest {
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
        return scheduler(yaml, SchedulerOptions.DEFAULT.withJitter(RetryBackoff.Jitter.NONE));
    }

    private Scheduler scheduler(String yaml, SchedulerOptions options) {
        Map<String, PipelineDef> pipelines = PipelinesConfigTest.parse(yaml);
        Scheduler s = new Scheduler(pipelines, store, executor, clock, options);
        s.addListener(events);
        schedulers.add(s);
        return s;
    }

    private static Map<String, StepStatus> statuses(List<StepRecord> steps) {
        Map<String, StepStatus> out = new java.util.LinkedHashMap<>();
        for (StepRecord s : steps) out.put(s.step(), s.status());
        return out;
    }

    @Test
    void manualRunRunsTheStepsInOrderAndKeepsItsLog() throws Exception {
        List<LogLine> printed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Scheduler s = scheduler("""
                pipelines:
                  revops:
                    steps:
                      - sync: hubspot
                      - build: "+team_spending"
                """, SchedulerOptions.DEFAULT.withJitter(RetryBackoff.Jitter.NONE).withLogSink(printed::add));
        s.start();
        executor.on("sync-1", c -> {
            c.log("hubspot", "contacts: 2,000 records");
            return StepOutcome.success(2_000, "1 stream, 2,000 records");
        });
        RunRecord queued = s.trigger("revops", "manual");
        assertThat(queued.trigger()).isEqualTo("manual");
        RecordingListener.Finished finished = events.nextFinished();
        RunRecord run = finished.run();
        assertThat(run.id()).isEqualTo(queued.id());
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.records()).isEqualTo(2_010);
        assertThat(finished.previous()).isNull();
        assertThat(s.run(run.id())).contains(run);
        assertThat(executor.calls()).containsExactly("sync-1", "build-2");
        assertThat(s.steps(run.id())).extracting(StepRecord::step, StepRecord::status, StepRecord::records).containsExactly(
                org.assertj.core.groups.Tuple.tuple("sync-1", StepStatus.SUCCEEDED, 2_000L),
                org.assertj.core.groups.Tuple.tuple("build-2", StepStatus.SUCCEEDED, 10L));

        List<LogLine> log = s.log(run.id(), 0, 100);
        assertThat(log).extracting(LogLine::seq).isSorted().doesNotHaveDuplicates();
        assertThat(log.get(0).seq()).isEqualTo(1);
        List<String> rendered = log.stream().map(LogLine::render).toList();
        assertThat(rendered.get(0)).startsWith("[revops][scheduler] run " + run.id() + " started (trigger manual");
        assertThat(rendered).contains("[revops][hubspot] contacts: 2,000 records", "[revops][build] did build-2",
                "[revops][scheduler] step sync-1 succeeded: 1 stream, 2,000 records");
        assertThat(rendered.get(rendered.size() - 1)).startsWith("[revops][scheduler] run " + run.id() + " succeeded");
        assertThat(s.log(run.id(), log.get(1).seq(), 1)).containsExactly(log.get(2));
        assertThat(printed).containsExactlyElementsOf(log);

        PipelineView view = s.pipeline("revops").orElseThrow();
        assertThat(view.running()).isEmpty();
        assertThat(view.last()).contains(run);
        assertThat(view.nextRun()).isEmpty();
        assertThat(s.pipelines()).extracting(v -> v.definition().name()).containsExactly("revops");
        assertThatThrownBy(() -> s.trigger("revop", "manual")).isInstanceOf(UnknownPipelineException.class).hasMessageContaining("revops");
    }

    @Test
    void cronRunsAtItsDueTimeInItsZoneAcrossTheSpringForward() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  daily:
                    schedule: "0 7 * * *"
                    timezone: Europe/London
                    steps: [{sync: hubspot}]
                """);
        s.start();
        // Still GMT on the 28th at noon; the next 07:00 is on the 29th, after the change to BST: 06:00 UTC.
        Instant due = Instant.parse("2026-03-29T06:00:00Z");
        assertThat(s.nextRun("daily")).contains(due);
        clock.awaitWaiter(due, REAL_TIMEOUT);
        clock.set(due);
        RunRecord run = events.nextFinishedRun();
        assertThat(run.trigger()).isEqualTo("schedule");
        assertThat(run.dueAt()).isEqualTo(due);
        assertThat(run.startedAt()).contains(due);
        assertThat(s.nextRun("daily")).contains(Instant.parse("2026-03-30T06:00:00Z"));
        assertThat(store.lastScheduled("daily")).contains(due);
    }

    @Test
    void intervalWaitsThePauseAfterTheRunEnds() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  loop:
                    every: 5m
                    steps: [{sync: hubspot}]
                """);
        executor.on("sync-1", c -> {
            clock.advance(Duration.ofMinutes(2));
            return StepOutcome.success(1, "");
        });
        s.start();
        RunRecord first = events.nextFinishedRun();
        assertThat(first.dueAt()).isEqualTo(T0);
        assertThat(first.endedAt()).contains(T0.plus(Duration.ofMinutes(2)));
        Instant next = T0.plus(Duration.ofMinutes(7));
        assertThat(s.nextRun("loop")).contains(next);
        clock.awaitWaiter(next, REAL_TIMEOUT);
        clock.set(next.minusSeconds(1));
        assertThat(store.runs(RunQuery.latest(10))).hasSize(1);
        clock.set(next);
        RunRecord second = events.nextFinishedRun();
        assertThat(second.dueAt()).isEqualTo(next);
        assertThat(second.trigger()).isEqualTo("schedule");
        assertThat(s.nextRun("loop")).contains(next.plus(Duration.ofMinutes(7)));
    }

    @Test
    void aDueTimeWhileRunningIsSkippedAndASecondTriggerRefused() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  hourly:
                    schedule: "0 * * * *"
                    steps: [{sync: hubspot}]
                """);
        ScriptedExecutor.Blocker blocker = new ScriptedExecutor.Blocker();
        executor.on("sync-1", blocker);
        s.start();
        Instant one = Instant.parse("2026-03-28T13:00:00Z");
        Instant two = Instant.parse("2026-03-28T14:00:00Z");
        Instant three = Instant.parse("2026-03-28T15:00:00Z");
        clock.set(one);
        blocker.awaitStarted();
        RunRecord running = s.pipeline("hourly").orElseThrow().running().orElseThrow();
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
        assertThatThrownBy(() -> s.trigger("hourly", "manual")).isInstanceOf(AlreadyRunningException.class)
                .satisfies(e -> assertThat(((AlreadyRunningException) e).runningId()).isEqualTo(running.id()));

        clock.set(two);
        clock.awaitWaiter(three, REAL_TIMEOUT); // the timer has dealt with 14:00 and waits for 15:00
        assertThat(store.runs(RunQuery.latest(10))).hasSize(1);
        blocker.release.countDown();
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.SUCCEEDED);

        executor.on("sync-1", ScriptedExecutor.succeed(1));
        clock.set(three);
        RunRecord next = events.nextFinishedRun();
        assertThat(next.dueAt()).isEqualTo(three);
        assertThat(s.log(next.id(), 0, 100)).extracting(LogLine::render)
                .contains("[hourly][scheduler] skipped the run due at " + two + ": run " + running.id() + " was still running");
        assertThat(store.runs(RunQuery.latest(10))).hasSize(2);
    }

    @Test
    void retriesWaitTheBackoffOnTheClock() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    retries: {max: 3, backoff: 30s, max_backoff: 45s}
                    steps: [{sync: hubspot}]
                """);
        executor.on("sync-1", ScriptedExecutor.failTimes(2, "HTTP 503"));
        s.start();
        s.trigger("p", "manual");
        RecordingListener.Retry first = events.nextRetry();
        assertThat(first.delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(first.step().status()).isEqualTo(StepStatus.RETRYING);
        assertThat(first.step().error()).contains("HTTP 503");
        assertThat(store.steps(first.run().id()).get(0).status()).isEqualTo(StepStatus.RETRYING);
        clock.advance(first.delay());
        RecordingListener.Retry second = events.nextRetry();
        assertThat(second.delay()).isEqualTo(Duration.ofSeconds(45)); // 60 s capped
        clock.advance(second.delay());
        RunRecord run = events.nextFinishedRun();
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(executor.attemptTimes("sync-1")).containsExactly(T0, T0.plusSeconds(30), T0.plusSeconds(75));
        StepRecord step = store.steps(run.id()).get(0);
        assertThat(step.attempt()).isEqualTo(3);
        assertThat(step.records()).isEqualTo(6);
        assertThat(s.log(run.id(), 0, 100)).extracting(LogLine::render)
                .contains("[p][scheduler] step sync-1 failed (attempt 1 of 4): HTTP 503; a transient failure, retrying in 30s");
    }

    @Test
    void deterministicFailuresFailAtOnceWithoutUsingTheRetries() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    retries: {max: 3, backoff: 30s}
                    steps:
                      - {build: x, name: model, depends_on: []}
                      - {sync: hubspot, name: config, depends_on: []}
                      - {sync: product_db, name: sql, depends_on: []}
                      - {checks: all, name: crash, depends_on: []}
                """);
        executor.on("model", ScriptedExecutor.alwaysFail("model x error: Binder Error: Referenced column \"timeout\" not found"));
        executor.on("config", ScriptedExecutor.alwaysThrow(new dev.tributary.spi.ConfigException("tributary.yml:4", "connections.hubspot.token", "is required")));
        executor.on("sql", ScriptedExecutor.alwaysThrow(new java.sql.SQLException("ERROR: syntax error at or near \"selec\"", "42601")));
        executor.on("crash", ScriptedExecutor.alwaysThrow(new IllegalArgumentException("no check named revenue")));
        s.start();
        RunRecord run = s.trigger("p", "manual");
        // the clock never moves: before, each step waited 30 s on it for a retry that could only fail the same way
        RunRecord done = events.nextFinishedRun();
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(events.pendingRetries()).isZero();
        assertThat(executor.calls()).containsExactlyInAnyOrder("model", "config", "sql", "crash");
        assertThat(s.steps(run.id())).allSatisfy(step -> {
            assertThat(step.status()).isEqualTo(StepStatus.FAILED);
            assertThat(step.attempt()).isEqualTo(1);
        });
        assertThat(s.log(run.id(), 0, 100)).extracting(LogLine::render)
                .anyMatch(l -> l.startsWith("[p][scheduler] step sql failed: ERROR: syntax error at or near \"selec\" (not retried: trying again would fail the same way)"));
    }

    @Test
    void transientFailuresAreRetriedWhateverTheirType() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    retries: {max: 1, backoff: 10s}
                    steps:
                      - {sync: hubspot, name: lost, depends_on: []}
                      - {sync: product_db, name: refused, depends_on: []}
                      - {build: x, name: limited, depends_on: []}
                      - {checks: all, name: locked, depends_on: []}
                """);
        executor.on("lost", ScriptedExecutor.alwaysThrow(new java.sql.SQLException("An I/O error occurred while sending to the backend.", "08006")));
        executor.on("refused", ScriptedExecutor.alwaysThrow(new IllegalStateException("cannot connect to the warehouse",
                new java.net.ConnectException("Connection refused"))));
        executor.on("limited", ScriptedExecutor.alwaysThrow(new RuntimeException("GET /crm/v3/objects/contacts: HTTP 429 Too Many Requests")));
        executor.on("locked", ScriptedExecutor.alwaysThrow(new java.sql.SQLException(
                "IO Error: Could not set lock on file \"warehouse.duckdb\": Conflicting lock is held")));
        s.start();
        RunRecord run = s.trigger("p", "manual");
        java.util.Set<String> retried = new java.util.HashSet<>();
        for (int i = 0; i < 4; i++) retried.add(events.nextRetry().step().step());
        assertThat(retried).containsExactlyInAnyOrder("lost", "refused", "limited", "locked");
        clock.advance(Duration.ofSeconds(10));
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.FAILED);
        assertThat(s.steps(run.id())).allSatisfy(step -> assertThat(step.attempt()).isEqualTo(2));
    }

    @Test
    void theRunLogSaysDurationsAsPeopleReadThem() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    retries: {max: 1, backoff: 90s}
                    steps: [{sync: hubspot}]
                """);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        executor.on("sync-1", c -> {
            clock.advance(Duration.ofMillis(125_123));
            return attempts.incrementAndGet() == 1 ? StepOutcome.transientFailure(0, "", "connection reset") : StepOutcome.success(1, "1 record");
        });
        s.start();
        RunRecord run = s.trigger("p", "manual");
        clock.advance(events.nextRetry().delay());
        RunRecord done = events.nextFinishedRun();
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(s.log(run.id(), 0, 100)).extracting(LogLine::render)
                .contains("[p][scheduler] step sync-1 failed (attempt 1 of 2): connection reset; a transient failure, retrying in 1m 30s")
                .anyMatch(l -> l.startsWith("[p][scheduler] run " + run.id() + " succeeded in 5m 40s"))
                .noneMatch(l -> l.matches(".*\\d+ms\\b.*") || l.contains("PT"));
    }

    @Test
    void jitterSpreadsTheBackoffByUpToTwentyPercent() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    retries: {max: 2, backoff: 30s, max_backoff: 10m}
                    steps: [{sync: hubspot}]
                """, SchedulerOptions.DEFAULT.withJitter(() -> 1.0));
        executor.on("sync-1", ScriptedExecutor.failTimes(2, "boom"));
        s.start();
        s.trigger("p", "manual");
        RecordingListener.Retry first = events.nextRetry();
        assertThat(first.delay()).isEqualTo(Duration.ofSeconds(36));
        clock.advance(first.delay());
        RecordingListener.Retry second = events.nextRetry();
        assertThat(second.delay()).isEqualTo(Duration.ofSeconds(72));
        clock.advance(second.delay());
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(executor.attemptTimes("sync-1")).containsExactly(T0, T0.plusSeconds(36), T0.plusSeconds(108));
        assertThat(RetryBackoff.delay(new RetrySettings(5, Duration.ofSeconds(10), Duration.ofSeconds(100)), 3, () -> -1.0))
                .isEqualTo(Duration.ofSeconds(32));
    }

    @Test
    void aStepOutOfRetriesFailsTheRunSkipsItsDependentsAndLetsTheOthersRun() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    retries: {max: 1, backoff: 10s}
                    steps:
                      - sync: hubspot
                        name: load
                      - build: x
                        name: model
                      - checks: all
                        name: check
                      - sync: product_db
                        name: other
                        depends_on: []
                """);
        executor.on("load", ScriptedExecutor.alwaysFailTransiently("HTTP 503 service unavailable"));
        s.start();
        s.trigger("p", "manual");
        clock.advance(events.nextRetry().delay());
        RecordingListener.Finished finished = events.nextFinished();
        RunRecord run = finished.run();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("step load failed: HTTP 503 service unavailable");
        assertThat(statuses(s.steps(run.id()))).containsExactly(Map.entry("load", StepStatus.FAILED), Map.entry("model", StepStatus.SKIPPED),
                Map.entry("check", StepStatus.SKIPPED), Map.entry("other", StepStatus.SUCCEEDED));
        assertThat(executor.calls()).containsExactlyInAnyOrder("load", "load", "other");
        assertThat(s.steps(run.id()).get(0).attempt()).isEqualTo(2);

        executor.on("load", ScriptedExecutor.succeed(1));
        s.trigger("p", "manual");
        RecordingListener.Finished recovery = events.nextFinished();
        assertThat(recovery.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(recovery.previous()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void cancelStopsTheRunningStepAndCancelsThePendingOnes() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    steps:
                      - sync: hubspot
                      - build: x
                """);
        ScriptedExecutor.Blocker blocker = new ScriptedExecutor.Blocker();
        executor.on("sync-1", blocker);
        s.start();
        RunRecord run = s.trigger("p", "manual");
        blocker.awaitStarted();
        assertThat(s.cancel(run.id())).isTrue();
        RunRecord cancelled = events.nextFinishedRun();
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.error()).contains("cancelled");
        assertThat(blocker.cancelActionRan).isTrue();
        assertThat(blocker.sawCancel).isTrue();
        assertThat(statuses(s.steps(run.id()))).containsExactly(Map.entry("sync-1", StepStatus.CANCELLED), Map.entry("build-2", StepStatus.CANCELLED));
        assertThat(executor.calls()).containsExactly("sync-1");
        assertThat(s.cancel(run.id())).isFalse();
    }

    @Test
    void cancelDuringARetryWaitEndsTheWait() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    retries: {max: 3, backoff: 1h}
                    steps: [{sync: hubspot}]
                """);
        executor.on("sync-1", ScriptedExecutor.alwaysFailTransiently("down"));
        s.start();
        RunRecord run = s.trigger("p", "manual");
        events.nextRetry();
        assertThat(s.cancel(run.id())).isTrue();
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(executor.calls()).containsExactly("sync-1");
        assertThat(s.steps(run.id()).get(0).status()).isEqualTo(StepStatus.CANCELLED);
    }

    @Test
    void rerunFromFailedRunsOnlyTheStepsThatDidNotSucceed() throws Exception {
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    retries: {max: 0}
                    steps:
                      - sync: hubspot
                        name: a
                      - build: x
                        name: b
                      - checks: all
                        name: c
                      - sync: product_db
                        name: d
                        depends_on: []
                """);
        executor.on("b", ScriptedExecutor.alwaysFail("model x: syntax error"));
        s.start();
        RunRecord failed = s.trigger("p", "manual");
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.FAILED);
        assertThatThrownBy(() -> s.rerunFromFailed(failed.id() + 100)).isInstanceOf(IllegalArgumentException.class);

        executor.on("b", ScriptedExecutor.succeed(3));
        List<String> before = executor.calls();
        RunRecord rerun = s.rerunFromFailed(failed.id());
        assertThat(rerun.trigger()).isEqualTo("rerun");
        assertThat(rerun.rerunOf()).contains(failed.id());
        RunRecord done = events.nextFinishedRun();
        assertThat(done.id()).isEqualTo(rerun.id());
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(executor.calls().subList(before.size(), executor.calls().size())).containsExactly("b", "c");
        assertThat(statuses(s.steps(rerun.id()))).containsExactly(Map.entry("b", StepStatus.SUCCEEDED), Map.entry("c", StepStatus.SUCCEEDED));
        assertThatThrownBy(() -> s.rerunFromFailed(rerun.id())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did not fail");
    }

    private static final String DAILY = """
            pipelines:
              daily:
                schedule: "0 7 * * *"
                catch_up: %s
                steps: [{sync: hubspot}]
            """;

    @Test
    void anIntervalPipelineRestartedAfterASuccessWaitsTheRestOfThePauseAndAfterAFailureRunsAtOnce() throws Exception {
        String yaml = """
                pipelines:
                  loop:
                    every: 10m
                    retries: {max: 0}
                    steps: [{sync: hubspot}]
                """;
        Scheduler first = scheduler(yaml);
        first.start();
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.SUCCEEDED);
        first.close();
        clock.advance(Duration.ofMinutes(4));
        Scheduler second = scheduler(yaml);
        second.start();
        assertThat(second.nextRun("loop")).contains(T0.plus(Duration.ofMinutes(10)));
        assertThat(store.runs(RunQuery.latest(10))).hasSize(1);
        second.close();

        executor.on("sync-1", c -> StepOutcome.failure(0, "", "source down"));
        Scheduler third = scheduler(yaml);
        clock.set(T0.plus(Duration.ofMinutes(10)));
        third.start();
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.FAILED);
        third.close();
        clock.advance(Duration.ofMinutes(1));
        Instant restart = clock.now();
        Scheduler fourth = scheduler(yaml);
        fourth.start();
        RunRecord again = events.nextFinishedRun();
        assertThat(again.dueAt()).isEqualTo(restart);
        assertThat(store.runs(RunQuery.latest(10))).hasSize(3);
    }

    @Test
    void aMissedScheduleRunsOnceOnRestart() throws Exception {
        Scheduler first = scheduler(DAILY.formatted("true"));
        first.start();
        first.close();
        clock.set(Instant.parse("2026-03-31T08:00:00Z")); // three 07:00s were missed
        Scheduler second = scheduler(DAILY.formatted("true"));
        second.start();
        List<RunRecord> runs = store.runs(RunQuery.latest(10));
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).trigger()).isEqualTo("catch-up");
        assertThat(runs.get(0).dueAt()).isEqualTo(Instant.parse("2026-03-31T07:00:00Z"));
        assertThat(events.nextFinishedRun().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.nextRun("daily")).contains(Instant.parse("2026-04-01T07:00:00Z"));
        second.close();

        Scheduler third = scheduler(DAILY.formatted("true"));
        third.start();
        assertThat(store.runs(RunQuery.latest(10))).hasSize(1);
    }

    @Test
    void catchUpOffSkipsTheMissedSchedule() throws Exception {
        Scheduler first = scheduler(DAILY.formatted("false"));
        first.start();
        first.close();
        clock.set(Instant.parse("2026-03-30T08:00:00Z"));
        Scheduler second = scheduler(DAILY.formatted("false"));
        second.start();
        assertThat(store.runs(RunQuery.latest(10))).isEmpty();
        assertThat(second.nextRun("daily")).contains(Instant.parse("2026-03-31T07:00:00Z"));
        second.close();

        clock.set(Instant.parse("2026-04-02T08:00:00Z"));
        Scheduler overridden = scheduler(DAILY.formatted("false"), SchedulerOptions.DEFAULT.withCatchUp(true));
        overridden.start();
        assertThat(store.runs(RunQuery.latest(10))).extracting(RunRecord::trigger).containsExactly("catch-up");
    }

    @Test
    void aRunLeftLiveByADeadProcessIsMarkedFailedOnStart() throws Exception {
        RunRecord dead = store.createRun("p", "schedule", T0.minusSeconds(600), Optional.empty());
        store.updateRun(new RunRecord(dead.id(), "p", RunStatus.RUNNING, "schedule", dead.dueAt(), Optional.of(T0.minusSeconds(600)),
                Optional.empty(), Optional.empty(), Optional.empty(), 0));
        store.saveStep(new StepRecord(dead.id(), "sync-1", StepKind.SYNC, StepStatus.RUNNING, 1, Optional.of(T0.minusSeconds(600)), Optional.empty(),
                0, "", Optional.empty()));
        store.saveStep(new StepRecord(dead.id(), "build-2", StepKind.BUILD, StepStatus.PENDING, 0, Optional.empty(), Optional.empty(), 0, "",
                Optional.empty()));
        store.appendLog(new LogLine(dead.id(), 1, T0.minusSeconds(600), "INFO", "p", "scheduler", "run started"));
        Scheduler s = scheduler("""
                pipelines:
                  p:
                    steps: [{sync: hubspot}, {build: x}]
                """);
        s.start();
        RunRecord failed = store.run(dead.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).contains("interrupted: the server stopped during this run");
        assertThat(failed.endedAt()).contains(T0);
        assertThat(statuses(store.steps(dead.id()))).containsExactly(Map.entry("sync-1", StepStatus.FAILED), Map.entry("build-2", StepStatus.CANCELLED));
        assertThat(store.log(dead.id(), 1, 10)).extracting(LogLine::render).containsExactly("[p][scheduler] interrupted: the server stopped during this run");
        assertThat(events.nextFinishedRun().id()).isEqualTo(dead.id());
        assertThat(store.liveRuns()).isEmpty();
        RunRecord fresh = s.trigger("p", "manual");
        assertThat(events.nextFinishedRun().id()).isEqualTo(fresh.id());
    }

    @Test
    void aCliRunIsLeftAloneWhileItsProcessLivesAndNeverAlerted() throws Exception {
        RunRecord live = cliRun(CliRuns.runningSummary()); // this JVM: a CLI command still running when serve starts
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        RunRecord dead = cliRun("running in process " + gone.pid() + " on " + CliRuns.hostName());
        Scheduler s = scheduler("pipelines: {p: {steps: [{sync: hubspot}]}}");
        s.start();
        // before the fix the live one was marked failed ("the server stopped during this run") and alerted
        assertThat(store.run(live.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        RunRecord failed = store.run(dead.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).contains(Scheduler.INTERRUPTED_CLI);
        // no finished-run event (the alerts' source) for either: the first one seen is the run triggered now
        RunRecord fresh = s.trigger("p", "manual");
        assertThat(events.nextFinishedRun().id()).isEqualTo(fresh.id());
    }

    private RunRecord cliRun(String stepSummary) {
        RunRecord r = store.createRun(CliRuns.PIPELINE, "cli", T0.minusSeconds(60), Optional.empty());
        store.updateRun(new RunRecord(r.id(), CliRuns.PIPELINE, RunStatus.RUNNING, "cli", r.dueAt(), Optional.of(T0.minusSeconds(60)),
                Optional.empty(), Optional.empty(), Optional.empty(), 0));
        store.saveStep(new StepRecord(r.id(), "sync crm", StepKind.SYNC, StepStatus.RUNNING, 1, Optional.of(T0.minusSeconds(60)), Optional.empty(),
                0, stepSummary, Optional.empty()));
        return r;
    }

    @Test
    void retentionDeletesOldRunsAtStartAndThenDaily() throws Exception {
        RunRecord old = endedRun(T0.minus(Duration.ofDays(31)));
        RunRecord almostOld = endedRun(T0.minus(Duration.ofDays(29)));
        Scheduler s = scheduler("pipelines: {p: {steps: [{sync: hubspot}]}}");
        s.start();
        assertThat(store.run(old.id())).isEmpty();
        assertThat(store.steps(old.id())).isEmpty();
        assertThat(store.log(old.id(), 0, 10)).isEmpty();
        assertThat(store.run(almostOld.id())).isPresent();

        clock.awaitWaiter(T0.plus(Duration.ofDays(1)), REAL_TIMEOUT);
        clock.set(T0.plus(Duration.ofDays(2)));
        clock.awaitWaiter(T0.plus(Duration.ofDays(3)), REAL_TIMEOUT); // the daily clean-up ran
        assertThat(store.run(almostOld.id())).isEmpty();
        assertThat(store.log(almostOld.id(), 0, 10)).isEmpty();
    }

    private RunRecord endedRun(Instant endedAt) {
        RunRecord r = store.createRun("p", "schedule", endedAt, Optional.empty());
        store.updateRun(new RunRecord(r.id(), "p", RunStatus.SUCCEEDED, "schedule", endedAt, Optional.of(endedAt), Optional.of(endedAt),
                Optional.empty(), Optional.empty(), 1));
        store.saveStep(new StepRecord(r.id(), "sync-1", StepKind.SYNC, StepStatus.SUCCEEDED, 1, Optional.of(endedAt), Optional.of(endedAt), 1, "",
                Optional.empty()));
        store.appendLog(new LogLine(r.id(), 1, endedAt, "INFO", "p", "scheduler", "done"));
        return r;
    }

    @Test
    void closeCancelsLiveRunsAsServerStopped() throws Exception {
        Scheduler s = scheduler("pipelines: {p: {steps: [{sync: hubspot}, {build: x}]}}");
        ScriptedExecutor.Blocker blocker = new ScriptedExecutor.Blocker();
        executor.on("sync-1", blocker);
        s.start();
        RunRecord run = s.trigger("p", "manual");
        blocker.awaitStarted();
        s.close();
        RunRecord stopped = store.run(run.id()).orElseThrow();
        assertThat(stopped.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(stopped.error()).contains("server stopped");
        assertThat(blocker.sawCancel).isTrue();
        assertThatThrownBy(() -> s.trigger("p", "manual")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void runsBeyondTheLimitWaitQueuedAndCanBeCancelledThere() throws Exception {
        Scheduler s = scheduler("pipelines: {a: {steps: [{sync: hubspot}]}, b: {steps: [{sync: product_db}]}}",
                SchedulerOptions.DEFAULT.withMaxConcurrentRuns(1).withJitter(RetryBackoff.Jitter.NONE));
        ScriptedExecutor.Blocker blocker = new ScriptedExecutor.Blocker();
        executor.on("sync-1", c -> c.pipeline().equals("a") ? blocker.run(c) : StepOutcome.success(1, ""));
        s.start();
        RunRecord a = s.trigger("a", "manual");
        blocker.awaitStarted();
        RunRecord b = s.trigger("b", "api");
        assertThat(store.run(b.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThatThrownBy(() -> s.trigger("b", "manual")).isInstanceOf(AlreadyRunningException.class);
        assertThat(s.cancel(b.id())).isTrue();
        RunRecord cancelled = events.nextFinishedRun();
        assertThat(cancelled.id()).isEqualTo(b.id());
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.startedAt()).isEmpty();
        blocker.release.countDown();
        RunRecord done = events.nextFinishedRun();
        assertThat(done.id()).isEqualTo(a.id());
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(executor.calls()).containsExactly("sync-1");
    }

    @Test
    void manualClockWakesWaitersOnlyWhenTheirTimeComes() throws Exception {
        ManualClock c = new ManualClock(T0);
        java.util.concurrent.CompletableFuture<Boolean> reached = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return c.waitUntil(T0.plusSeconds(60), () -> false);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        c.awaitWaiter(T0.plusSeconds(60), REAL_TIMEOUT);
        c.advance(Duration.ofSeconds(59));
        assertThat(c.waiters()).containsExactly(T0.plusSeconds(60)); // still waiting after 59 s
        c.advance(Duration.ofSeconds(1));
        assertThat(reached.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> c.awaitWaiter(T0, Duration.ofMillis(1))).isInstanceOf(TimeoutException.class);
    }
}
