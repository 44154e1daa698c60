package dev.tributary.cli;

import dev.tributary.scheduler.StepContext;
import dev.tributary.scheduler.StepDef;
import java.util.List;

/** A step's context as serve's scheduler gives it (first attempt, never cancelled), its log lines as "[system] message". */
record LoggingStepContext(String pipeline, StepDef step, List<String> log) implements StepContext {
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
        return false;
    }

    @Override
    public void onCancel(Runnable action) {
    }
}
