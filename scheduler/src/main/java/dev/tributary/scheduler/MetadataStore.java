package dev.tributary.scheduler;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where runs, step results and run logs are kept: an embedded H2 file under the project's {@code .tributary/}
 * folder by default, PostgreSQL when {@code server.metadata.url} says so. Every method is one transaction.
 */
public interface MetadataStore extends AutoCloseable {
    /** Creates a QUEUED run. */
    RunRecord createRun(String pipeline, String trigger, Instant dueAt, Optional<Long> rerunOf);

    void updateRun(RunRecord run);

    /** A run to create: see {@link #createRuns}. */
    record NewRun(String pipeline, String trigger, java.time.Instant dueAt, Optional<Long> rerunOf) {}

    /**
     * Creates QUEUED runs and sets pipelines' last scheduled times, in one transaction where the store has them (a
     * minute's due runs at once). Returns the runs in the order given.
     */
    default List<RunRecord> createRuns(List<NewRun> runs, java.util.Map<String, Instant> lastScheduled) {
        List<RunRecord> out = new java.util.ArrayList<>();
        for (NewRun r : runs) out.add(createRun(r.pipeline(), r.trigger(), r.dueAt(), r.rerunOf()));
        lastScheduled.forEach(this::setLastScheduled);
        return out;
    }

    Optional<RunRecord> run(long id);

    List<RunRecord> runs(RunQuery query);

    /** Runs left QUEUED or RUNNING (by a process that died): the scheduler marks them failed on start. */
    List<RunRecord> liveRuns();

    void saveStep(StepRecord step);

    List<StepRecord> steps(long runId);

    void appendLog(LogLine line);

    /**
     * Appends a line numbered by the store: the run's last seq + 1, allocated in the insert itself, so several writers of
     * one run (a worker that resumed it, the scheduler, another process) never collide and lines are stored in seq order.
     */
    LogLine appendNextLog(long runId, Instant at, String level, String pipeline, String system, String message);

    List<LogLine> log(long runId, long afterSeq, int limit);

    /** The last seq written for a run (0 if none). */
    long lastLogSeq(long runId);

    /** Last scheduled time acted on per pipeline, so a restart knows what it missed. */
    Optional<Instant> lastScheduled(String pipeline);

    void setLastScheduled(String pipeline, Instant dueAt);

    /** Deletes runs (with their steps and logs) that ended before {@code before}; returns how many. */
    int deleteRunsBefore(Instant before);

    /** The queue several serve processes share (a PostgreSQL store); empty for a store one process owns. */
    default Optional<WorkQueue> workQueue() {
        return Optional.empty();
    }

    /** Logged-in web sessions kept in the store; empty when the store keeps none. */
    default Optional<StoredSessions> sessions() {
        return Optional.empty();
    }

    /** Step items, paused pipelines and run requests kept beside the runs (see {@link RunDetails}). */
    RunDetails details();

    @Override
    void close();
}
