package dev.tributary.scheduler;

/**
 * Carries out one attempt of a step. The real one ({@link ProjectStepExecutor}) syncs, builds, checks and exports
 * on the project; tests use their own.
 */
public interface StepExecutor {
    /**
     * Runs the step to the end. Returns its outcome, or throws. Only failures that may not happen again are retried:
     * an outcome made with {@link StepOutcome#transientFailure}, or an exception that {@link StepFailures#isTransient}
     * recognises (a lost connection, a timeout, HTTP 429/503, a busy warehouse). Must return soon after
     * {@link StepContext#cancelled()} turns true.
     */
    StepOutcome execute(StepContext context) throws Exception;
}
