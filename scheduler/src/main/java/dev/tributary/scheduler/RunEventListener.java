package dev.tributary.scheduler;

import java.time.Duration;

/** Run events, for alerts and metrics. Called on the scheduler's threads; must return quickly and never throw. */
public interface RunEventListener {
    default void runStarted(RunRecord run) {}

    /** A step failed and will be attempted again after {@code wait}. */
    default void stepRetrying(RunRecord run, StepRecord step, Duration wait) {}

    default void stepFinished(RunRecord run, StepRecord step) {}

    /**
     * A run reached a final status. {@code previous} is the final status of the pipeline's run before this one
     * (null if none): FAILED then SUCCEEDED is a recovery.
     */
    default void runFinished(RunRecord run, RunStatus previous) {}
}
