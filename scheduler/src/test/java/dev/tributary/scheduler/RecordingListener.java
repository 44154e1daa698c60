package dev.tributary.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects run events so tests can wait for them (with a generous real-time limit) instead of sleeping. */
final class RecordingListener implements RunEventListener {
    record Retry(RunRecord run, StepRecord step, Duration delay) {}

    record Finished(RunRecord run, RunStatus previous) {}

    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private final BlockingQueue<Retry> retries = new LinkedBlockingQueue<>();
    final List<RunRecord> started = new CopyOnWriteArrayList<>();
    final List<StepRecord> stepsFinished = new CopyOnWriteArrayList<>();

    @Override
    public void runStarted(RunRecord run) {
        started.add(run);
    }

    @Override
    public void stepRetrying(RunRecord run, StepRecord step, Duration wait) {
        retries.add(new Retry(run, step, wait));
    }

    @Override
    public void stepFinished(RunRecord run, StepRecord step) {
        stepsFinished.add(step);
    }

    @Override
    public void runFinished(RunRecord run, RunStatus previous) {
        finished.add(new Finished(run, previous));
    }

    Finished nextFinished() throws InterruptedException {
        Finished f = finished.poll(30, TimeUnit.SECONDS);
        if (f == null) throw new AssertionError("no run finished within 30 s");
        return f;
    }

    RunRecord nextFinishedRun() throws InterruptedException {
        return nextFinished().run();
    }

    /** Retries announced and not yet taken by {@link #nextRetry()}. */
    int pendingRetries() {
        return retries.size();
    }

    Retry nextRetry() throws InterruptedException {
        Retry r = retries.poll(30, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no step retry within 30 s");
        return r;
    }
}
