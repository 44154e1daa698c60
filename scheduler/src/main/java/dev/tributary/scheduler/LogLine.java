package dev.tributary.scheduler;

import java.time.Instant;

/**
 * One line of a run's log. {@code seq} increases within a run (clients poll for lines after the last seq they saw).
 * Rendered as {@code [pipeline][system] message}, e.g. {@code [revops][hubspot] contacts: 2,000 records}.
 */
public record LogLine(long runId, long seq, Instant at, String level, String pipeline, String system, String message) {
    public String render() {
        return "[" + pipeline + "][" + system + "] " + message;
    }
}
