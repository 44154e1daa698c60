package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** What happened; each kind is switched on by one {@link AlertEvent} in {@code alerts.on}. */
public enum AlertKind {
    /** a run ended FAILED */
    FAILURE(AlertEvent.FAILURE, "FAILED"),
    /** a run SUCCEEDED after a FAILED or CANCELLED one */
    RECOVERY(AlertEvent.RECOVERY, "RECOVERED"),
    /** a run succeeded, but a source served some stream from its fallback (an export file) because its API was unusable */
    FALLBACK(AlertEvent.FAILURE, "FALLBACK"),
    /** a step failed and will be attempted again */
    RETRY(AlertEvent.RETRY, "RETRYING"),
    /** a pipeline or table passed its freshness deadline */
    FRESHNESS(AlertEvent.FRESHNESS, "STALE"),
    /** a stale pipeline or table is fresh again */
    FRESHNESS_RECOVERY(AlertEvent.FRESHNESS, "FRESH AGAIN"),
    /** HubSpot refused a tenant's refresh token (the account removed the app): the tenant waits for a new install */
    TENANT_NEEDS_REINSTALL(AlertEvent.FAILURE, "TENANT NEEDS RE-INSTALL");

    private final AlertEvent event;
    private final String label;

    AlertKind(AlertEvent event, String label) {
        this.event = requireNonNull(event, "event is null");
        this.label = requireNonNull(label, "label is null");
    }

    public AlertEvent event() {
        return event;
    }

    /** Upper-case word for subjects: FAILED, RECOVERED, RETRYING, STALE, FRESH AGAIN. */
    public String label() {
        return label;
    }

    /** The name sent as {@code "event"} in JSON webhook bodies: failure, fallback, recovery, retry, freshness, freshness_recovery, tenant_needs_reinstall. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
