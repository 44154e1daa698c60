package dev.tributary.scheduler;

import java.util.Optional;

/** How an attempt of a step ended: ok or not, records moved, a one-line summary, and the error when not ok. */
public record StepOutcome(boolean ok, long records, String summary, Optional<String> error) {
    public static StepOutcome success(long records, String summary) {
        return new StepOutcome(true, records, summary, Optional.empty());
    }

    public static StepOutcome failure(long records, String summary, String error) {
        return new StepOutcome(false, records, summary, Optional.of(error));
    }
}
