package dev.tributary.scheduler;

import java.time.Instant;
import java.util.Optional;

/**
 * One step of a run. {@code attempt} counts from 1; {@code summary} is one line for the UI
 * ("3 streams, 12,034 records", "PASS=40 WARN=1 ERROR=0 SKIP=0").
 */
public record StepRecord(long runId, String step, StepKind kind, StepStatus status, int attempt,
                         Optional<Instant> startedAt, Optional<Instant> endedAt, long records, String summary,
                         Optional<String> error) {}
