package dev.tributary.scheduler;

/** The state of one step in a run. RETRYING: failed, waiting for its next attempt. */
public enum StepStatus {
    PENDING, RUNNING, RETRYING, SUCCEEDED, FAILED, SKIPPED, CANCELLED
}
