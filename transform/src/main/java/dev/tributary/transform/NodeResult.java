package dev.tributary.transform;

import java.time.Instant;

/**
 * What happened to one node in a command.
 *
 * @param failures failing rows of a test (null for other nodes)
 * @param relation the relation built or checked, such as {@code main.customers} (may be empty)
 * @param check the measurement, for data-quality checks and source freshness (else null)
 */
public record NodeResult(String uniqueId, String name, ResourceType resourceType, String materialized, NodeStatus status, String message,
                         Long failures, double executionTime, Instant startedAt, Instant completedAt, String compiledCode,
                         String relation, String threadId, CheckOutcome check) {}
