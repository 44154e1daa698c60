package dev.tributary.cli;

import dev.tributary.scheduler.StepContext;
import dev.tributary.scheduler.StepDef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A step's context as serve's scheduler gives it (first attempt), its log lines as "[system] message"; setting
 * {@code cancel} and running {@code cancelActions} is what cancelling the run does.
 */
record LoggingStepContext(String pipeline, StepDef step, List<String> log, AtomicBoolean cancel, List<Runnable> cancelActions)
        implements StepContext {
    LoggingStepContext(String pipeline, StepDef step, List<String> log) {
        this(pipeline, step, log, new AtomicBoolean(), new ArrayList<>());
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
}
