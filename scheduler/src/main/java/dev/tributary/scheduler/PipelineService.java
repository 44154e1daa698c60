package dev.tributary.scheduler;

import java.util.List;
import java.util.Optional;

/**
 * What the web UI, the REST API and the CLI do with pipelines: the one facade over the scheduler and the metadata
 * store. Thread-safe.
 */
public interface PipelineService {
    /** Every pipeline of the project, in the order written. */
    List<PipelineView> pipelines();

    Optional<PipelineView> pipeline(String name);

    /**
     * Starts a run now. {@code trigger} is "manual" or "api".
     *
     * @throws UnknownPipelineException no such pipeline
     * @throws AlreadyRunningException  a run of it is queued or running (never two at once)
     */
    RunRecord trigger(String pipeline, String trigger);

    /** Asks a live run to stop: the running step stops after its current batch, later steps are cancelled. False if the run is not live. */
    boolean cancel(long runId);

    /**
     * A new run of the same pipeline that starts at the given run's failed (or cancelled) steps; steps that succeeded
     * in it are not run again.
     *
     * @throws IllegalArgumentException the run does not exist or did not fail
     * @throws AlreadyRunningException  a run of the pipeline is live
     */
    RunRecord rerunFromFailed(long runId);

    List<RunRecord> runs(RunQuery query);

    Optional<RunRecord> run(long runId);

    List<StepRecord> steps(long runId);

    /** Log lines of a run with seq greater than {@code afterSeq}, at most {@code limit}. */
    List<LogLine> log(long runId, long afterSeq, int limit);

    /** Registers a listener for run events (alerts, metrics). */
    void addListener(RunEventListener listener);
}
