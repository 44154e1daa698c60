package dev.tributary.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A run between its creation and its final status: what it runs, whether it was cancelled, and its log sequence. */
final class LiveRun {
    final PipelineDef pipeline;
    final List<StepDef> steps;
    final List<String> notes;
    private final AtomicReference<RunRecord> record;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicReference<String> cancelReason = new AtomicReference<>();
    private final List<Runnable> cancelActions = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Object logLock = new Object();
    /** Shared store: how often the run was claimed (above 1: it resumes where another worker left it). */
    final int claims;
    /** Records its steps synced before it resumed here. */
    final long earlierRecords;
    /** Set when its end is being recorded: from then on it is not "lost" when the store no longer lists it as ours. */
    final AtomicBoolean finishing = new AtomicBoolean();
    /** Set when another worker took the run over: it is cancelled here and its end not recorded here. */
    final AtomicBoolean abandoned = new AtomicBoolean();
    /** What the run was asked for (steps, vars): read from the store when it starts. */
    volatile RunRequest request = RunRequest.ALL;
    /** Shared store: the worker instance (one per registration) that claimed the run; its end is recorded only under it. */
    volatile String claimedBy;

    LiveRun(RunRecord record, PipelineDef pipeline, List<StepDef> steps, List<String> notes) {
        this(record, pipeline, steps, notes, 1, 0);
    }

    LiveRun(RunRecord record, PipelineDef pipeline, List<StepDef> steps, List<String> notes, int claims, long earlierRecords) {
        this.record = new AtomicReference<>(record);
        this.pipeline = pipeline;
        this.steps = List.copyOf(steps);
        this.notes = List.copyOf(notes);
        this.claims = claims;
        this.earlierRecords = earlierRecords;
    }

    RunRecord record() {
        return record.get();
    }

    void record(RunRecord r) {
        record.set(r);
    }

    long id() {
        return record.get().id();
    }

    /** True for the one caller that gets to carry the run to its end (the run thread, or a cancel before it started). */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    boolean cancelled() {
        return cancelReason.get() != null;
    }

    String cancelReason() {
        return cancelReason.get();
    }

    /** Marks the run cancelled (the first reason wins) and calls the steps' cancel actions. */
    void cancel(String reason) {
        if (!cancelReason.compareAndSet(null, reason)) return;
        List<Runnable> actions;
        synchronized (cancelActions) {
            actions = List.copyOf(cancelActions);
        }
        actions.forEach(LiveRun::runQuietly);
    }

    void onCancel(Runnable action) {
        synchronized (cancelActions) {
            if (!cancelled()) {
                cancelActions.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            System.getLogger(LiveRun.class.getName()).log(System.Logger.Level.WARNING, "a cancel action failed", e);
        }
    }

    /**
     * Appends to the store under one lock, so this process's lines keep their order; the store numbers them, so another
     * writer of the run (a worker that resumed it elsewhere) never takes the same seq.
     */
    LogLine log(MetadataStore store, Instant at, String level, String system, String message) {
        synchronized (logLock) {
            return store.appendNextLog(id(), at, level, pipeline.name(), system, message);
        }
    }

    void ended() {
        ended.countDown();
    }

    boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }
}
