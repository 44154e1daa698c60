package dev.tributary.scheduler;

import java.util.Optional;

/**
 * How an attempt of a step ended: ok or not, records moved, a one-line summary, the error when not ok, and whether
 * trying again may help ({@code retryable}: a lost connection, a timeout, HTTP 429). Only retryable failures use the
 * step's retries; a deterministic one (a SQL error, a configuration error, a failing test) fails the step at once.
 */
public record StepOutcome(boolean ok, long records, String summary, Optional<String> error, boolean retryable) {
    public StepOutcome {
        if (ok && retryable) throw new IllegalArgumentException("a successful outcome is not retried");
    }

    /** An outcome that is not retried when it failed. */
    public StepOutcome(boolean ok, long records, String summary, Optional<String> error) {
        this(ok, records, summary, error, false);
    }

    /** Marks the part of a successful step's summary that says a source was served from its fallback (alerts look for it). */
    public static final String FALLBACK_MARK = "FALLBACK: ";

    /** True when {@code summary} says some stream was served from a fallback instead of its source. */
    public static boolean mentionsFallback(String summary) {
        return summary != null && summary.contains(FALLBACK_MARK);
    }

    public static StepOutcome success(long records, String summary) {
        return new StepOutcome(true, records, summary, Optional.empty(), false);
    }

    /** A failure that would happen again (a SQL error, bad configuration, a failing test): not retried. */
    public static StepOutcome failure(long records, String summary, String error) {
        return new StepOutcome(false, records, summary, Optional.of(error), false);
    }

    /** A failure that may not happen again (a lost connection, a timeout, HTTP 429 or 503): retried with backoff. */
    public static StepOutcome transientFailure(long records, String summary, String error) {
        return new StepOutcome(false, records, summary, Optional.of(error), true);
    }
}
