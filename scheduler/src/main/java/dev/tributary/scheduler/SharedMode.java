package dev.tributary.scheduler;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The {@link Scheduler} as one of several workers on a shared PostgreSQL store ({@link WorkQueue}): runs are queued in
 * the store, and every worker claims what its free slots allow; a heartbeat thread renews this worker's heartbeat,
 * hands dead workers' runs back to the queue, acts on cancel requests, and takes or renews the leader lease; only the
 * leader's timer fires schedules, all due slots of a moment in one transaction.
 */
final class SharedMode {
    private static final System.Logger LOG = System.getLogger(SharedMode.class.getName());
    static final String LOST = "lost: this worker missed its heartbeats and another worker took the run over";
    static final String STORE_SILENT = "stopped: no heartbeat of this worker reached the metadata store for half the worker timeout;"
            + " the run resumes on another worker once this worker's heartbeat expires";

    private final Scheduler s;
    final WorkQueue queue;
    final WorkerOptions opts;
    /** This process's membership: a new one at each registration, so a run claimed before it was declared dead is not its own. */
    volatile String instance;
    private final int concurrency;
    private volatile boolean leader;
    /** Guarded by the scheduler's lock: whether this leadership term has set up its due times. */
    private boolean leaderReady;
    private final Object signal = new Object();
    /** Held while claiming and launching, and while reconcile compares the store's claims with the local runs. */
    private final Object claiming = new Object();
    private final Object beatSignal = new Object();
    private boolean claimWanted;
    /** When a heartbeat last succeeded (monotonic): runs commit only while it is under half the worker timeout old. */
    private volatile long lastBeatNanos = System.nanoTime();
    /** Set by the watchdog when the store was silent for half the timeout: the runs were stopped, and this worker joins again. */
    private volatile boolean silenced;
    /** Ends the heartbeat and the watchdog (after the claimer: a draining worker keeps heartbeating). */
    private volatile boolean stopped;
    private Thread heartbeatThread;
    private Thread claimThread;
    private Thread watchdogThread;

    SharedMode(Scheduler scheduler, WorkQueue queue, WorkerOptions opts, int concurrency) {
        this.s = scheduler;
        this.queue = queue;
        this.opts = opts;
        this.concurrency = concurrency;
    }

    /** Registers under a fresh instance id. */
    private List<WorkQueue.Released> join() {
        String fresh = opts.workerId() + "/" + UUID.randomUUID().toString().substring(0, 8);
        List<WorkQueue.Released> released = queue.register(new WorkQueue.WorkerInfo(fresh, opts.workerId(), CliRuns.hostName(),
                ProcessHandle.current().pid(), opts.timeout(), concurrency, opts.schedules()));
        instance = fresh;
        return released;
    }

    boolean leader() {
        return leader;
    }

    void start() {
        report(join());
        beat();
        synchronized (s.lock) {
            try {
                if (leader) setUpLeaderLocked(s.clock.now());
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "worker " + opts.workerId() + ": could not set up the schedules yet (the timer tries again): " + e.getMessage(), e);
            }
        }
        heartbeatThread = daemon("tributary-worker-heartbeat", this::heartbeatLoop);
        claimThread = daemon("tributary-worker-claim", this::claimLoop);
        watchdogThread = daemon("tributary-worker-watchdog", this::watchdogLoop);
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ---- heartbeat ----

    private void heartbeatLoop() {
        long began = System.nanoTime();
        while (!stopped) {
            // at a fixed rate: the time a beat's other calls take does not delay the next heartbeat
            pause(Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), opts.heartbeat().toNanos() - (System.nanoTime() - began))));
            if (stopped) return;
            began = System.nanoTime();
            beat();
        }
    }

    /**
     * Whether this worker may still write for its runs (commit a sync, record a step): a heartbeat succeeded less than
     * half the worker timeout ago, by the local monotonic clock. Others take its runs over only after the full timeout,
     * so a worker that froze, or lost the store, stops writing well before its runs can be resumed elsewhere.
     */
    boolean leaseFresh() {
        return !silenced && System.nanoTime() - lastBeatNanos < opts.timeout().toNanos() / 2;
    }

    /**
     * Stops the local runs once no heartbeat succeeded for half the timeout, whatever the heartbeat thread is doing
     * (a store that stopped answering leaves its call hanging until the socket timeout).
     */
    private void watchdogLoop() {
        long period = Math.max(10, Math.min(opts.heartbeat().toMillis(), opts.timeout().toMillis() / 4));
        while (!stopped) {
            synchronized (watchdogSignal) {
                try {
                    watchdogSignal.wait(period);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (stopped || silenced) continue;
            long silentNanos = System.nanoTime() - lastBeatNanos;
            if (silentNanos < opts.timeout().toNanos() / 2) continue;
            // without runs there is nothing to stop: claims wait for a fresh heartbeat anyway (see leaseFresh)
            if (s.liveRuns().stream().allMatch(r -> r.abandoned.get())) continue;
            silenced = true;
            LOG.log(Level.WARNING, "worker " + opts.workerId() + ": no heartbeat reached the metadata store for " + HumanDuration.format(Duration.ofNanos(silentNanos))
                    + " (half the worker timeout of " + HumanDuration.format(opts.timeout()) + "); stopping its runs " + s.liveRuns().stream()
                    .map(r -> String.valueOf(r.id())).collect(Collectors.joining(", ", "[", "]")) + ": another worker resumes them once this worker's heartbeat expires");
            dropEverything(STORE_SILENT);
        }
    }

    private final Object watchdogSignal = new Object();

    /**
     * After the watchdog stopped the runs: once their copies here have ended, this worker signs its old membership off
     * (its runs go back to the queue, if nobody reaped them yet) and joins again under a fresh instance.
     */
    private boolean rejoinAfterSilence() {
        if (s.liveRuns().stream().anyMatch(r -> r.claimedBy != null && r.claimedBy.equals(instance))) return false; // still ending here
        String old = instance;
        queue.deregister(old);
        report(join());
        silenced = false;
        LOG.log(Level.WARNING, "worker " + opts.workerId() + " reaches the metadata store again; it joined again as " + instance);
        return true;
    }

    private void beat() {
        try {
            if (silenced) {
                if (!rejoinAfterSilence()) return;
            }
            long sent = System.nanoTime(); // the store recorded the beat after this: freshness counts from here
            Instant before = localNow();
            Optional<Instant> db = queue.heartbeat(instance);
            Instant after = localNow();
            if (db.isEmpty()) {
                // declared dead (a long pause, a lost connection): its runs are others' now; start over as a new member
                LOG.log(Level.WARNING, "worker " + opts.workerId() + " missed its heartbeats; its runs went back to the queue; joining again");
                dropEverything(LOST);
                report(join());
            } else if (s.clock instanceof DatabaseClock dc) {
                dc.observe(db.get(), before, after);
            }
            lastBeatNanos = db.isEmpty() ? System.nanoTime() : sent;
            report(queue.reapExpired());
            if (opts.schedules()) keepOrResignLease();
            reconcile();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "worker " + opts.workerId() + ": heartbeat failed: " + e.getMessage());
            if (System.nanoTime() - lastBeatNanos > opts.timeout().toNanos()) {
                // others may already run what we hold: stop it rather than run it twice
                LOG.log(Level.WARNING, "worker " + opts.workerId() + ": no heartbeat for longer than the worker timeout; stopping its runs");
                dropEverything("lost contact with the metadata store for longer than the worker timeout (" + HumanDuration.format(opts.timeout()) + ")");
            }
        }
    }

    private Instant localNow() {
        return s.clock instanceof DatabaseClock dc ? dc.local().now() : s.clock.now();
    }

    private void report(List<WorkQueue.Released> released) {
        if (released.isEmpty()) return;
        List<String> unclaimed = released.stream().filter(r -> r.deadWorker().equals(WorkQueue.NO_WORKER)).map(r -> r.runId() + " (" + r.pipeline() + ")").toList();
        if (!unclaimed.isEmpty()) {
            // documented behaviour, but it runs a run twice if an older serve (which knows nothing of claims) still runs it
            LOG.log(Level.WARNING, "worker " + opts.workerId() + ": runs " + String.join(", ", unclaimed) + " were RUNNING with no worker claiming them"
                    + " (left by a serve process of an older Tributary, or one that stopped without recording it); they go back to the queue and resume."
                    + " If an older serve process still runs on this store, STOP IT NOW: it would run them a second time");
        }
        LOG.log(Level.WARNING, "runs handed back to the queue from workers that stopped: " + released.stream()
                .map(r -> r.runId() + " (" + r.pipeline() + ", " + r.deadWorker() + ")").collect(Collectors.joining(", ")));
        wakeClaimer();
    }

    /**
     * Renews the leader lease only while this process's timer runs: a lease held by a worker whose timer died would
     * keep every other worker from firing the schedules.
     */
    private void keepOrResignLease() {
        if (s.closing) {
            if (leader) {
                queue.resign(instance); // stopping: another worker fires the schedules from its next heartbeat
                setLeader(false);
            }
        } else if (s.timerAlive()) {
            setLeader(queue.lead(instance, opts.timeout()));
        } else if (leader) {
            LOG.log(Level.ERROR, "worker " + opts.workerId() + ": its schedule timer stopped; giving up the leader lease so another worker fires the schedules");
            queue.resign(instance);
            setLeader(false);
        }
    }

    private void setLeader(boolean now) {
        if (now == leader) return;
        leader = now;
        synchronized (s.lock) {
            leaderReady = false;
            if (!now) s.nextDue.clear();
        }
        LOG.log(Level.INFO, "worker " + opts.workerId() + (now ? " now fires the schedules (it holds the leader lease)" : " no longer fires the schedules"));
        s.rescheduled = true;
        s.clock.wakeUp();
    }

    private void dropEverything(String why) {
        // the runs first: giving up the lead waits for the scheduler's lock, which a timer stuck in a store call holds
        for (LiveRun live : s.liveRuns()) s.abandon(live, why);
        setLeader(false);
    }

    /**
     * Acts on cancel requests for our runs, stops runs the store no longer lists as ours (taken over), and hands back
     * runs the store lists as ours that nothing here runs (a copy abandoned while this worker kept its membership, e.g.
     * a commit refused on a late heartbeat): without this such a run stays RUNNING for ever on a live worker.
     */
    private void reconcile() {
        Map<Long, Optional<String>> mine;
        List<LiveRun> local;
        synchronized (claiming) { // no run is claimed or launched meanwhile
            String member = instance;
            // local runs first: a run ending meanwhile is recorded in the store before it leaves here, so it is not taken for an orphan
            local = s.liveRuns();
            mine = queue.claimedRuns(member);
            for (Map.Entry<Long, Optional<String>> held : mine.entrySet()) {
                boolean runsHere = local.stream().anyMatch(l -> l.id() == held.getKey() && member.equals(l.claimedBy) && !l.abandoned.get());
                if (!runsHere) handBackOrphan(held.getKey(), held.getValue(), member);
            }
        }
        for (LiveRun live : local) {
            if (live.finishing.get()) continue;
            Optional<String> request = mine.get(live.id());
            if (request == null) {
                s.abandon(live, LOST);
            } else if (request.isPresent()) {
                s.cancel(live.id(), request.get());
            }
        }
    }

    private void handBackOrphan(long runId, Optional<String> cancelRequest, String member) {
        String pipeline = s.store.run(runId).map(RunRecord::pipeline).orElse("?");
        boolean done;
        if (cancelRequest.isPresent()) {
            RunRecord r = s.store.run(runId).orElseThrow();
            done = queue.finish(new RunRecord(r.id(), r.pipeline(), RunStatus.CANCELLED, r.trigger(), r.dueAt(), r.startedAt(), Optional.of(s.clock.now()),
                    cancelRequest, r.rerunOf(), r.records()), member);
        } else {
            done = queue.handBack(runId, pipeline, member, opts.workerId());
        }
        LOG.log(Level.ERROR, "worker " + opts.workerId() + ": run " + runId + " (" + pipeline + ") is RUNNING in the store under this worker ("
                + member + ") but nothing here runs it; " + (!done ? "it changed meanwhile, left as it is"
                : cancelRequest.isPresent() ? "it was cancelled (" + cancelRequest.get() + ")" : "handed back to the queue to resume from its last commit"));
        if (done) wakeClaimer();
    }

    // ---- claiming ----

    private void claimLoop() {
        while (!s.closing) {
            int free = s.options.maxConcurrentRuns() - s.liveRuns().size();
            if (free > 0 && leaseFresh()) { // a worker out of touch with the store claims nothing
                try {
                    synchronized (claiming) {
                        for (WorkQueue.Claimed c : queue.claim(instance, free)) s.launchClaimed(c);
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "worker " + opts.workerId() + ": could not claim queued runs: " + e.getMessage());
                }
            }
            synchronized (signal) {
                if (!claimWanted && !s.closing) {
                    try {
                        signal.wait(Math.max(1, opts.poll().toMillis()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                claimWanted = false;
            }
        }
    }

    void wakeClaimer() {
        synchronized (signal) {
            claimWanted = true;
            signal.notifyAll();
        }
    }

    private void pause(Duration d) {
        synchronized (beatSignal) {
            try {
                beatSignal.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- firing (the leader's timer, with the scheduler's lock held) ----

    /** How long the timer may sleep at most: the leader refreshes interval pipelines, a follower waits to lead. */
    Duration tick() {
        return opts.poll();
    }

    void fireDueLocked(Instant now) {
        if (!leader) return;
        if (!leaderReady) {
            setUpLeaderLocked(now);
            return;
        }
        List<WorkQueue.Slot> slots = new ArrayList<>();
        List<String> fired = new ArrayList<>();
        Set<String> paused = null;
        for (PipelineDef p : s.pipelines.values()) {
            Instant due = s.nextDue.get(p.name());
            if (p.trigger() instanceof Trigger.Interval interval && due == null) {
                refreshInterval(p, interval, now);
                due = s.nextDue.get(p.name());
            }
            if (due == null || due.isAfter(now)) continue;
            if (paused == null) paused = s.store.details().paused().keySet(); // ui1: paused pipelines' slots pass without a run
            if (paused.contains(p.name())) {
                s.skipPausedLocked(p, due, now, fired, null);
                continue;
            }
            List<String> notes = s.skippedNotes.getOrDefault(p.name(), List.of());
            if (p.trigger() instanceof Trigger.Cron) {
                fired.add(p.name());
                slots.add(new WorkQueue.Slot(p.name(), "schedule", s.dueAtLocked(p.name(), due, now), true, notes));
            } else {
                s.nextDue.remove(p.name());
                slots.add(new WorkQueue.Slot(p.name(), "schedule", due, true, notes));
            }
        }
        // a failure here throws to the timer, which tries the same slots again after a back-off: none is lost
        fire(slots);
        s.advanceCronsLocked(fired, now); // after firing: the runs do not wait for the cron arithmetic
    }

    /** An interval pipeline's next run: its last run's end plus the pause; none while a run of it is live. */
    private void refreshInterval(PipelineDef p, Trigger.Interval interval, Instant now) {
        List<RunRecord> last = s.store.runs(RunQuery.latest(1).pipeline(p.name()));
        if (last.isEmpty()) {
            s.nextDue.put(p.name(), now);
        } else if (last.get(0).status().isFinal()) {
            s.nextDue.put(p.name(), last.get(0).endedAt().map(e -> e.plus(interval.pause())).orElse(now));
        }
    }

    /**
     * A new leadership term: what the last leader fired is in the store. A slot missed within a few worker timeouts
     * (while the leader changed) fires as scheduled; an older one is a catch-up, as on a restart.
     */
    private void setUpLeaderLocked(Instant now) {
        List<WorkQueue.Slot> slots = new ArrayList<>();
        for (PipelineDef p : s.pipelines.values()) {
            if (!(p.trigger() instanceof Trigger.Cron)) continue;
            CronSchedule cron = s.crons.get(p.name());
            Optional<Instant> last = s.store.lastScheduled(p.name());
            Optional<Instant> latest = cron.latestAtOrBefore(now);
            if (last.isEmpty()) {
                queue.advanceSchedule(p.name(), now);
            } else if (latest.isPresent() && latest.get().isAfter(last.get())) {
                boolean failover = !Duration.between(latest.get(), now).minus(opts.timeout().multipliedBy(3)).isPositive();
                boolean run = failover || s.options.catchUp().orElse(p.catchUp());
                if (!run) LOG.log(Level.INFO, "pipeline " + p.name() + ": not catching up on the run due at " + latest.get() + " (catch_up is off)");
                slots.add(new WorkQueue.Slot(p.name(), failover ? "schedule" : "catch-up", latest.get(), run, List.of()));
            }
            cron.nextAfter(now).ifPresent(next -> s.nextDue.put(p.name(), next));
        }
        fire(slots);
        // only now: a store error above throws to the timer, and its next tick sets the term up again
        leaderReady = leader;
    }

    private void fire(List<WorkQueue.Slot> slots) {
        if (slots.isEmpty()) return;
        Optional<List<WorkQueue.Fired>> fired;
        try {
            fired = queue.fire(slots, instance);
        } catch (RuntimeException e) {
            throw new MetadataStoreException("could not fire the schedules of " + slots.stream().map(WorkQueue.Slot::pipeline)
                    .collect(Collectors.joining(", ")) + ": " + e.getMessage(), e);
        }
        if (fired.isEmpty()) {
            LOG.log(Level.WARNING, "worker " + opts.workerId() + " lost the leader lease before firing; the new leader fires these schedules");
            setLeader(false);
            return;
        }
        boolean queued = false;
        for (WorkQueue.Fired f : fired.get()) {
            String pipeline = f.slot().pipeline();
            if (f.run().isPresent()) {
                s.skippedNotes.remove(pipeline);
                queued = true;
            } else if (f.stillLive().isPresent()) {
                String note = "skipped the run due at " + f.slot().dueAt() + ": run " + f.stillLive().get() + " was still running";
                s.skippedNotes.computeIfAbsent(pipeline, k -> new ArrayList<>()).add(note);
                LOG.log(Level.INFO, "pipeline " + pipeline + ": " + note);
            }
        }
        if (queued) wakeClaimer();
    }

    // ---- runs asked for on this process ----

    RunRecord enqueue(PipelineDef p, String trigger, Instant at, Optional<Long> rerunOf) {
        return enqueue(p, trigger, at, rerunOf, RunRequest.ALL, Optional.empty());
    }

    /** Queues a run with its request (steps, vars, backfill) in one transaction: no worker claims it without them. */
    RunRecord enqueue(PipelineDef p, String trigger, Instant at, Optional<Long> rerunOf, RunRequest request, Optional<Long> backfill) {
        Optional<RunRecord> run = queue.enqueue(p.name(), trigger, at, rerunOf, request, backfill);
        if (run.isEmpty()) throw new AlreadyRunningException(p.name(), queue.liveRun(p.name()).map(RunRecord::id).orElse(-1L));
        wakeClaimer();
        return run.get();
    }

    /** Steps a claimed run still has to do: not those that succeeded in it before (a resume) or in the run it re-runs. */
    List<StepDef> remainingSteps(PipelineDef p, RunRecord run) {
        Set<String> done = new java.util.HashSet<>();
        done.addAll(succeeded(run.id())); // none for a fresh run; a resumed one (or one an older serve left) has some
        run.rerunOf().ifPresent(original -> done.addAll(succeeded(original)));
        List<String> requested = s.store.details().request(run.id()).steps(); // a run of some steps only (ui1)
        return p.steps().stream().filter(step -> !done.contains(step.name()) && (requested.isEmpty() || requested.contains(step.name()))).toList();
    }

    private Set<String> succeeded(long runId) {
        return s.store.steps(runId).stream().filter(st -> st.status() == StepStatus.SUCCEEDED).map(StepRecord::step).collect(Collectors.toSet());
    }

    // ---- stopping ----

    /** A clean stop begins: claims nothing more (the scheduler is closing), but goes on heartbeating while its runs drain. */
    void stopClaiming() {
        wakeClaimer();
        join(claimThread);
    }

    void stopThreads() {
        stopped = true;
        wakeClaimer();
        synchronized (beatSignal) {
            beatSignal.notifyAll();
        }
        synchronized (watchdogSignal) {
            watchdogSignal.notifyAll();
        }
        for (Thread t : new Thread[] {heartbeatThread, claimThread, watchdogThread}) join(t);
    }

    private static void join(Thread t) {
        if (t == null) return;
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void leave() {
        try {
            queue.deregister(instance);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "worker " + opts.workerId() + ": could not sign off (others take over after its timeout): " + e.getMessage());
        }
    }
}
