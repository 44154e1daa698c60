package dev.tributary.server;

import java.util.Locale;

/**
 * What an account may do. Each role includes the ones before it: a viewer reads everything that is not secret, an
 * operator also triggers, cancels, re-runs, pauses, resumes and backfills, an admin also manages users and settings.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The lower-case name used in pages, the API and the CLI. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** viewer, operator or admin (any case); an error naming the choices otherwise. */
    public static Role parse(String value) {
        if (value != null) {
            for (Role r : values()) if (r.label().equalsIgnoreCase(value.strip())) return r;
        }
        throw new IllegalArgumentException("unknown role '" + value + "'; expected viewer, operator or admin");
    }
}
