package dev.tributary.scheduler.alert;

import java.util.Locale;

/** The event names written in {@code alerts.on}: which kinds of alert a channel receives. */
public enum AlertEvent {
    FAILURE, RECOVERY, RETRY, FRESHNESS;

    /** The name as written in YAML and sent in webhook bodies. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
