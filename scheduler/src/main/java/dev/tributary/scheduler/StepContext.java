package dev.tributary.scheduler;

/** What a running step sees: which run and step, a log, and whether it has been cancelled. */
public interface StepContext {
    String pipeline();

    long runId();

    StepDef step();

    int attempt();

    /** Appends a line to the run's log as {@code [pipeline][system] message}. */
    void log(String system, String message);

    default void log(String message) {
        log(step().kind().name().toLowerCase(java.util.Locale.ROOT), message);
    }

    /** True once the run was cancelled (or the server is stopping): stop at the next safe point. */
    boolean cancelled();

    /** Vars the run was started with (a date range, a logical date): build/run/test/checks steps pass them as dbt vars. */
    default java.util.Map<String, String> vars() {
        return java.util.Map.of();
    }

    /** Records what happened to a stream or model inside this step, as it starts and as it ends (see {@link StepItem}). */
    default void item(StepItem item) {
        // a context that keeps no run (a test's) has nowhere to put it
    }

    /** Registers what to call when the run is cancelled (e.g. the sync engine's cancel). */
    void onCancel(Runnable action);

    /**
     * Asked right before each commit (a sync's checkpoint with its data): false once this process must not write for
     * the run any more (on a shared store, its worker lost touch with the store for half the worker timeout, or another
     * worker took the run over). The step then commits nothing more and stops; the run was cancelled already.
     */
    default boolean mayCommit() {
        return true;
    }
}
