package dev.tributary.scheduler;

import dev.tributary.spi.Config;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs pipelines: on their cron schedule or interval, by hand, and again from a failed step. Never two runs of one
 * pipeline at once; steps run as a DAG with retries; everything is recorded in the {@link MetadataStore}. A timer
 * thread waits on the {@link SchedulerClock} for the earliest due time and hands runs to a pool.
 * The store belongs to the caller: {@link #close()} does not close it.
 */
public final class Scheduler implements PipelineService, AutoCloseable {
    static final String INTERRUPTED = "interrupted: the server stopped during this run";
    static final String INTERRUPTED_CLI = "interrupted: the command's process ended without recording how";
    static final String SERVER_STOPPED = "server stopped";
    static final String CANCELLED = "cancelled";
    private static final String SYSTEM = "scheduler";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final Duration RETENTION_EVERY = Duration.ofDays(1);
    private static final Duration TIMER_BACK_OFF = Duration.ofMillis(100);
    private static final Duration TIMER_BACK_OFF_MAX = Duration.ofSeconds(10);
    private static final int RECENT_RUNS = 20;
    private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());

    final Map<String, PipelineDef> pipelines;
    final Map<String, CronSchedule> crons = new HashMap<>();
    final MetadataStore store;
    private final StepExecutor executor;
    final SchedulerClock clock;
    final SchedulerOptions options;
    /** Present when the store is shared by several serve processes (PostgreSQL): runs go through its queue. */
    private final SharedMode shared;
    private final List<RunEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService runPool;
    private final ExecutorService stepPool;

    final Object lock = new Object();
    // guarded by lock
    final Map<String, Instant> nextDue = new HashMap<>();
    private final Map<String, LiveRun> liveByPipeline = new HashMap<>();
    /** Changed under lock; read without it by the watchdog and the commit gate (a timer blocked in a store call holds the lock). */
    private final Map<Long, LiveRun> liveById = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, List<String>> skippedNotes = new HashMap<>();
    private Instant nextRetention;
    private boolean started;
    private volatile Thread timer;

    volatile boolean rescheduled;
    volatile boolean closing;

    public Scheduler(Map<String, PipelineDef> pipelines, MetadataStore store, StepExecutor executor, SchedulerClock clock,
                     SchedulerOptions options) {
        this.pipelines = new LinkedHashMap<>(Objects.requireNonNull(pipelines, "pipelines is null"));
        this.store = Objects.requireNonNull(store, "store is null");
        this.executor = Objects.requireNonNull(executor, "executor is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.options = Objects.requireNonNull(options, "options is null");
        for (PipelineDef p : this.pipelines.values()) {
            if (p.trigger() instanceof Trigger.Cron c) crons.put(p.name(), CronSchedule.parse(c.expression(), c.zone()));
        }
        this.shared = store.workQueue().map(q -> new SharedMode(this, q, options.worker(), options.maxConcurrentRuns())).orElse(null);
        this.runPool = Executors.newFixedThreadPool(options.maxConcurrentRuns(), daemonThreads("tributary-run-"));
        this.stepPool = Executors.newCachedThreadPool(daemonThreads("tributary-step-"));
    }

    /**
     * Marks runs a dead process left live as failed, deletes runs past retention, starts catch-up runs, then starts
     * the timer. Catch-up runs exist in the store when this returns.
     */
    public void start() {
        synchronized (lock) {
            if (started) throw new IllegalStateException("the scheduler was already started");
            if (closing) throw new IllegalStateException("the scheduler is closed");
            started = true;
        }
        markInterruptedRuns();
        Instant now = clock.now();
        if (shared != null) {
            synchronized (lock) {
                nextRetention = now; // the leader deletes old runs at its first tick
            }
            shared.start();
            startTimer();
            resumeBackfills();
            return;
        }
        deleteOldRuns(now);
        synchronized (lock) {
            nextRetention = now.plus(RETENTION_EVERY);
            for (PipelineDef p : pipelines.values()) {
                switch (p.trigger()) {
                    case Trigger.Cron c -> scheduleCronAtStart(p, crons.get(p.name()), now);
                    case Trigger.Interval i -> {
                        if (!liveByPipeline.containsKey(p.name())) nextDue.put(p.name(), intervalDueAtStart(p.name(), i, now));
                    }
                    case Trigger.Manual m -> { }
                }
            }
        }
        startTimer();
        resumeBackfills();
    }

    /** Backfills a stopped server left unfinished go on. */
    private void resumeBackfills() {
        try {
            store.details().backfills(null).stream().filter(b -> !b.done()).map(Backfill::pipeline).distinct().forEach(this::advanceBackfills);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not look for unfinished backfills: " + e.getMessage(), e);
        }
    }

    /** Whether the timer runs (or has yet to start): the heartbeat gives the leader lease up once it died. */
    boolean timerAlive() {
        Thread t = timer; // no lock: the timer holds it during store calls, and the heartbeat must not wait for those
        return t == null || t.isAlive();
    }

    private void startTimer() {
        Thread t = new Thread(this::timerLoop, "tributary-scheduler-timer");
        t.setDaemon(true);
        synchronized (lock) {
            timer = t;
        }
        t.start();
    }

    /**
     * An interval pipeline whose last run succeeded less than its pause ago waits out the rest of the pause (a restart
     * does not run it again at once); one that failed, was interrupted or never ran runs now.
     */
    private Instant intervalDueAtStart(String pipeline, Trigger.Interval interval, Instant now) {
        List<RunRecord> last = store.runs(RunQuery.latest(1).pipeline(pipeline));
        if (last.isEmpty() || last.get(0).status() != RunStatus.SUCCEEDED || last.get(0).endedAt().isEmpty()) return now;
        Instant due = last.get(0).endedAt().get().plus(interval.pause());
        return due.isAfter(now) ? due : now;
    }

    private void scheduleCronAtStart(PipelineDef p, CronSchedule cron, Instant now) {
        Optional<Instant> last = store.lastScheduled(p.name());
        Optional<Instant> latest = cron.latestAtOrBefore(now);
        if (last.isEmpty()) {
            // A pipeline seen for the first time has missed nothing: what it may catch up on starts now.
            store.setLastScheduled(p.name(), now);
        } else if (latest.isPresent() && latest.get().isAfter(last.get())) {
            boolean catchUp = options.catchUp().orElse(p.catchUp());
            store.setLastScheduled(p.name(), latest.get());
            if (catchUp && store.details().paused().containsKey(p.name())) {
                LOG.log(Level.INFO, "pipeline " + p.name() + ": paused, not catching up on the run due at " + latest.get());
            } else if (catchUp && !liveByPipeline.containsKey(p.name())) {
                startRunLocked(p, "catch-up", latest.get(), Optional.empty(), p.steps(), RunRequest.ALL);
            } else if (!catchUp) {
                LOG.log(Level.INFO, "pipeline " + p.name() + ": not catching up on the run due at " + latest.get() + " (catch_up is off)");
            }
        }
        cron.nextAfter(now).ifPresent(next -> nextDue.put(p.name(), next));
    }

    private void markInterruptedRuns() {
        Instant now = clock.now();
        for (RunRecord run : store.liveRuns()) {
            synchronized (lock) {
                if (liveById.containsKey(run.id())) continue;
            }
            List<StepRecord> steps = store.steps(run.id());
            // a CLI command runs in its own process, not this server's: left alone while that process lives
            boolean cli = CliRuns.PIPELINE.equals(run.pipeline());
            if (cli && CliRuns.processAlive(steps)) continue;
            if (shared != null && !cli) continue; // a worker's runs: handed back to the queue when its heartbeat expires
            String why = cli ? INTERRUPTED_CLI : INTERRUPTED;
            for (StepRecord s : steps) {
                switch (s.status()) {
                    case RUNNING, RETRYING -> store.saveStep(stepRecord(s, StepStatus.FAILED, now, Optional.of(why)));
                    case PENDING -> store.saveStep(stepRecord(s, StepStatus.CANCELLED, now, Optional.of(why)));
                    default -> { }
                }
            }
            toLogSink(store.appendNextLog(run.id(), now, "ERROR", run.pipeline(), SYSTEM, why));
            RunRecord failed = new RunRecord(run.id(), run.pipeline(), RunStatus.FAILED, run.trigger(), run.dueAt(), run.startedAt(),
                    Optional.of(now), Optional.of(why), run.rerunOf(), run.records());
            store.updateRun(failed);
            if (cli) continue; // never alerted: nobody scheduled it, and its terminal already said how it ended
            RunStatus previous = previousFinalStatus(failed);
            notifyListeners(l -> l.runFinished(failed, previous));
        }
    }

    private void deleteOldRuns(Instant now) {
        try {
            int deleted = store.deleteRunsBefore(now.minus(options.retention()));
            if (deleted > 0) LOG.log(Level.INFO, "deleted " + deleted + " runs older than " + options.retention().toDays() + " days");
            if (deleted > 0) store.details().deleteOrphans();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not delete old runs: " + e.getMessage(), e);
        }
    }

    private void timerLoop() {
        int failures = 0;
        while (!closing) {
            Instant wakeAt;
            Duration backOff = null;
            synchronized (lock) {
                rescheduled = false;
                Instant now = clock.now();
                try {
                    fireDue(now);
                    failures = 0;
                    wakeAt = now.plus(RETENTION_EVERY);
                    for (Instant due : nextDue.values()) if (due.isBefore(wakeAt)) wakeAt = due;
                    if (shared != null && now.plus(shared.tick()).isBefore(wakeAt)) wakeAt = now.plus(shared.tick());
                    // a follower neither deletes old runs nor fires: it only wakes to see whether it leads now
                    if (nextRetention.isBefore(wakeAt) && (shared == null || shared.leader())) wakeAt = nextRetention;
                } catch (RuntimeException e) {
                    // a store error must not end the timer: nothing would fire again while the heartbeat kept the lease
                    failures++;
                    Duration d = TIMER_BACK_OFF.multipliedBy(1L << Math.min(failures - 1, 6));
                    backOff = d.compareTo(TIMER_BACK_OFF_MAX) > 0 ? TIMER_BACK_OFF_MAX : d;
                    LOG.log(Level.ERROR, "could not fire the due schedules (attempt " + failures + "; trying again in "
                            + HumanDuration.format(backOff) + "): " + e.getMessage(), e);
                    wakeAt = now;
                }
            }
            if (backOff != null) {
                // the store's trouble is in real time, whatever the scheduler's clock says; the slots stay due meanwhile
                if (!backOffUntilClosing(backOff)) return;
                continue;
            }
            try {
                clock.waitUntil(wakeAt, () -> rescheduled || closing);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Sleeps in short steps so a close need not wait; false when interrupted. */
    private boolean backOffUntilClosing(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            for (long left = d.toNanos(); left > 0 && !closing; left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    // Called with the lock held.
    private void fireDue(Instant now) {
        if (shared != null && !shared.leader()) return;
        if (!nextRetention.isAfter(now)) {
            nextRetention = now.plus(RETENTION_EVERY);
            deleteOldRuns(now);
        }
        if (shared != null) {
            shared.fireDueLocked(now);
            return;
        }
        // All runs due now are created in one transaction, then started: creating them one by one (two commits each)
        // while the runs started first write their rows made the 100th run of a minute start seconds late.
        List<MetadataStore.NewRun> batch = new ArrayList<>();
        Map<String, Instant> scheduled = new LinkedHashMap<>();
        List<String> fired = new ArrayList<>();
        try {
            collectDueLocked(now, batch, scheduled, fired);
            createAndLaunchLocked(now, batch, scheduled);
        } finally {
            // the next due times after the runs started (cron arithmetic is slow: 100 pipelines took a second under load),
            // and whatever happened above, so a store failure cannot make the timer spin on the same due time
            advanceCronsLocked(fired, now);
        }
    }

    /**
     * When a cron pipeline is due: the due time itself, unless the clock jumped past a later one (cron times are at
     * least a minute apart, so only a delay of a minute or more needs the cron's arithmetic).
     */
    Instant dueAtLocked(String pipeline, Instant due, Instant now) {
        return Duration.between(due, now).compareTo(Duration.ofMinutes(1)) < 0 ? due : crons.get(pipeline).latestAtOrBefore(now).orElse(due);
    }

    /** Sets the next due times of the pipelines that fired; pipelines sharing a schedule share the arithmetic. */
    void advanceCronsLocked(List<String> fired, Instant now) {
        Map<String, Optional<Instant>> bySchedule = new HashMap<>();
        for (String p : fired) {
            CronSchedule cron = crons.get(p);
            bySchedule.computeIfAbsent(cron.toString(), k -> cron.nextAfter(now)).ifPresentOrElse(next -> nextDue.put(p, next), () -> nextDue.remove(p));
        }
    }

    private void collectDueLocked(Instant now, List<MetadataStore.NewRun> batch, Map<String, Instant> scheduled, List<String> fired) {
        Set<String> paused = null; // read from the store once something is due: another serve process may have paused it
        for (PipelineDef p : pipelines.values()) {
            Instant due = nextDue.get(p.name());
            if (due == null || due.isAfter(now)) continue;
            if (paused == null) paused = store.details().paused().keySet();
            if (paused.contains(p.name())) {
                skipPausedLocked(p, due, now, fired, scheduled);
                continue;
            }
            if (p.trigger() instanceof Trigger.Cron) {
                Instant dueAt = dueAtLocked(p.name(), due, now);
                fired.add(p.name());
                LiveRun running = liveByPipeline.get(p.name());
                if (running != null) {
                    String note = "skipped the run due at " + dueAt + ": run " + running.id() + " was still running";
                    skippedNotes.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(note);
                    LOG.log(Level.INFO, "pipeline " + p.name() + ": " + note);
                } else {
                    batch.add(new MetadataStore.NewRun(p.name(), "schedule", dueAt, Optional.empty()));
                }
                scheduled.put(p.name(), dueAt);
            } else {
                nextDue.remove(p.name());
                if (!liveByPipeline.containsKey(p.name())) batch.add(new MetadataStore.NewRun(p.name(), "schedule", due, Optional.empty()));
            }
        }
    }

    /** A paused pipeline's due time passes without a run: a cron slot is used up (no catch-up later), an interval looks again a pause later. */
    void skipPausedLocked(PipelineDef p, Instant due, Instant now, List<String> fired, Map<String, Instant> scheduled) {
        if (p.trigger() instanceof Trigger.Interval i) {
            nextDue.put(p.name(), now.plus(i.pause()));
            return;
        }
        Instant dueAt = dueAtLocked(p.name(), due, now);
        fired.add(p.name());
        if (scheduled != null) scheduled.put(p.name(), dueAt);
        LOG.log(Level.INFO, "pipeline " + p.name() + ": paused, no run for " + dueAt);
    }

    private void createAndLaunchLocked(Instant now, List<MetadataStore.NewRun> batch, Map<String, Instant> scheduled) {
        if (batch.isEmpty() && scheduled.isEmpty()) return;
        if (closing) return;
        List<RunRecord> created;
        try {
            created = store.createRuns(batch, scheduled);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "could not start the runs due at " + now + " (" + batch.stream().map(MetadataStore.NewRun::pipeline)
                    .collect(Collectors.joining(", ")) + "): " + e.getMessage(), e);
            return;
        }
        for (RunRecord record : created) {
            PipelineDef p = pipelines.get(record.pipeline());
            try {
                launchLocked(p, record, p.steps());
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "pipeline " + p.name() + ": could not start run " + record.id() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<PipelineView> pipelines() {
        return pipelines.values().stream().map(this::view).toList();
    }

    @Override
    public Optional<PipelineView> pipeline(String name) {
        return Optional.ofNullable(pipelines.get(name)).map(this::view);
    }

    private PipelineView view(PipelineDef p) {
        Optional<Instant> next;
        Optional<RunRecord> running;
        synchronized (lock) {
            next = Optional.ofNullable(nextDue.get(p.name()));
            running = Optional.ofNullable(liveByPipeline.get(p.name())).map(LiveRun::record);
        }
        List<RunRecord> recent = store.runs(RunQuery.latest(RECENT_RUNS).pipeline(p.name()));
        if (shared != null) {
            // the run may live on another worker, and only the leader keeps due times: both come from the store
            running = recent.stream().filter(r -> !r.status().isFinal()).findFirst();
            if (!shared.leader()) next = computedNextRun(p, recent);
        }
        return new PipelineView(p, next, running, recent);
    }

    /** A follower's answer to "when next": the cron's next time, or the last run's end plus the pause. */
    private Optional<Instant> computedNextRun(PipelineDef p, List<RunRecord> recent) {
        Instant now = clock.now();
        return switch (p.trigger()) {
            case Trigger.Cron c -> crons.get(p.name()).nextAfter(now);
            case Trigger.Interval i -> recent.isEmpty() ? Optional.of(now)
                    : recent.get(0).status().isFinal() ? Optional.of(recent.get(0).endedAt().map(e -> e.plus(i.pause())).orElse(now)) : Optional.empty();
            case Trigger.Manual m -> Optional.empty();
        };
    }

    /** When the pipeline runs next by itself: empty for manual pipelines, and for interval ones while they run. */
    public Optional<Instant> nextRun(String pipeline) {
        PipelineDef p = definition(pipeline);
        if (shared != null && !shared.leader()) return computedNextRun(p, store.runs(RunQuery.latest(1).pipeline(pipeline)));
        synchronized (lock) {
            return Optional.ofNullable(nextDue.get(pipeline));
        }
    }

    /** Whether this process fires the schedules (always, unless several workers share the store and another leads). */
    public boolean firesSchedules() {
        return shared == null || shared.leader();
    }

    /** This process's worker id when several share the store. */
    public Optional<String> workerId() {
        return shared == null ? Optional.empty() : Optional.of(shared.opts.workerId());
    }

    @Override
    public RunRecord trigger(String pipeline, String trigger) {
        return trigger(pipeline, trigger, RunRequest.ALL);
    }

    @Override
    public RunRecord trigger(String pipeline, String trigger, RunRequest request) {
        Objects.requireNonNull(trigger, "trigger is null");
        Objects.requireNonNull(request, "request is null");
        PipelineDef p = definition(pipeline);
        List<StepDef> steps = request.select(p);
        if (shared != null) {
            if (closing) throw new IllegalStateException("the scheduler is stopping; no new runs");
            return shared.enqueue(p, trigger, clock.now(), Optional.empty(), request, Optional.empty());
        }
        synchronized (lock) {
            return startRunLocked(p, trigger, clock.now(), Optional.empty(), steps, request).record();
        }
    }

    @Override
    public Backfill backfill(String pipeline, Instant from, Instant to, String by) {
        PipelineDef p = definition(pipeline);
        CronSchedule cron = crons.get(pipeline);
        if (cron == null) {
            throw new IllegalArgumentException("pipeline " + pipeline + " runs " + p.trigger().describe()
                    + ": a backfill runs a pipeline once for each time of its cron schedule in a range");
        }
        if (!from.isBefore(to)) throw new IllegalArgumentException("the backfill's from (" + from + ") must be before its to (" + to + ")");
        List<Instant> slots = new ArrayList<>();
        Optional<Instant> next = cron.latestAtOrBefore(from).filter(from::equals).or(() -> cron.nextAfter(from));
        while (next.isPresent() && !next.get().isAfter(to)) {
            slots.add(next.get());
            if (slots.size() > Backfill.MAX_SLOTS) {
                throw new IllegalArgumentException("a backfill covers at most " + Backfill.MAX_SLOTS + " scheduled times; " + from + " to " + to
                        + " has more of " + p.trigger().describe());
            }
            next = cron.nextAfter(next.get());
        }
        if (slots.isEmpty()) throw new IllegalArgumentException("no time of " + p.trigger().describe() + " falls between " + from + " and " + to);
        long id = store.details().createBackfill(pipeline, from, to, slots, clock.now(), by);
        LOG.log(Level.INFO, "pipeline " + pipeline + ": backfill " + id + " of " + slots.size() + " scheduled times from " + slots.get(0) + " to "
                + slots.get(slots.size() - 1) + " (one run at a time)");
        advanceBackfills(pipeline);
        return store.details().backfills(pipeline).stream().filter(b -> b.id() == id).findFirst().orElseThrow();
    }

    @Override
    public List<Backfill> backfills(String pipeline) {
        definition(pipeline);
        return store.details().backfills(pipeline);
    }

    /**
     * Gives the next scheduled time of the pipeline's oldest unfinished backfill a run, when the pipeline has none live:
     * one run per backfill at a time, so scheduled and manual runs interleave with it. Called when a backfill is made,
     * when a run of the pipeline ends, and at start.
     */
    void advanceBackfills(String pipeline) {
        if (closing) return;
        PipelineDef p = pipelines.get(pipeline);
        if (p == null) return;
        try {
            List<Backfill> all = new ArrayList<>(store.details().backfills(pipeline));
            java.util.Collections.reverse(all); // oldest first
            for (Backfill b : all) {
                if (b.started() >= b.total()) continue;
                if (b.finished() < b.started()) return; // its run is still live: the next waits for it
                int index = b.started();
                if (!store.details().markStarted(b.id(), index)) return; // another process gave this slot its run
                Instant slot = b.slots().get(index);
                RunRequest request = new RunRequest(List.of(), Map.of(Backfill.LOGICAL_DATE, slot.toString()));
                try {
                    if (shared != null) {
                        shared.enqueue(p, "backfill", slot, Optional.empty(), request, Optional.of(b.id()));
                    } else {
                        synchronized (lock) {
                            startRunLocked(p, "backfill", slot, Optional.empty(), p.steps(), request, Optional.of(b.id()));
                        }
                    }
                } catch (AlreadyRunningException busy) {
                    // a scheduled or manual run goes first; the backfill goes on when it ends
                    store.details().unmarkStarted(b.id(), index);
                }
                return;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "pipeline " + pipeline + ": could not start the next backfill run (tried again when its next run ends): " + e.getMessage(), e);
        }
    }

    @Override
    public List<StepItem> itemsForRun(long runId) {
        return store.details().items(runId);
    }

    @Override
    public List<StepItem> historyOf(String kind, String name, int limit) {
        return store.details().history(kind, name, limit);
    }

    @Override
    public boolean pause(String pipeline, String by) {
        definition(pipeline);
        return store.details().pause(pipeline, by, clock.now());
    }

    @Override
    public boolean resume(String pipeline) {
        definition(pipeline);
        return store.details().resume(pipeline);
    }

    @Override
    public Map<String, RunDetails.Pause> paused() {
        return store.details().paused();
    }

    @Override
    public RunRequest request(long runId) {
        return store.details().request(runId);
    }

    @Override
    public RunRecord rerunFromFailed(long runId) {
        RunRecord original = store.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        if (original.status() != RunStatus.FAILED && original.status() != RunStatus.CANCELLED) {
            throw new IllegalArgumentException("run " + runId + " did not fail (it is " + original.status() + ")");
        }
        PipelineDef p = definition(original.pipeline());
        Set<String> succeeded = store.steps(runId).stream().filter(s -> s.status() == StepStatus.SUCCEEDED)
                .map(StepRecord::step).collect(Collectors.toSet());
        List<StepDef> remaining = p.steps().stream().filter(s -> !succeeded.contains(s.name())).toList();
        if (remaining.isEmpty()) throw new IllegalArgumentException("run " + runId + ": every step succeeded; nothing to re-run");
        // a re-run keeps what the run asked for: its steps (less those that succeeded) and its vars (a backfill's logical_date)
        RunRequest asked = store.details().request(runId);
        List<StepDef> rerun = asked.steps().isEmpty() ? remaining : remaining.stream().filter(s -> asked.steps().contains(s.name())).toList();
        if (rerun.isEmpty()) throw new IllegalArgumentException("run " + runId + ": every step it asked for succeeded; nothing to re-run");
        if (shared != null) {
            if (closing) throw new IllegalStateException("the scheduler is stopping; no new runs");
            return shared.enqueue(p, "rerun", clock.now(), Optional.of(runId), asked, Optional.empty());
        }
        synchronized (lock) {
            return startRunLocked(p, "rerun", clock.now(), Optional.of(runId), rerun, asked).record();
        }
    }

    private PipelineDef definition(String name) {
        PipelineDef p = pipelines.get(name);
        if (p == null) {
            throw new UnknownPipelineException("no pipeline '" + name + "'" + Config.didYouMean(String.valueOf(name), List.copyOf(pipelines.keySet()))
                    + "; pipelines: " + String.join(", ", pipelines.keySet()));
        }
        return p;
    }

    // Called with the lock held, which is what makes "never two runs of one pipeline" hold.
    private LiveRun startRunLocked(PipelineDef p, String trigger, Instant dueAt, Optional<Long> rerunOf, List<StepDef> steps, RunRequest request) {
        return startRunLocked(p, trigger, dueAt, rerunOf, steps, request, Optional.empty());
    }

    private LiveRun startRunLocked(PipelineDef p, String trigger, Instant dueAt, Optional<Long> rerunOf, List<StepDef> steps, RunRequest request,
                                   Optional<Long> backfill) {
        if (closing) throw new IllegalStateException("the scheduler is stopping; no new runs");
        LiveRun existing = liveByPipeline.get(p.name());
        if (existing != null) throw new AlreadyRunningException(p.name(), existing.id());
        RunRecord record = store.createRun(p.name(), trigger, dueAt, rerunOf);
        store.details().saveRequest(record.id(), request, backfill);
        return launchLocked(p, record, steps);
    }

    // Called with the lock held: the run exists in the store; it starts on the pool.
    private LiveRun launchLocked(PipelineDef p, RunRecord record, List<StepDef> steps) {
        List<String> notes = Optional.ofNullable(skippedNotes.remove(p.name())).orElse(List.of());
        LiveRun live = new LiveRun(record, p, steps, notes);
        liveByPipeline.put(p.name(), live);
        liveById.put(record.id(), live);
        if (p.trigger() instanceof Trigger.Interval) nextDue.remove(p.name());
        try {
            runPool.execute(() -> execute(live));
        } catch (RejectedExecutionException e) {
            liveByPipeline.remove(p.name());
            liveById.remove(record.id());
            throw new IllegalStateException("the scheduler is stopping; no new runs", e);
        }
        return live;
    }

    @Override
    public boolean cancel(long runId) {
        return cancel(runId, CANCELLED);
    }

    boolean cancel(long runId, String reason) {
        LiveRun live = liveById.get(runId);
        if (live == null) return shared != null && cancelElsewhere(runId, reason);
        live.cancel(reason);
        clock.wakeUp();
        if (live.claim()) {
            // It never started: no thread will pick it up, so it ends here.
            finishRun(live, RunStatus.CANCELLED, Optional.of(reason), 0);
        }
        return true;
    }

    /** A run not live here: a queued one is cancelled in the store, a running one gets a request its worker acts on. */
    private boolean cancelElsewhere(long runId, String reason) {
        WorkQueue.CancelResult result = shared.queue.requestCancel(runId, reason, clock.now());
        if (result == WorkQueue.CancelResult.CANCELLED_QUEUED) {
            store.run(runId).ifPresent(r -> {
                RunStatus previous = previousFinalStatus(r);
                notifyListeners(l -> l.runFinished(r, previous));
            });
        }
        return result != WorkQueue.CancelResult.NOT_LIVE;
    }

    List<LiveRun> liveRuns() {
        return List.copyOf(liveById.values());
    }

    /** Stops a run this worker no longer owns (taken over by another): it is cancelled here, and its end is not recorded here. */
    void abandon(LiveRun live, String why) {
        LOG.log(Level.WARNING, "run " + live.id() + " of " + live.pipeline.name() + ": " + why);
        live.abandoned.set(true);
        cancel(live.id(), why);
    }

    /** Starts a run this worker claimed from the shared queue. */
    void launchClaimed(WorkQueue.Claimed claimed) {
        RunRecord run = claimed.run();
        PipelineDef p = pipelines.get(run.pipeline());
        if (p == null) {
            RunRecord failed = new RunRecord(run.id(), run.pipeline(), RunStatus.FAILED, run.trigger(), run.dueAt(), run.startedAt(), Optional.of(clock.now()),
                    Optional.of("pipeline " + run.pipeline() + " is not in the tributary.yml of worker " + shared.opts.workerId()
                            + " (do all workers run the same project?)"), run.rerunOf(), run.records());
            shared.queue.finish(failed, claimed.instance());
            return;
        }
        long earlier = store.steps(run.id()).stream().filter(st -> st.status() == StepStatus.SUCCEEDED).mapToLong(StepRecord::records).sum();
        LiveRun live = new LiveRun(run, p, shared.remainingSteps(p, run), claimed.notes(), claimed.claims(), earlier);
        live.claimedBy = claimed.instance();
        synchronized (lock) {
            if (liveById.containsKey(run.id())) {
                // an abandoned copy of this run still ends here: never two executions of one run in one process
                LOG.log(Level.WARNING, "run " + run.id() + " is still ending here after it was taken over; handing it back to the queue");
                shared.queue.handBack(run.id(), p.name(), claimed.instance(), shared.opts.workerId());
                return;
            }
            liveByPipeline.put(p.name(), live);
            liveById.put(run.id(), live);
            try {
                runPool.execute(() -> execute(live));
            } catch (RejectedExecutionException e) {
                liveByPipeline.remove(p.name(), live);
                liveById.remove(run.id(), live);
                shared.queue.handBack(run.id(), p.name(), claimed.instance(), shared.opts.workerId());
            }
        }
    }

    @Override
    public List<RunRecord> runs(RunQuery query) {
        return store.runs(query);
    }

    @Override
    public Optional<RunRecord> run(long runId) {
        return store.run(runId);
    }

    @Override
    public List<StepRecord> steps(long runId) {
        return store.steps(runId);
    }

    @Override
    public List<LogLine> log(long runId, long afterSeq, int limit) {
        return store.log(runId, afterSeq, limit);
    }

    @Override
    public void addListener(RunEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener is null"));
    }

    // ---- one run ----

    private void execute(LiveRun live) {
        if (!live.claim()) return;
        long records = 0;
        try {
            if (live.cancelled()) {
                finishRun(live, RunStatus.CANCELLED, Optional.of(live.cancelReason()), 0);
                return;
            }
            RunRecord queued = live.record();
            live.request = store.details().request(queued.id());
            RunRecord running;
            if (shared == null) {
                running = new RunRecord(queued.id(), queued.pipeline(), RunStatus.RUNNING, queued.trigger(), queued.dueAt(),
                        Optional.of(clock.now()), Optional.empty(), Optional.empty(), queued.rerunOf(), 0);
                store.updateRun(running);
                live.record(running);
            } else {
                running = queued; // the claim made it RUNNING
            }
            if (live.claims == 1) notifyListeners(l -> l.runStarted(running));
            String where = shared == null ? "" : " on worker " + shared.opts.workerId();
            if (live.claims > 1) {
                log(live, "INFO", SYSTEM, "run " + running.id() + " resumed" + where + " (claim " + live.claims + "): steps that succeeded are not run again,"
                        + " a sync continues from its last commit");
            } else {
                log(live, "INFO", SYSTEM, "run " + running.id() + " started" + where + " (trigger " + running.trigger() + ", due " + running.dueAt()
                        + running.rerunOf().map(r -> ", re-running run " + r).orElse("") + ")");
            }
            for (String note : live.notes) log(live, "INFO", SYSTEM, note);
            DagResult result = runSteps(live);
            records = result.records + live.earlierRecords;
            if (live.cancelled()) {
                finishRun(live, RunStatus.CANCELLED, Optional.of(live.cancelReason()), records);
            } else if (!result.failures.isEmpty()) {
                finishRun(live, RunStatus.FAILED, Optional.of(String.join("; ", result.failures)), records);
            } else {
                finishRun(live, RunStatus.SUCCEEDED, Optional.empty(), records);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "run " + live.id() + " of " + live.pipeline.name() + " broke: " + e, e);
            finishRun(live, RunStatus.FAILED, Optional.of("internal error: " + e), records);
        }
    }

    private record StepResult(String step, StepStatus status, long records, Optional<String> error) {}

    private record DagResult(long records, List<String> failures) {}

    private DagResult runSteps(LiveRun live) {
        Map<String, StepStatus> state = new LinkedHashMap<>();
        Map<String, StepDef> byName = new LinkedHashMap<>();
        for (StepDef s : live.steps) {
            state.put(s.name(), StepStatus.PENDING);
            byName.put(s.name(), s);
            saveStep(live, new StepRecord(live.id(), s.name(), s.kind(), StepStatus.PENDING, 0, Optional.empty(), Optional.empty(), 0, "",
                    Optional.empty()));
        }
        BlockingQueue<StepResult> finished = new LinkedBlockingQueue<>();
        List<String> failures = new ArrayList<>();
        long records = 0;
        int running = 0;
        while (true) {
            if (!live.cancelled()) running += startReadySteps(live, state, byName, finished);
            if (running == 0) break;
            StepResult r;
            try {
                r = finished.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                live.cancel(SERVER_STOPPED);
                break;
            }
            running--;
            state.put(r.step, r.status);
            records += r.records;
            if (r.status == StepStatus.FAILED) failures.add("step " + r.step + " failed: " + r.error.orElse("unknown error"));
        }
        for (Map.Entry<String, StepStatus> e : state.entrySet()) {
            if (e.getValue() == StepStatus.PENDING) {
                StepDef s = byName.get(e.getKey());
                saveStep(live, new StepRecord(live.id(), s.name(), s.kind(), StepStatus.CANCELLED, 0, Optional.empty(), Optional.empty(), 0,
                        "cancelled before it started", Optional.empty()));
                e.setValue(StepStatus.CANCELLED);
            }
        }
        return new DagResult(records, failures);
    }

    /** Skips steps whose dependencies did not succeed and starts those whose dependencies did; returns how many started. */
    private int startReadySteps(LiveRun live, Map<String, StepStatus> state, Map<String, StepDef> byName, BlockingQueue<StepResult> finished) {
        int started = 0;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (StepDef s : live.steps) {
                if (state.get(s.name()) != StepStatus.PENDING) continue;
                Optional<String> blocked = Optional.empty();
                boolean ready = true;
                for (String d : s.dependsOn()) {
                    StepStatus ds = state.get(d);
                    if (ds == null || ds == StepStatus.SUCCEEDED) continue; // outside this run (a re-run): it succeeded before
                    if (ds == StepStatus.FAILED || ds == StepStatus.SKIPPED || ds == StepStatus.CANCELLED) {
                        blocked = Optional.of(d);
                    }
                    ready = false;
                }
                if (blocked.isPresent()) {
                    state.put(s.name(), StepStatus.SKIPPED);
                    Instant now = clock.now();
                    StepRecord skipped = new StepRecord(live.id(), s.name(), s.kind(), StepStatus.SKIPPED, 0, Optional.empty(),
                            Optional.of(now), 0, "skipped: " + blocked.get() + " did not succeed", Optional.empty());
                    saveStep(live, skipped);
                    log(live, "WARN", SYSTEM, "step " + s.name() + " skipped: " + blocked.get() + " did not succeed");
                    notifyListeners(l -> l.stepFinished(live.record(), skipped));
                    changed = true;
                } else if (ready) {
                    state.put(s.name(), StepStatus.RUNNING);
                    stepPool.execute(() -> finished.add(runStep(live, s)));
                    started++;
                    changed = true;
                }
            }
        }
        return started;
    }

    /** All attempts of one step; never throws. */
    private StepResult runStep(LiveRun live, StepDef step) {
        RetrySettings retry = step.retry().orElse(live.pipeline.retry());
        long records = 0;
        Instant firstStart = null;
        for (int attempt = 1; ; attempt++) {
            try {
                if (live.cancelled()) return cancelledStep(live, step, attempt - 1, firstStart, records, "cancelled");
                Instant started = clock.now();
                if (firstStart == null) firstStart = started;
                saveStep(live, new StepRecord(live.id(), step.name(), step.kind(), StepStatus.RUNNING, attempt, Optional.of(firstStart),
                        Optional.empty(), records, "", Optional.empty()));
                log(live, "INFO", SYSTEM, "step " + step.name() + " started" + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
                StepOutcome outcome = attempt(live, step, attempt);
                records += outcome.records();
                Instant ended = clock.now();
                if (outcome.ok()) {
                    StepRecord done = new StepRecord(live.id(), step.name(), step.kind(), StepStatus.SUCCEEDED, attempt, Optional.of(firstStart),
                            Optional.of(ended), records, outcome.summary(), Optional.empty());
                    saveStep(live, done);
                    log(live, "INFO", SYSTEM, "step " + step.name() + " succeeded" + (outcome.summary().isEmpty() ? "" : ": " + outcome.summary()));
                    notifyListeners(l -> l.stepFinished(live.record(), done));
                    return new StepResult(step.name(), StepStatus.SUCCEEDED, records, Optional.empty());
                }
                String error = outcome.error().orElse("failed");
                if (live.cancelled()) return cancelledStep(live, step, attempt, firstStart, records, error);
                if (attempt > retry.maxRetries() || !outcome.retryable()) {
                    StepRecord failed = new StepRecord(live.id(), step.name(), step.kind(), StepStatus.FAILED, attempt, Optional.of(firstStart),
                            Optional.of(ended), records, outcome.summary(), Optional.of(error));
                    saveStep(live, failed);
                    // a deterministic failure would only happen again: say why the configured retries were not used
                    String why = !outcome.retryable() && attempt <= retry.maxRetries() ? " (not retried: trying again would fail the same way)" : "";
                    log(live, "ERROR", SYSTEM, "step " + step.name() + " failed" + (attempt > 1 ? " after " + attempt + " attempts" : "") + ": " + error + why);
                    notifyListeners(l -> l.stepFinished(live.record(), failed));
                    return new StepResult(step.name(), StepStatus.FAILED, records, Optional.of(error));
                }
                Duration wait = RetryBackoff.delay(retry, attempt, options.jitter());
                Instant retryAt = ended.plus(wait);
                StepRecord retrying = new StepRecord(live.id(), step.name(), step.kind(), StepStatus.RETRYING, attempt, Optional.of(firstStart),
                        Optional.empty(), records, outcome.summary(), Optional.of(error));
                saveStep(live, retrying);
                log(live, "WARN", SYSTEM, "step " + step.name() + " failed (attempt " + attempt + " of " + (retry.maxRetries() + 1) + "): "
                        + error + "; a transient failure, retrying in " + HumanDuration.format(wait));
                notifyListeners(l -> l.stepRetrying(live.record(), retrying, wait));
                while (!live.cancelled() && !clock.waitUntil(retryAt, live::cancelled)) {
                    // woken early for another reason: wait on
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                live.cancel(SERVER_STOPPED);
                return cancelledStep(live, step, attempt, firstStart, records, SERVER_STOPPED);
            } catch (RuntimeException e) {
                // the store failed; the step cannot be recorded, so the run fails with it
                LOG.log(Level.ERROR, "step " + step.name() + " of run " + live.id() + ": " + e.getMessage(), e);
                return new StepResult(step.name(), StepStatus.FAILED, records, Optional.of(e.toString()));
            }
        }
    }

    private StepOutcome attempt(LiveRun live, StepDef step, int attempt) {
        StepContext context = new RunStepContext(live, step, attempt);
        // debug: each execution's span on the machine's monotonic clock, so tests can show two copies of a run never overlap
        String execution = "run " + live.id() + " step " + step.name() + " attempt " + attempt + (shared == null ? "" : " on worker " + shared.opts.workerId());
        LOG.log(Level.DEBUG, () -> "step execution began: " + execution + " (monotonic " + System.nanoTime() + ")");
        try {
            StepOutcome outcome = executor.execute(context);
            return outcome == null ? StepOutcome.failure(0, "", "the step returned no outcome") : outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StepOutcome.failure(0, "", "interrupted");
        } catch (Exception | LinkageError | AssertionError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return StepFailures.isTransient(e) ? StepOutcome.transientFailure(0, "", message) : StepOutcome.failure(0, "", message);
        } finally {
            LOG.log(Level.DEBUG, () -> "step execution ended: " + execution + " (monotonic " + System.nanoTime() + ")");
        }
    }

    private StepResult cancelledStep(LiveRun live, StepDef step, int attempt, Instant firstStart, long records, String why) {
        StepRecord cancelled = new StepRecord(live.id(), step.name(), step.kind(), StepStatus.CANCELLED, attempt,
                Optional.ofNullable(firstStart), Optional.of(clock.now()), records, "cancelled", Optional.of(why));
        saveStep(live, cancelled);
        log(live, "WARN", SYSTEM, "step " + step.name() + " cancelled");
        notifyListeners(l -> l.stepFinished(live.record(), cancelled));
        return new StepResult(step.name(), StepStatus.CANCELLED, records, Optional.empty());
    }

    private final class RunStepContext implements StepContext {
        private final LiveRun live;
        private final StepDef step;
        private final int attempt;

        RunStepContext(LiveRun live, StepDef step, int attempt) {
            this.live = live;
            this.step = step;
            this.attempt = attempt;
        }

        @Override
        public String pipeline() {
            return live.pipeline.name();
        }

        @Override
        public long runId() {
            return live.id();
        }

        @Override
        public StepDef step() {
            return step;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public void log(String system, String message) {
            Scheduler.this.log(live, "INFO", system, message);
        }

        @Override
        public boolean cancelled() {
            return live.cancelled();
        }

        @Override
        public Map<String, String> vars() {
            return live.request.vars();
        }

        @Override
        public void item(StepItem item) {
            if (item.runId() != live.id() || !item.step().equals(step.name())) {
                throw new IllegalArgumentException("item " + item.name() + " belongs to run " + item.runId() + " step " + item.step()
                        + ", not to run " + live.id() + " step " + step.name());
            }
            try {
                store.details().saveItem(item);
            } catch (RuntimeException e) {
                // the step's work goes on; its detail row is missing from the run page, and the log says so
                Scheduler.this.log(live, "WARN", SYSTEM, "could not record " + item.kind() + " " + item.name() + ": " + e.getMessage());
            }
        }

        @Override
        public void onCancel(Runnable action) {
            live.onCancel(action);
        }

        @Override
        public boolean mayCommit() {
            return mayWrite(live);
        }
    }

    private void finishRun(LiveRun live, RunStatus status, Optional<String> error, long records) {
        live.finishing.set(true);
        Instant now = clock.now();
        RunRecord before = live.record();
        RunRecord done = new RunRecord(before.id(), before.pipeline(), status, before.trigger(), before.dueAt(),
                before.startedAt(), Optional.of(now), error, before.rerunOf(), records);
        boolean recorded = true;
        if (shared != null) mayWrite(live); // a worker out of touch with the store records nothing: the run is abandoned here
        if (shared != null && (live.abandoned.get() || status == RunStatus.CANCELLED && SERVER_STOPPED.equals(live.cancelReason()))) {
            // taken over by another worker, or this worker stops: the run is not over, another worker resumes it
            recorded = false;
            if (!live.abandoned.get()) {
                try {
                    if (!shared.queue.handBack(done.id(), done.pipeline(), live.claimedBy, shared.opts.workerId())) recorded = recordEnd(live, done, records);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "run " + done.id() + ": could not hand it back to the queue (another worker resumes it after this one's timeout): "
                            + e.getMessage(), e);
                }
            }
        } else {
            recorded = recordEnd(live, done, records);
        }
        live.record(done);
        if (!recorded) {
            synchronized (lock) {
                liveByPipeline.remove(done.pipeline(), live);
                liveById.remove(done.id(), live);
            }
            shared.wakeClaimer();
            live.ended();
            return;
        }
        RunStatus previous = previousFinalStatus(done);
        synchronized (lock) {
            liveByPipeline.remove(done.pipeline(), live);
            liveById.remove(done.id(), live);
            if (live.pipeline.trigger() instanceof Trigger.Interval interval && !closing) {
                nextDue.put(done.pipeline(), now.plus(interval.pause()));
                rescheduled = true;
            }
        }
        clock.wakeUp();
        if (shared != null) shared.wakeClaimer();
        advanceBackfills(done.pipeline()); // ui1: a backfill's next run, now that the pipeline is idle
        notifyListeners(l -> l.runFinished(done, previous));
        live.ended();
    }

    /** Logs and stores a run's end; false when the store says another worker holds the run now. */
    private boolean recordEnd(LiveRun live, RunRecord done, long records) {
        try {
            if (shared != null && !shared.queue.claimedRuns(live.claimedBy).containsKey(done.id())) {
                LOG.log(Level.WARNING, "run " + done.id() + " was taken over by another worker; its end here is not recorded");
                return false;
            }
            log(live, done.status() == RunStatus.SUCCEEDED ? "INFO" : "ERROR", SYSTEM, "run " + done.id() + " " + done.status().name().toLowerCase()
                    + done.duration().map(d -> " in " + HumanDuration.format(d)).orElse("") + (records > 0 ? ", " + records + " records" : "")
                    + done.error().map(e -> ": " + e).orElse(""));
            if (shared == null) {
                store.updateRun(done);
            } else if (!shared.queue.finish(done, live.claimedBy)) {
                LOG.log(Level.WARNING, "run " + done.id() + " was taken over by another worker; its end here is not recorded");
                return false;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "run " + done.id() + ": could not record its end (" + done.status() + "): " + e.getMessage(), e);
        }
        return true;
    }

    private RunStatus previousFinalStatus(RunRecord run) {
        try {
            return store.runs(RunQuery.latest(10).pipeline(run.pipeline())).stream()
                    .filter(r -> r.id() < run.id() && r.status().isFinal()).map(RunRecord::status).findFirst().orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether this process may still write for the run: on a shared store, only while the run is not abandoned and a
     * heartbeat succeeded within half the worker timeout (a worker that froze or lost the store writes nothing more:
     * another worker may resume the run once the timeout passed). The first refusal abandons the run here.
     */
    boolean mayWrite(LiveRun live) {
        if (shared == null) return true;
        if (live.abandoned.get()) return false;
        if (shared.leaseFresh()) return true;
        abandon(live, SharedMode.STORE_SILENT);
        return false;
    }

    /** Stores a step's state unless this process may no longer write for the run (see {@link #mayWrite}). */
    private void saveStep(LiveRun live, StepRecord step) {
        if (!mayWrite(live)) {
            LOG.log(Level.WARNING, "run " + live.id() + ": step " + step.step() + " " + step.status() + " not recorded: this worker no longer holds the run");
            return;
        }
        store.saveStep(step);
    }

    private void log(LiveRun live, String level, String system, String message) {
        if (!mayWrite(live)) {
            LOG.log(Level.WARNING, "run " + live.id() + " (not stored: this worker no longer holds the run): [" + system + "] " + message);
            return;
        }
        LogLine line;
        try {
            line = live.log(store, clock.now(), level, system, message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "run " + live.id() + ": could not store a log line: " + e.getMessage());
            return;
        }
        toLogSink(line);
    }

    private void toLogSink(LogLine line) {
        try {
            options.logSink().accept(line);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the log sink failed: " + e, e);
        }
    }

    private void notifyListeners(Consumer<RunEventListener> event) {
        for (RunEventListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a run event listener failed: " + e, e);
            }
        }
    }

    private static StepRecord stepRecord(StepRecord s, StepStatus status, Instant endedAt, Optional<String> error) {
        return new StepRecord(s.runId(), s.step(), s.kind(), status, s.attempt(), s.startedAt(), Optional.of(endedAt), s.records(), s.summary(), error);
    }

    /**
     * Stops the timer, cancels live runs ("server stopped") and waits up to 30 s for them to end; runs still live
     * then are recorded as cancelled. Does not close the store.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            if (closing) return;
            closing = true;
            t = timer;
        }
        clock.wakeUp();
        if (shared != null) {
            closeShared(t);
            return;
        }
        // No interrupts here or below: an interrupt during H2 file I/O closes the embedded database.
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<LiveRun> live;
        synchronized (lock) {
            live = List.copyOf(liveById.values());
        }
        for (LiveRun run : live) cancel(run.id(), SERVER_STOPPED);
        runPool.shutdown();
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (LiveRun run : live) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !run.awaitEnd(left, TimeUnit.NANOSECONDS)) {
                    if (run.claim() || !run.record().status().isFinal()) forceCancelled(run);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stepPool.shutdown();
    }

    /**
     * A worker's clean stop (SIGTERM): it claims nothing more and gives up the leader lease, but keeps heartbeating while
     * its runs finish, for up to the drain timeout; runs still going then are cancelled, stop at their next commit and
     * are handed back to the queue, all before the heartbeat stops, so no other worker resumes a run while it still
     * runs here. A run that does not stop within 30 s more is fenced (it commits nothing more) and handed back.
     */
    private void closeShared(Thread timerThread) {
        shared.stopClaiming();
        joinQuietly(timerThread);
        List<LiveRun> live = liveRuns();
        Duration drain = shared.opts.drainTimeout();
        if (!live.isEmpty() && drain.isPositive()) {
            LOG.log(Level.INFO, "worker " + shared.opts.workerId() + " stopping: letting " + live.size() + " run(s) finish for up to " + HumanDuration.format(drain));
            awaitEnd(live, System.nanoTime() + drain.toNanos());
        }
        List<LiveRun> still = liveRuns();
        if (!still.isEmpty()) {
            LOG.log(Level.WARNING, "worker " + shared.opts.workerId() + " stopping: cancelling runs " + still.stream().map(r -> String.valueOf(r.id()))
                    .collect(Collectors.joining(", ")) + " at their next commit; they go back to the queue and resume on another worker");
            for (LiveRun run : still) cancel(run.id(), SERVER_STOPPED);
            awaitEnd(still, System.nanoTime() + CLOSE_WAIT.toNanos());
        }
        for (LiveRun run : liveRuns()) {
            // still busy after the wait: fenced (it commits nothing more), then handed back while this worker still heartbeats
            run.abandoned.set(true);
            forceCancelled(run);
        }
        runPool.shutdown();
        stepPool.shutdown();
        shared.stopThreads();
        shared.leave();
    }

    private static void awaitEnd(List<LiveRun> runs, long deadlineNanos) {
        for (LiveRun run : runs) {
            try {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || !run.awaitEnd(left, TimeUnit.NANOSECONDS)) return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void joinQuietly(Thread t) {
        if (t == null) return;
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Tests: this worker freezes as a killed process would look to the others: no heartbeat, no claims, no firing, and
     * nothing cleaned up (its runs' threads go on, unable to record their end once others took them over).
     */
    void haltForTest() {
        synchronized (lock) {
            closing = true;
        }
        clock.wakeUp();
        if (shared != null) shared.stopThreads();
    }

    private void forceCancelled(LiveRun run) {
        RunRecord r = run.record();
        if (r.status().isFinal()) return;
        if (shared != null) {
            // still busy after the wait: another worker resumes it from its last commit
            shared.queue.handBack(r.id(), r.pipeline(), run.claimedBy, shared.opts.workerId());
            return;
        }
        Instant now = clock.now();
        RunRecord cancelled = new RunRecord(r.id(), r.pipeline(), RunStatus.CANCELLED, r.trigger(), r.dueAt(), r.startedAt(), Optional.of(now),
                Optional.of(SERVER_STOPPED), r.rerunOf(), r.records());
        try {
            store.updateRun(cancelled);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "run " + r.id() + ": could not record it as cancelled: " + e.getMessage(), e);
        }
        run.record(cancelled);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
