package dev.tributary.scheduler;

/** A run asked for a step its pipeline does not have (the message names it and the steps there are). */
public final class UnknownStepException extends IllegalArgumentException {
    public UnknownStepException(String message) {
        super(message);
    }
}
