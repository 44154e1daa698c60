package dev.tributary.scheduler.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One account (HubSpot portal) that installed the app: who installed it, what it granted, where it stands, and how its
 * syncs went (one entry per multi-tenant connection). Holds no secret: the refresh token stays sealed in the store.
 */
public record Tenant(long hubId, String name, String user, long userId, List<String> scopes, Instant installedAt, Instant updatedAt,
                     TenantStatus status, Optional<String> statusReason, List<TenantSync> syncs) {
    public Tenant {
        scopes = List.copyOf(scopes);
        syncs = List.copyOf(syncs);
    }

    /** The latest sync of any of its connections. */
    public Optional<Instant> lastSyncAt() {
        return syncs.stream().map(TenantSync::lastSyncAt).max(Instant::compareTo);
    }

    public long totalRows() {
        return syncs.stream().mapToLong(TenantSync::totalRows).sum();
    }

    public long apiCalls() {
        return syncs.stream().mapToLong(TenantSync::apiCalls).sum();
    }

    public long errors() {
        return syncs.stream().mapToLong(TenantSync::failures).sum();
    }

    public Optional<String> lastError() {
        return syncs.stream().filter(s -> s.lastError().isPresent()).max((a, b) -> a.lastSyncAt().compareTo(b.lastSyncAt()))
                .flatMap(TenantSync::lastError);
    }
}
