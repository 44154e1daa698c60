package dev.tributary.scheduler;

/** A pipeline name that the project does not define. */
public final class UnknownPipelineException extends RuntimeException {
    public UnknownPipelineException(String message) {
        super(message);
    }
}
