package dev.tributary.scheduler.tenant;

import java.util.Locale;

/** Where an installed account stands: only ACTIVE tenants are synced. */
public enum TenantStatus {
    /** Installed; synced with its connections. */
    ACTIVE,
    /** Stopped by an operator; resume makes it ACTIVE again. */
    PAUSED,
    /** HubSpot refused its refresh token (BAD_REFRESH_TOKEN / invalid_grant): only a new install brings it back. */
    NEEDS_REINSTALL,
    /** The app was removed from the account through HubSpot's API; a new install brings it back. */
    UNINSTALLED,
    /** Being removed with its data: its running syncs are stopped first, nothing new starts. */
    REMOVING;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static TenantStatus parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
