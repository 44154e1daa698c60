package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link MetadataStore} must do; subclasses open the real database. */
abstract class MetadataStoreContract {
    static final Instant T0 = Instant.parse("2026-03-01T07:00:00.123456Z");
    MetadataStore store;

    abstract MetadataStore open();

    /** The same database opened again, as after a restart. */
    abstract MetadataStore reopen();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aMomentsRunsAreCreatedTogetherWithTheirScheduleTimes() {
        store.setLastScheduled("b", T0.minusSeconds(60));
        List<RunRecord> runs = store.createRuns(List.of(new MetadataStore.NewRun("a", "schedule", T0, Optional.empty()),
                new MetadataStore.NewRun("b", "schedule", T0, Optional.empty()), new MetadataStore.NewRun("c", "rerun", T0, Optional.of(7L))),
                java.util.Map.of("a", T0, "b", T0, "c", T0));
        assertThat(runs).extracting(RunRecord::pipeline).containsExactly("a", "b", "c");
        for (RunRecord r : runs) assertThat(store.run(r.id())).contains(r);
        assertThat(runs.get(2).rerunOf()).contains(7L);
        assertThat(store.lastScheduled("a")).contains(T0);
        assertThat(store.lastScheduled("b")).contains(T0);
        assertThat(store.createRuns(List.of(), java.util.Map.of("c", T0.plusSeconds(60)))).isEmpty();
        assertThat(store.lastScheduled("c")).contains(T0.plusSeconds(60));
    }

    @Test
    void runsRoundTrip() {
        RunRecord created = store.createRun("revops", "schedule", T0, Optional.empty());
        assertThat(created.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(store.run(created.id())).contains(created);

        RunRecord done = new RunRecord(created.id(), "revops", RunStatus.FAILED, "schedule", T0, Optional.of(T0.plusSeconds(1)),
                Optional.of(T0.plusSeconds(61)), Optional.of("step sync-1 failed: 429 from HubSpot"), Optional.empty(), 12_034);
        store.updateRun(done);
        assertThat(store.run(created.id())).contains(done);

        RunRecord rerun = store.createRun("revops", "rerun", T0.plusSeconds(100), Optional.of(created.id()));
        assertThat(store.run(rerun.id()).orElseThrow().rerunOf()).contains(created.id());
        assertThat(rerun.id()).isGreaterThan(created.id());
        assertThat(store.run(999_999)).isEmpty();
    }

    @Test
    void runQueriesFilterAndPage() {
        RunRecord a1 = store.createRun("a", "manual", T0, Optional.empty());
        RunRecord b1 = store.createRun("b", "manual", T0.plusSeconds(10), Optional.empty());
        store.updateRun(withStatus(a1, RunStatus.SUCCEEDED)); // one live run per pipeline (PostgreSQL's store enforces it)
        RunRecord a2 = store.createRun("a", "schedule", T0.plusSeconds(20), Optional.empty());
        store.updateRun(withStatus(b1, RunStatus.RUNNING));

        assertThat(store.runs(RunQuery.latest(10))).extracting(RunRecord::id).containsExactly(a2.id(), b1.id(), a1.id());
        assertThat(store.runs(RunQuery.latest(10).pipeline("a"))).extracting(RunRecord::id).containsExactly(a2.id(), a1.id());
        assertThat(store.runs(RunQuery.latest(10).status(RunStatus.SUCCEEDED))).extracting(RunRecord::id).containsExactly(a1.id());
        assertThat(store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), 1, 1))).extracting(RunRecord::id)
                .containsExactly(b1.id());
        assertThat(store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.of(T0.plusSeconds(10)), 10, 0)))
                .extracting(RunRecord::id).containsExactly(a2.id(), b1.id());
        assertThat(store.liveRuns()).extracting(RunRecord::id).containsExactly(b1.id(), a2.id());
    }

    @Test
    void stepsAreUpsertedAndKeepTheirOrder() {
        RunRecord run = store.createRun("a", "manual", T0, Optional.empty());
        StepRecord sync = new StepRecord(run.id(), "sync-1", StepKind.SYNC, StepStatus.PENDING, 0, Optional.empty(), Optional.empty(), 0, "",
                Optional.empty());
        StepRecord build = new StepRecord(run.id(), "build-2", StepKind.BUILD, StepStatus.PENDING, 0, Optional.empty(), Optional.empty(), 0, "",
                Optional.empty());
        store.saveStep(sync);
        store.saveStep(build);
        StepRecord synced = new StepRecord(run.id(), "sync-1", StepKind.SYNC, StepStatus.SUCCEEDED, 2, Optional.of(T0), Optional.of(T0.plusSeconds(5)),
                2_000, "3 streams, 2,000 records", Optional.empty());
        store.saveStep(synced);
        StepRecord failed = new StepRecord(run.id(), "build-2", StepKind.BUILD, StepStatus.FAILED, 1, Optional.of(T0), Optional.of(T0.plusSeconds(9)),
                0, "PASS=1 ERROR=1", Optional.of("model x failed"));
        store.saveStep(failed);
        assertThat(store.steps(run.id())).containsExactly(synced, failed);
        assertThat(store.steps(run.id() + 1)).isEmpty();
    }

    @Test
    void logLinesAreReadAfterASeq() {
        RunRecord run = store.createRun("revops", "manual", T0, Optional.empty());
        assertThat(store.lastLogSeq(run.id())).isZero();
        for (int i = 1; i <= 5; i++) {
            store.appendLog(new LogLine(run.id(), i, T0.plusSeconds(i), "INFO", "revops", "hubspot", "line " + i));
        }
        assertThat(store.lastLogSeq(run.id())).isEqualTo(5);
        List<LogLine> after2 = store.log(run.id(), 2, 2);
        assertThat(after2).extracting(LogLine::seq).containsExactly(3L, 4L);
        assertThat(after2.get(0)).isEqualTo(new LogLine(run.id(), 3, T0.plusSeconds(3), "INFO", "revops", "hubspot", "line 3"));
        assertThat(after2.get(0).render()).isEqualTo("[revops][hubspot] line 3");
        assertThat(store.log(run.id(), 5, 100)).isEmpty();
    }

    @Test
    void lastScheduledIsKeptPerPipeline() {
        assertThat(store.lastScheduled("a")).isEmpty();
        store.setLastScheduled("a", T0);
        store.setLastScheduled("b", T0.plusSeconds(5));
        store.setLastScheduled("a", T0.plusSeconds(60));
        assertThat(store.lastScheduled("a")).contains(T0.plusSeconds(60));
        assertThat(store.lastScheduled("b")).contains(T0.plusSeconds(5));
    }

    @Test
    void deletingOldRunsTakesTheirStepsAndLogs() {
        RunRecord old = store.createRun("a", "schedule", T0, Optional.empty());
        store.updateRun(ended(old, T0.plusSeconds(10)));
        store.saveStep(new StepRecord(old.id(), "sync-1", StepKind.SYNC, StepStatus.SUCCEEDED, 1, Optional.of(T0), Optional.of(T0), 1, "",
                Optional.empty()));
        store.appendLog(new LogLine(old.id(), 1, T0, "INFO", "a", "scheduler", "old"));
        RunRecord recent = store.createRun("a", "schedule", T0.plusSeconds(100), Optional.empty());
        store.updateRun(ended(recent, T0.plusSeconds(110)));
        store.appendLog(new LogLine(recent.id(), 1, T0, "INFO", "a", "scheduler", "recent"));
        RunRecord live = store.createRun("a", "schedule", T0, Optional.empty());

        assertThat(store.deleteRunsBefore(T0.plusSeconds(50))).isEqualTo(1);
        assertThat(store.run(old.id())).isEmpty();
        assertThat(store.steps(old.id())).isEmpty();
        assertThat(store.log(old.id(), 0, 10)).isEmpty();
        assertThat(store.run(recent.id())).isPresent();
        assertThat(store.log(recent.id(), 0, 10)).hasSize(1);
        assertThat(store.run(live.id())).isPresent();
    }

    @Test
    void dataSurvivesAReopen() {
        RunRecord run = store.createRun("a", "schedule", T0, Optional.empty());
        store.setLastScheduled("a", T0);
        store.close();
        store = reopen();
        assertThat(store.run(run.id())).contains(run);
        assertThat(store.lastScheduled("a")).contains(T0);
        store.updateRun(withStatus(run, RunStatus.SUCCEEDED));
        assertThat(store.createRun("a", "manual", T0, Optional.empty()).id()).isGreaterThan(run.id());
    }

    static RunRecord withStatus(RunRecord r, RunStatus status) {
        return new RunRecord(r.id(), r.pipeline(), status, r.trigger(), r.dueAt(), r.startedAt(), r.endedAt(), r.error(), r.rerunOf(), r.records());
    }

    static RunRecord ended(RunRecord r, Instant at) {
        return new RunRecord(r.id(), r.pipeline(), RunStatus.SUCCEEDED, r.trigger(), r.dueAt(), Optional.of(r.dueAt()), Optional.of(at), r.error(),
                r.rerunOf(), r.records());
    }

    // ---- ui1: step items, pauses, run requests, run filters

    @Test
    void stepItemsAreKeptPerRunAndQueryableByName() {
        RunRecord first = store.createRun("revops", "schedule", T0, Optional.empty());
        store.updateRun(ended(first, T0.plusSeconds(10)));
        RunRecord second = store.createRun("revops", "api", T0.plusSeconds(3600), Optional.empty());
        StepItem started = new StepItem(first.id(), "sync-1", "stream", "hubspot.contacts", "running", Optional.of(T0), Optional.empty(), 0, 0, true,
                Optional.empty());
        store.details().saveItem(started);
        assertThat(store.details().items(first.id())).containsExactly(started);
        StepItem done = new StepItem(first.id(), "sync-1", "stream", "hubspot.contacts", "failed", Optional.of(T0), Optional.of(T0.plusSeconds(5)),
                1_200, 3, true, Optional.of("ERROR: value too long for type character varying(10)"));
        store.details().saveItem(done);
        StepItem model = new StepItem(first.id(), "build-2", "model", "team_spending", "success", Optional.of(T0.plusSeconds(6)),
                Optional.of(T0.plusSeconds(7)), 42, 0, false, Optional.of("INSERT 42"));
        store.details().saveItem(model);
        StepItem later = new StepItem(second.id(), "sync-1", "stream", "hubspot.contacts", "succeeded", Optional.of(T0.plusSeconds(3600)),
                Optional.of(T0.plusSeconds(3601)), 7, 0, false, Optional.empty());
        store.details().saveItem(later);
        assertThat(store.details().items(first.id())).containsExactly(done, model);
        assertThat(store.details().history("stream", "hubspot.contacts", 10)).containsExactly(later, done);
        assertThat(store.details().history("stream", "hubspot.contacts", 1)).containsExactly(later);
        assertThat(store.details().history("model", "hubspot.contacts", 10)).isEmpty();
        assertThat(done.duration()).contains(java.time.Duration.ofSeconds(5));
    }

    @Test
    void pausesAreKeptInTheStoreForEveryProcess() {
        assertThat(store.details().pause("revops", "admin", T0)).isTrue();
        assertThat(store.details().pause("revops", "other", T0.plusSeconds(1))).isFalse();
        store.close();
        store = reopen();
        assertThat(store.details().paused()).containsExactly(java.util.Map.entry("revops", new RunDetails.Pause(T0, "admin")));
        assertThat(store.details().resume("revops")).isTrue();
        assertThat(store.details().resume("revops")).isFalse();
        assertThat(store.details().paused()).isEmpty();
    }

    @Test
    void aRunsRequestedStepsAndVarsRoundTrip() {
        RunRecord run = store.createRun("revops", "api", T0, Optional.empty());
        RunRecord plain = store.createRun("other", "api", T0, Optional.empty());
        RunRequest request = new RunRequest(List.of("build-2"), java.util.Map.of("start_date", "2026-01-01", "end_date", "2026-01-31"));
        store.details().saveRequest(run.id(), request);
        store.details().saveRequest(plain.id(), RunRequest.ALL);
        assertThat(store.details().request(run.id())).isEqualTo(request);
        assertThat(store.details().request(plain.id())).isEqualTo(RunRequest.ALL);
    }

    @Test
    void runsAreFilteredByTimeRangeAndText() {
        RunRecord a = store.createRun("revops", "schedule", T0, Optional.empty());
        store.updateRun(new RunRecord(a.id(), "revops", RunStatus.FAILED, "schedule", T0, Optional.of(T0), Optional.of(T0.plusSeconds(5)),
                Optional.of("step sync-1 failed: ERROR: relation \"deals_100%\" does not exist"), Optional.empty(), 0));
        RunRecord b = store.createRun("leads", "manual", T0.plusSeconds(86_400), Optional.empty());
        RunRecord c = store.createRun("nightly", "cli", T0.plusSeconds(2 * 86_400), Optional.empty());
        RunQuery all = RunQuery.latest(10);
        assertThat(store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.of(T0.plusSeconds(86_400)), Optional.of(T0.plusSeconds(2 * 86_400)),
                Optional.empty(), 10, 0))).extracting(RunRecord::id).containsExactly(b.id());
        assertThat(store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("DOES NOT"), 10, 0)))
                .extracting(RunRecord::id).containsExactly(a.id());
        assertThat(store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("_100%"), 10, 0)))
                .extracting(RunRecord::id).containsExactly(a.id());
        assertThat(store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("_1000"), 10, 0))).isEmpty();
        assertThat(store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("lead"), 10, 0)))
                .extracting(RunRecord::id).containsExactly(b.id());
        assertThat(store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("cli"), 10, 0)))
                .extracting(RunRecord::id).containsExactly(c.id());
        for (RunRecord r : store.runs(all)) assertThat(new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("lead"), 10, 0)
                .matches(r)).isEqualTo(r.id() == b.id());
    }
}
