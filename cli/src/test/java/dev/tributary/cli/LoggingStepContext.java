package dev.tributary.cli;

import dev.tributary.scheduler.StepContext;
import dev.tributary.scheduler.StepDef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A step's context as serve's scheduler gives it (first attempt), its log lines as "[system] message"; setting
 * {@code cancel} and running {@code cancelActions} is what cancelling the run does; {@code gate} is its commit gate
 * ({@link #mayCommit()}: false once the worker may no longer write for the run).
 */
record LoggingStepContext(String pipeline, StepDef step, List<String> log, AtomicBoolean cancel, List<Runnable> cancelActions, BooleanSupplier gate)
        implements StepContext {
    LoggingStepContext(String pipeline, StepDef step, List<String> log) {
        this(pipeline, step, log, new AtomicBoolean(), new ArrayList<>());
    }

    LoggingStepContext(String pipeline, StepDef step, List<String> log, AtomicBoolean cancel, List<Runnable> cancelActions) {
        this(pipeline, step, log, cancel, cancelActions, () -> true);
    }

    @Override
    public long runId() {
        return 1;
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    public void log(String system, String message) {
        log.add("[" + system + "] " + message);
    }

    @Override
    public boolean cancelled() {
        return cancel.get();
    }

    @Override
    public void onCancel(Runnable action) {
        cancelActions.add(action);
    }

    @Override
    public boolean mayCommit() {
        return gate.getAsBoolean();
    }
}
