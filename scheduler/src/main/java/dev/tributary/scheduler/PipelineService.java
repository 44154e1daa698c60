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

    /**
     * Starts a run now of some of the pipeline's steps ({@code request.steps()}, empty: all) with vars passed to its
     * build/run/test/checks steps as dbt vars.
     *
     * @throws UnknownStepException     a requested step is not in the pipeline (the message names it)
     * @throws UnknownPipelineException no such pipeline
     * @throws AlreadyRunningException  a run of it is queued or running
     */
    RunRecord trigger(String pipeline, String trigger, RunRequest request);

    /** What a run was asked for: its steps subset and vars ({@link RunRequest#ALL} for a plain run). */
    RunRequest request(long runId);

    /** Pauses a pipeline's schedule (kept in the store: every serve process on it skips its due times); false if already paused. */
    boolean pause(String pipeline, String by);

    /** Resumes a paused pipeline's schedule from its next due time (missed ones are not caught up); false if not paused. */
    boolean resume(String pipeline);

    /** Paused pipelines: when and by whom. */
    java.util.Map<String, RunDetails.Pause> paused();

    /**
     * Queues one run per time of the pipeline's cron schedule in [from, to], each with the var {@value Backfill#LOGICAL_DATE}
     * (the time, ISO-8601 UTC), one at a time (see {@link Backfill}).
     *
     * @throws IllegalArgumentException the pipeline has no cron schedule, from is not before to, no time falls in the range,
     *                                  or more than {@value Backfill#MAX_SLOTS} do
     */
    Backfill backfill(String pipeline, java.time.Instant from, java.time.Instant to, String by);

    /** The pipeline's backfills, newest first, with their progress. */
    List<Backfill> backfills(String pipeline);

    /** What happened inside the steps of a run: its streams and models (see {@link StepItem}). */
    List<StepItem> itemsForRun(long runId);

    /** One stream's or model's items over its last {@code limit} runs, newest first ({@code kind} "stream", "model", "seed", ...). */
    List<StepItem> historyOf(String kind, String name, int limit);

    List<RunRecord> runs(RunQuery query);

    Optional<RunRecord> run(long runId);

    List<StepRecord> steps(long runId);

    /** Log lines of a run with seq greater than {@code afterSeq}, at most {@code limit}. */
    List<LogLine> log(long runId, long afterSeq, int limit);

    /** Registers a listener for run events (alerts, metrics). */
    void addListener(RunEventListener listener);
}
