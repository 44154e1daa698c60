package dev.tributary.server;

import dev.tributary.scheduler.AlreadyRunningException;
import dev.tributary.scheduler.LogLine;
import dev.tributary.scheduler.PipelineDef;
import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RetrySettings;
import dev.tributary.scheduler.RunEventListener;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.StepRecord;
import dev.tributary.scheduler.StepStatus;
import dev.tributary.scheduler.Trigger;
import dev.tributary.scheduler.UnknownPipelineException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory PipelineService: runs start RUNNING and change only when a test says so (finish, fail, log). */
final class FakePipelineService implements PipelineService {
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    private final Map<String, PipelineDef> definitions = new LinkedHashMap<>();
    private final Map<Long, RunRecord> runs = new LinkedHashMap<>();
    private final Map<Long, List<StepRecord>> steps = new LinkedHashMap<>();
    private final Map<Long, List<LogLine>> logs = new LinkedHashMap<>();
    private final List<RunEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, List<dev.tributary.scheduler.StepItem>> items = new LinkedHashMap<>();
    private final Map<Long, dev.tributary.scheduler.RunRequest> requests = new LinkedHashMap<>();
    private final Map<String, dev.tributary.scheduler.RunDetails.Pause> pauses = new LinkedHashMap<>();
    private long nextId = 1;

    static PipelineDef pipeline(String name, Trigger trigger, StepDef... steps) {
        return new PipelineDef(name, "", List.of(steps), trigger, true, RetrySettings.NONE, Optional.empty());
    }

    static StepDef step(String name, StepKind kind, Map<String, String> options) {
        return new StepDef(name, kind, List.of(), false, options, List.of(), Optional.empty());
    }

    synchronized FakePipelineService add(PipelineDef def) {
        definitions.put(def.name(), def);
        return this;
    }

    @Override
    public synchronized List<PipelineView> pipelines() {
        return definitions.keySet().stream().map(n -> pipeline(n).orElseThrow()).toList();
    }

    @Override
    public synchronized Optional<PipelineView> pipeline(String name) {
        PipelineDef def = definitions.get(name);
        if (def == null) return Optional.empty();
        List<RunRecord> recent = runs.values().stream().filter(r -> r.pipeline().equals(name))
                .sorted(Comparator.comparingLong(RunRecord::id).reversed()).limit(20).toList();
        Optional<RunRecord> running = recent.stream().filter(r -> !r.status().isFinal()).findFirst();
        Optional<Instant> next = def.trigger() instanceof Trigger.Manual ? Optional.empty() : Optional.of(T0.plus(Duration.ofHours(1)));
        return Optional.of(new PipelineView(def, next, running, recent));
    }

    @Override
    public RunRecord trigger(String pipeline, String trigger) {
        return trigger(pipeline, trigger, dev.tributary.scheduler.RunRequest.ALL);
    }

    @Override
    public RunRecord trigger(String pipeline, String trigger, dev.tributary.scheduler.RunRequest request) {
        RunRecord run;
        synchronized (this) {
            PipelineDef def = definitions.get(pipeline);
            if (def == null) throw new UnknownPipelineException("no pipeline " + pipeline);
            List<StepDef> selected = request.select(def);
            run = start(def, trigger, Optional.empty(), selected);
            requests.put(run.id(), request);
        }
        listeners.forEach(l -> l.runStarted(run));
        return run;
    }

    private RunRecord start(PipelineDef def, String trigger, Optional<Long> rerunOf, List<StepDef> stepDefs) {
        runs.values().stream().filter(r -> r.pipeline().equals(def.name()) && !r.status().isFinal()).findFirst()
                .ifPresent(r -> { throw new AlreadyRunningException(def.name(), r.id()); });
        long id = nextId++;
        Instant started = T0.plus(Duration.ofMinutes(id));
        RunRecord run = new RunRecord(id, def.name(), RunStatus.RUNNING, trigger, started, Optional.of(started), Optional.empty(),
                Optional.empty(), rerunOf, 0);
        runs.put(id, run);
        List<StepRecord> records = new ArrayList<>();
        for (int i = 0; i < stepDefs.size(); i++) {
            StepDef s = stepDefs.get(i);
            records.add(new StepRecord(id, s.name(), s.kind(), i == 0 ? StepStatus.RUNNING : StepStatus.PENDING, 1,
                    i == 0 ? Optional.of(started) : Optional.empty(), Optional.empty(), 0, "", Optional.empty()));
        }
        steps.put(id, records);
        logs.put(id, new ArrayList<>());
        appendLog(id, "scheduler", "run " + id + " started (" + trigger + ")");
        return run;
    }

    /** Ends a live run: every step gets {@code stepStatus} (the first one carries {@code error} when given). */
    RunRecord finish(long id, RunStatus status, long records, Duration took, String error) {
        RunRecord done;
        RunStatus previous;
        synchronized (this) {
            RunRecord r = runs.get(id);
            previous = runs.values().stream().filter(o -> o.pipeline().equals(r.pipeline()) && o.id() < id && o.status().isFinal())
                    .max(Comparator.comparingLong(RunRecord::id)).map(RunRecord::status).orElse(null);
            Instant ended = r.startedAt().orElseThrow().plus(took);
            done = new RunRecord(id, r.pipeline(), status, r.trigger(), r.dueAt(), r.startedAt(), Optional.of(ended),
                    Optional.ofNullable(error), r.rerunOf(), records);
            runs.put(id, done);
            StepStatus stepStatus = status == RunStatus.SUCCEEDED ? StepStatus.SUCCEEDED : status == RunStatus.FAILED ? StepStatus.FAILED : StepStatus.CANCELLED;
            List<StepRecord> updated = new ArrayList<>();
            for (StepRecord s : steps.get(id)) {
                boolean first = updated.isEmpty();
                updated.add(new StepRecord(id, s.step(), s.kind(), first ? stepStatus : (stepStatus == StepStatus.SUCCEEDED ? StepStatus.SUCCEEDED : StepStatus.SKIPPED),
                        first ? 2 : 1, r.startedAt(), Optional.of(ended), first ? records : 0, first ? records + " records" : "",
                        first ? Optional.ofNullable(error) : Optional.empty()));
            }
            steps.put(id, updated);
            appendLog(id, "scheduler", "run " + id + " " + status.name().toLowerCase());
        }
        listeners.forEach(l -> l.runFinished(done, previous));
        return done;
    }

    synchronized void appendLog(long runId, String system, String message) {
        List<LogLine> lines = logs.get(runId);
        RunRecord r = runs.get(runId);
        lines.add(new LogLine(runId, lines.size() + 1, T0, "INFO", r.pipeline(), system, message));
    }

    @Override
    public synchronized boolean cancel(long runId) {
        RunRecord r = runs.get(runId);
        if (r == null || r.status().isFinal()) return false;
        runs.put(runId, new RunRecord(runId, r.pipeline(), RunStatus.CANCELLED, r.trigger(), r.dueAt(), r.startedAt(), r.startedAt(),
                Optional.empty(), r.rerunOf(), r.records()));
        return true;
    }

    @Override
    public synchronized RunRecord rerunFromFailed(long runId) {
        RunRecord r = runs.get(runId);
        if (r == null) throw new IllegalArgumentException("no run " + runId);
        if (r.status() != RunStatus.FAILED && r.status() != RunStatus.CANCELLED) throw new IllegalArgumentException("run " + runId + " did not fail");
        PipelineDef def = definitions.get(r.pipeline());
        List<StepDef> failed = def.steps().stream().filter(s -> steps.get(runId).stream()
                .anyMatch(rec -> rec.step().equals(s.name()) && rec.status() != StepStatus.SUCCEEDED)).toList();
        return start(def, "rerun", Optional.of(runId), failed);
    }

    /** Adds (or replaces, by step, kind and name) an item of a run, as a step records it. */
    synchronized void item(dev.tributary.scheduler.StepItem item) {
        List<dev.tributary.scheduler.StepItem> list = items.computeIfAbsent(item.runId(), k -> new ArrayList<>());
        list.removeIf(i -> i.step().equals(item.step()) && i.kind().equals(item.kind()) && i.name().equals(item.name()));
        list.add(item);
    }

    /** A finished run of the pipeline at a given time, as history (for the run grid and filters). */
    synchronized RunRecord addFinished(String pipeline, RunStatus status, Instant started, Duration took, String error) {
        long id = nextId++;
        RunRecord run = new RunRecord(id, pipeline, status, "schedule", started, Optional.of(started), Optional.of(started.plus(took)),
                Optional.ofNullable(error), Optional.empty(), 0);
        runs.put(id, run);
        steps.put(id, new ArrayList<>());
        logs.put(id, new ArrayList<>());
        return run;
    }

    @Override
    public synchronized dev.tributary.scheduler.RunRequest request(long runId) {
        return requests.getOrDefault(runId, dev.tributary.scheduler.RunRequest.ALL);
    }

    @Override
    public synchronized boolean pause(String pipeline, String by) {
        if (!definitions.containsKey(pipeline)) throw new UnknownPipelineException("no pipeline " + pipeline);
        return pauses.putIfAbsent(pipeline, new dev.tributary.scheduler.RunDetails.Pause(T0, by)) == null;
    }

    @Override
    public synchronized boolean resume(String pipeline) {
        if (!definitions.containsKey(pipeline)) throw new UnknownPipelineException("no pipeline " + pipeline);
        return pauses.remove(pipeline) != null;
    }

    @Override
    public synchronized Map<String, dev.tributary.scheduler.RunDetails.Pause> paused() {
        return Map.copyOf(pauses);
    }

    private final List<dev.tributary.scheduler.Backfill> backfillList = new ArrayList<>();

    /** A backfill record (the real scheduler computes the cron's times and starts runs; this one only keeps it). */
    @Override
    public synchronized dev.tributary.scheduler.Backfill backfill(String pipeline, Instant from, Instant to, String by) {
        PipelineDef def = definitions.get(pipeline);
        if (def == null) throw new UnknownPipelineException("no pipeline " + pipeline);
        if (!(def.trigger() instanceof Trigger.Cron)) throw new IllegalArgumentException("pipeline " + pipeline + " has no cron schedule");
        if (!from.isBefore(to)) throw new IllegalArgumentException("the backfill's from must be before its to");
        var b = new dev.tributary.scheduler.Backfill(backfillList.size() + 1, pipeline, from, to, List.of(from, to), 1, T0, by, Map.of("succeeded", 1));
        backfillList.add(0, b);
        return b;
    }

    @Override
    public synchronized List<dev.tributary.scheduler.Backfill> backfills(String pipeline) {
        return backfillList.stream().filter(b -> b.pipeline().equals(pipeline)).toList();
    }

    @Override
    public synchronized List<dev.tributary.scheduler.StepItem> itemsForRun(long runId) {
        return List.copyOf(items.getOrDefault(runId, List.of()));
    }

    @Override
    public synchronized List<dev.tributary.scheduler.StepItem> historyOf(String kind, String name, int limit) {
        return items.values().stream().flatMap(List::stream).filter(i -> i.kind().equals(kind) && i.name().equals(name))
                .sorted(Comparator.comparingLong(dev.tributary.scheduler.StepItem::runId).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized List<RunRecord> runs(RunQuery query) {
        return runs.values().stream()
                .filter(query::matches)
                .sorted(Comparator.comparingLong(RunRecord::id).reversed())
                .skip(query.offset()).limit(query.limit()).toList();
    }

    @Override
    public synchronized Optional<RunRecord> run(long runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public synchronized List<StepRecord> steps(long runId) {
        return List.copyOf(steps.getOrDefault(runId, List.of()));
    }

    @Override
    public synchronized List<LogLine> log(long runId, long afterSeq, int limit) {
        return logs.getOrDefault(runId, List.of()).stream().filter(l -> l.seq() > afterSeq).limit(limit).toList();
    }

    @Override
    public void addListener(RunEventListener listener) {
        listeners.add(listener);
    }
}
