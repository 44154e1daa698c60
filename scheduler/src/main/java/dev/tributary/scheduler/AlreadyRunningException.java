package dev.tributary.scheduler;

/** A pipeline already has a live run; the new one is refused (never two runs of one pipeline at once). */
public final class AlreadyRunningException extends RuntimeException {
    private final long runningId;

    public AlreadyRunningException(String pipeline, long runningId) {
        super("pipeline " + pipeline + " is already running (run " + runningId + ")");
        this.runningId = runningId;
    }

    public long runningId() {
        return runningId;
    }
}
