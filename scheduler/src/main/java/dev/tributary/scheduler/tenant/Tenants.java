package dev.tributary.scheduler.tenant;

import dev.tributary.scheduler.alert.Alert;
import dev.tributary.scheduler.alert.AlertKind;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the server and the syncs do with the app's tenants: installs (start and callback), pause and resume,
 * uninstall through HubSpot's API, removal with the tenant's data, and "needs re-install" when HubSpot refuses a
 * tenant's token (with an alert, once; the tenant is then skipped until it installs again, so nothing retries).
 */
public final class Tenants {
    /** Drops a tenant's data: every multi-tenant connection's tables and sync state for that hub. */
    @FunctionalInterface
    public interface DataRemover {
        /** Returns a line saying what was dropped. */
        String remove(long hubId);
    }

    private static final System.Logger LOG = System.getLogger(Tenants.class.getName());

    private final AppSettings app;
    private final TenantStore store;
    private final HubspotApp hubspot;
    private final InstallState states;
    private final DataRemover remover;
    private final Consumer<Alert> alerts;
    private final Clock clock;
    /** Signalled when a worker of this process ends a tenant's sync (removal waits for that). */
    private final Object workEnded = new Object();
    /** After how long without a heartbeat a worker's tenant sync counts as abandoned. */
    private volatile java.time.Duration staleAfter = dev.tributary.scheduler.WorkerOptions.DEFAULT_TIMEOUT;

    public Tenants(AppSettings app, TenantStore store, DataRemover remover, Consumer<Alert> alerts, Clock clock) {
        this.app = app;
        this.store = store;
        this.hubspot = new HubspotApp(app);
        this.states = new InstallState(app, store);
        this.remover = remover;
        this.alerts = alerts;
        this.clock = clock;
    }

    public AppSettings app() {
        return app;
    }

    public TenantStore store() {
        return store;
    }

    /** Sets after how long without a heartbeat a worker's tenant sync counts as abandoned (the workers' timeout). */
    public void staleAfter(java.time.Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("staleAfter must be positive: " + d);
        staleAfter = d;
    }

    public java.time.Duration staleAfter() {
        return staleAfter;
    }

    /** A worker of this process ended a tenant's sync: wakes a removal waiting for it. */
    public void workEnded() {
        synchronized (workEnded) {
            workEnded.notifyAll();
        }
    }

    /** Where the install link sends the browser: HubSpot's authorize page with a new signed, single-use state. */
    public URI startInstall() {
        return hubspot.authorizeUrl(states.issue(clock.instant()));
    }

    /**
     * The callback: checks the state (once, unexpired, signed), exchanges the code and records the tenant.
     *
     * @throws InstallState.Refused       for a bad state
     * @throws HubspotApp.AppException    when HubSpot refuses the code
     */
    public Tenant completeInstall(String code, String state, String error) {
        states.consume(state, clock.instant());
        if (error != null && !error.isBlank()) throw new InstallState.Refused("the install was not granted (" + error + ")");
        if (code == null || code.isBlank()) throw new InstallState.Refused("the install came back without a code");
        HubspotApp.Grant grant = hubspot.exchange(code);
        boolean created = store.recordInstall(grant.account(), grant.refreshToken(), clock.instant());
        LOG.log(System.Logger.Level.INFO, (created ? "installed" : "re-installed") + ": hub " + grant.account().hubId() + " (" + grant.account().name() + ")");
        return store.find(grant.account().hubId()).orElseThrow();
    }

    public List<Tenant> list() {
        return store.list();
    }

    public Optional<Tenant> find(long hubId) {
        return store.find(hubId);
    }

    public Tenant pause(long hubId) {
        Tenant t = existing(hubId);
        if (t.status() != TenantStatus.ACTIVE) throw new IllegalStateException("tenant " + hubId + " is " + t.status().label() + ", not active");
        store.setStatus(hubId, TenantStatus.PAUSED, "paused by an operator", clock.instant());
        return existing(hubId);
    }

    public Tenant resume(long hubId) {
        Tenant t = existing(hubId);
        if (t.status() != TenantStatus.PAUSED) {
            throw new IllegalStateException("tenant " + hubId + " is " + t.status().label() + (t.status() == TenantStatus.ACTIVE ? "" : "; only a new install brings it back"));
        }
        store.setStatus(hubId, TenantStatus.ACTIVE, null, clock.instant());
        return existing(hubId);
    }

    /**
     * Removes the app from the account through HubSpot's API and closes the tenant (its data stays until removed).
     * A token HubSpot already refuses means the app is gone there: the tenant is closed all the same.
     */
    public Tenant uninstall(long hubId) {
        existing(hubId);
        try {
            hubspot.uninstall(hubspot.accessToken(store.refreshToken(hubId)));
        } catch (HubspotApp.AppException e) {
            if (!e.refusedToken()) throw e;
        }
        store.setStatus(hubId, TenantStatus.UNINSTALLED, "uninstalled through HubSpot's API", clock.instant());
        return existing(hubId);
    }

    /**
     * Forgets a tenant with its data: uninstalls the app when it is still installed (best effort: HubSpot being
     * unreachable does not keep the data), drops its tables and state, then its record and secrets.
     */
    public String remove(long hubId) {
        Tenant t = existing(hubId);
        // first stop its syncs, wherever they run: one still writing would recreate the tables and state dropped below
        store.setStatus(hubId, TenantStatus.REMOVING, "being removed with its data", clock.instant());
        store.cancelTenant(hubId);
        awaitSyncsStopped(hubId);
        String uninstall = "";
        if (t.status() == TenantStatus.ACTIVE || t.status() == TenantStatus.PAUSED) {
            try {
                uninstall(hubId);
                uninstall = "app uninstalled; ";
            } catch (RuntimeException e) {
                uninstall = "app NOT uninstalled (" + e.getMessage() + "); ";
            }
        }
        String dropped = remover.remove(hubId);
        store.delete(hubId);
        return uninstall + dropped;
    }

    /**
     * Waits until no live worker runs a sync of the tenant (each stops at its next safe point once its worker sees the
     * cancel, at its next heartbeat; a worker that stopped beating counts as gone). Waits at most three stale periods.
     */
    private void awaitSyncsStopped(long hubId) {
        java.time.Instant deadline = java.time.Instant.now().plus(staleAfter.multipliedBy(3));
        synchronized (workEnded) {
            int running;
            while ((running = store.running(hubId, staleAfter)) > 0) {
                if (java.time.Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("tenant " + hubId + ": " + running + " sync(s) did not stop within " + staleAfter.multipliedBy(3).toSeconds()
                            + " s; nothing was removed (it stays 'removing', not synced); remove it again");
                }
                try {
                    workEnded.wait(100); // a local sync ending wakes this at once; one on another worker is seen here
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for tenant " + hubId + "'s sync to stop", e);
                }
            }
        }
    }

    /**
     * HubSpot refused the tenant's refresh token: the tenant needs a new install. Marks it, raises one alert, and the
     * syncs skip it from now on. Returns false when it was already marked (no second alert).
     */
    public boolean needsReinstall(long hubId, String pipeline, String reason) {
        Optional<Tenant> t = store.find(hubId);
        if (t.isEmpty() || t.get().status() == TenantStatus.NEEDS_REINSTALL || t.get().status() == TenantStatus.REMOVING) return false;
        store.setStatus(hubId, TenantStatus.NEEDS_REINSTALL, reason, clock.instant());
        alerts.accept(new Alert(AlertKind.TENANT_NEEDS_REINSTALL, Optional.of(pipeline), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(reason), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("tenant " + hubId + " (" + t.get().name() + ") needs a new install of the app; it is not synced until then"),
                Optional.empty(), clock.instant()));
        return true;
    }

    private Tenant existing(long hubId) {
        return store.find(hubId).orElseThrow(() -> new IllegalArgumentException("no tenant with hub id " + hubId));
    }
}
