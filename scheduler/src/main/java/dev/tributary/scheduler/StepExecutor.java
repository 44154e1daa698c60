package dev.tributary.scheduler;

/**
 * Carries out one attempt of a step. The real one ({@link ProjectStepExecutor}) syncs, builds, checks and exports
 * on the project; tests use their own.
 */
public interface StepExecutor {
    /**
     * Runs the step to the end. Returns its outcome (a failed outcome is retried like an exception); throws for
     * failures too. Must return soon after {@link StepContext#cancelled()} turns true.
     */
    StepOutcome execute(StepContext context) throws Exception;
}
