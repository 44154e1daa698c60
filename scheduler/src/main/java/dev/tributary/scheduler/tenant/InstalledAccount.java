package dev.tributary.scheduler.tenant;

import java.util.List;

/** What an install told us about the account: its hub id and name, who installed, which scopes it granted. */
public record InstalledAccount(long hubId, String name, String user, long userId, List<String> scopes) {
    public InstalledAccount {
        if (hubId <= 0) throw new IllegalArgumentException("hub id must be positive: " + hubId);
        scopes = List.copyOf(scopes);
    }
}
