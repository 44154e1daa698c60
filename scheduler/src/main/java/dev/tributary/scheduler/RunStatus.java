package dev.tributary.scheduler;

/** The state of a run; QUEUED and RUNNING are live, the rest final. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
