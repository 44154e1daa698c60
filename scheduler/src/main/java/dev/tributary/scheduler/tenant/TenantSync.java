package dev.tributary.scheduler.tenant;

import java.time.Instant;
import java.util.Optional;

/** How one tenant's syncs of one multi-tenant connection went: the last one, and totals over all of them. */
public record TenantSync(String connection, long hubId, Instant lastSyncAt, long lastRows, long totalRows, Optional<String> lastError,
                         long failures, long apiCalls, long syncs) {}
