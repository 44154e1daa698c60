package dev.tributary.scheduler.alert;

import dev.tributary.scheduler.LogLine;
import dev.tributary.scheduler.PipelineDef;
import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RetrySettings;
import dev.tributary.scheduler.RunEventListener;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.StepRecord;
import dev.tributary.scheduler.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pipelines and runs held in lists: only what the freshness monitor reads. */
final class FakePipelineService implements PipelineService {
    private final List<PipelineDef> pipelines = new ArrayList<>();
    private final List<RunRecord> runs = new ArrayList<>();

    static PipelineDef pipeline(String name, Optional<Duration> freshness) {
        StepDef sync = new StepDef("sync-1", StepKind.SYNC, List.of(), true, Map.of(), List.of(), Optional.empty());
        return new PipelineDef(name, "", List.of(sync), new Trigger.Manual(), false, RetrySettings.NONE, freshness);
    }

    synchronized void add(PipelineDef def) {
        pipelines.add(def);
    }

    synchronized void addRun(RunRecord run) {
        runs.add(run);
    }

    @Override
    public synchronized List<PipelineView> pipelines() {
        return pipelines.stream().map(p -> new PipelineView(p, Optional.empty(), Optional.empty(), List.of())).toList();
    }

    @Override
    public synchronized Optional<PipelineView> pipeline(String name) {
        return pipelines().stream().filter(v -> v.definition().name().equals(name)).findFirst();
    }

    @Override
    public synchronized List<RunRecord> runs(RunQuery query) {
        return runs.stream()
                .filter(r -> query.pipeline().map(r.pipeline()::equals).orElse(true))
                .filter(r -> query.status().map(s -> r.status() == s).orElse(true))
                .sorted(Comparator.comparingLong(RunRecord::id).reversed())
                .skip(query.offset()).limit(query.limit()).toList();
    }

    @Override
    public synchronized Optional<RunRecord> run(long runId) {
        return runs.stream().filter(r -> r.id() == runId).findFirst();
    }

    @Override
    public RunRecord trigger(String pipeline, String trigger) {
        throw new UnsupportedOperationException("not used by alerts");
    }

    @Override
    public RunRecord trigger(String pipeline, String trigger, dev.tributary.scheduler.RunRequest request) {
        throw new UnsupportedOperationException("not used by alerts");
    }

    @Override
    public dev.tributary.scheduler.RunRequest request(long runId) {
        return dev.tributary.scheduler.RunRequest.ALL;
    }

    @Override
    public boolean pause(String pipeline, String by) {
        throw new UnsupportedOperationException("not used by alerts");
    }

    @Override
    public boolean resume(String pipeline) {
        throw new UnsupportedOperationException("not used by alerts");
    }

    @Override
    public java.util.Map<String, dev.tributary.scheduler.RunDetails.Pause> paused() {
        return java.util.Map.of();
    }

    @Override
    public dev.tributary.scheduler.Backfill backfill(String pipeline, java.time.Instant from, java.time.Instant to, String by) {
        throw new UnsupportedOperationException("not used by alerts");
    }

    @Override
    public List<dev.tributary.scheduler.Backfill> backfills(String pipeline) {
        return List.of();
    }

    @Override
    public List<dev.tributary.scheduler.StepItem> itemsForRun(long runId) {
        return List.of();
    }

    @Override
    public List<dev.tributary.scheduler.StepItem> historyOf(String kind, String name, int limit) {
        return List.of();
    }

    @Override
    public boolean cancel(long runId) {
        throw new UnsupportedOperationException("not used by alerts");
    }

    @Override
    public RunRecord rerunFromFailed(long runId) {
        throw new UnsupportedOperationException("not used by alerts");
    }

    @Override
    public List<StepRecord> steps(long runId) {
        return List.of();
    }

    @Override
    public List<LogLine> log(long runId, long afterSeq, int limit) {
        return List.of();
    }

    @Override
    public void addListener(RunEventListener listener) {
        throw new UnsupportedOperationException("not used by alerts");
    }
}
