package dev.tributary.cli;

import dev.tributary.engine.RunEvent;
import dev.tributary.engine.RunListener;
import dev.tributary.engine.StreamResult;
import dev.tributary.engine.SyncResult;
import dev.tributary.engine.WriterLockPolicy;
import dev.tributary.http.ApiAccounts;
import dev.tributary.project.ConnectionSettings;
import dev.tributary.project.Project;
import dev.tributary.project.TenantConnections;
import dev.tributary.project.Workspace;
import dev.tributary.scheduler.HumanDuration;
import dev.tributary.scheduler.StepContext;
import dev.tributary.scheduler.StepFailures;
import dev.tributary.scheduler.tenant.AppSettings;
import dev.tributary.scheduler.tenant.Tenant;
import dev.tributary.scheduler.tenant.TenantStatus;
import dev.tributary.scheduler.tenant.Tenants;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Syncs a multi-tenant connection: one logical connection per ACTIVE tenant (own state, schema and rate budget, as
 * limits are per account), fairly: tenants whose last sync is oldest go first, at most {@code max_concurrent_tenants}
 * at once, each on its own thread, so one tenant's failure, slowness or 429s holds only its own slot. A refresh token
 * HubSpot refuses marks the tenant "needs re-install" (one alert) and later runs skip it: no retry loop.
 */
final class TenantSyncs {
    /** What one run of one template did, tenant by tenant. */
    record Outcome(String template, int tenants, int ok, List<String> failures, int needReinstall, long records, boolean allTransient,
                   List<Duration> durations, int peakConcurrency) {
        String summary() {
            return String.format(Locale.ROOT, "%s: %d tenant%s, %d ok, %d failed%s, %,d records, at most %d at once", template, tenants,
                    tenants == 1 ? "" : "s", ok, failures.size(), needReinstall == 0 ? "" : " (" + needReinstall + " need re-install)", records,
                    peakConcurrency);
        }
    }

    private final Tenants tenants;
    private final TributaryCommand root;
    private final Clock clock;

    TenantSyncs(Tenants tenants, TributaryCommand root, Clock clock) {
        this.tenants = tenants;
        this.root = root;
        this.clock = clock;
    }

    Outcome sync(StepContext context, Project project, ConnectionSettings template) throws InterruptedException {
        AppSettings app = tenants.app();
        List<Tenant> due = tenants.store().withStatus(TenantStatus.ACTIVE);
        context.log(template.name(), String.format(Locale.ROOT, "%d active tenant%s, at most %d at once, oldest sync first", due.size(),
                due.size() == 1 ? "" : "s", app.maxConcurrentTenants()));
        if (!due.isEmpty()) {
            // the warehouse's own tables (state, column names) are made once here, not by tenants racing to create them
            try (Workspace workspace = new Workspace(project, root.connectors)) {
                workspace.useLockPolicy(WriterLockPolicy.waitFor("tributary serve", line -> context.log(template.name(), line)));
                workspace.destination();
            }
        }
        List<String> failures = new ArrayList<>();
        List<Duration> durations = new ArrayList<>();
        int ok = 0;
        int refused = 0;
        long records = 0;
        boolean allTransient = true;
        Semaphore slots = new Semaphore(app.maxConcurrentTenants());
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("tenant-", 0).factory())) {
            List<Future<TenantResult>> futures = new ArrayList<>();
            for (Tenant t : due) {
                if (context.cancelled()) break;
                slots.acquire(); // in order: the tenant waiting longest starts first
                futures.add(pool.submit(() -> {
                    peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        return syncTenant(context, project, template, t);
                    } finally {
                        inFlight.decrementAndGet();
                        slots.release();
                    }
                }));
            }
            for (Future<TenantResult> f : futures) {
                TenantResult r;
                try {
                    r = f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("tenant sync crashed: " + e.getCause(), e.getCause());
                }
                records += r.records();
                durations.add(r.duration());
                if (r.error().isEmpty()) {
                    ok++;
                } else {
                    failures.add("tenant " + r.hubId() + ": " + r.error().get());
                    allTransient &= r.isTransient();
                    if (r.refused()) refused++;
                }
            }
        }
        return new Outcome(template.name(), due.size(), ok, failures, refused, records, allTransient, durations, peak.get());
    }

    private record TenantResult(long hubId, long records, Optional<String> error, boolean isTransient, boolean refused, Duration duration) {}

    private TenantResult syncTenant(StepContext context, Project project, ConnectionSettings template, Tenant tenant) {
        AppSettings app = tenants.app();
        long hub = tenant.hubId();
        String label = template.name() + "[" + hub + "]";
        Instant started = clock.instant();
        long records = 0;
        Optional<String> error;
        boolean isTransient = false;
        ConnectionSettings c = null;
        long callsBefore = 0;
        try {
            String refresh = tenants.store().refreshToken(hub);
            c = TenantConnections.forTenant(template, hub, app.clientId(), app.clientSecret(), refresh, app.apiUrl());
            callsBefore = apiCalls(c, app, refresh);
            try (Workspace workspace = new Workspace(project, root.connectors)) {
                context.onCancel(workspace::cancel);
                workspace.useCommitGate(context::mayCommit);
                workspace.useLockPolicy(WriterLockPolicy.waitFor("tributary serve", line -> context.log(label, line)));
                SyncResult result = workspace.syncTenant(c, Long.toString(hub), tenants.store().secretsOf(hub), log(context, label));
                records = result.records();
                List<String> problems = new ArrayList<>();
                for (StreamResult s : result.streams()) s.error().ifPresent(e -> problems.add(s.stream().id().name() + ": " + e));
                error = problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
                isTransient = error.isPresent() && problems.stream().allMatch(StepFailures::looksTransient);
            }
        } catch (RuntimeException e) {
            error = Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
            isTransient = StepFailures.isTransient(e);
        }
        long calls = c == null ? 0 : Math.max(0, apiCalls(c, app, null) - callsBefore);
        boolean refused = error.isPresent() && refusedToken(error.get());
        if (refused) {
            tenants.needsReinstall(hub, context.pipeline(), "HubSpot refused the tenant's refresh token (" + error.get() + ")");
            context.log(label, "needs re-install: HubSpot refused its refresh token; it is skipped until the account installs the app again");
        }
        tenants.store().recordSync(template.name(), hub, clock.instant(), records, error, calls);
        Duration took = Duration.between(started, clock.instant());
        context.log(label, String.format(Locale.ROOT, "%s: %,d records, %,d API calls in %s", error.isEmpty() ? "done" : "FAILED", records, calls,
                HumanDuration.format(took)) + error.map(e -> " (" + e + ")").orElse(""));
        return new TenantResult(hub, records, error, isTransient && !refused, refused, took);
    }

    /** BAD_REFRESH_TOKEN (v1) or invalid_grant (v3): the account removed the app or the grant was revoked. */
    static boolean refusedToken(String message) {
        return message.contains("BAD_REFRESH_TOKEN") || message.contains("invalid_grant");
    }

    private static RunListener log(StepContext context, String label) {
        return event -> {
            if (event instanceof RunEvent.StreamRetrying r) {
                context.log(label, r.stream().id().name() + ": attempt " + r.failedAttempt() + " failed (" + r.error() + "), retrying in "
                        + HumanDuration.format(r.delay()));
            }
        };
    }

    /**
     * Requests sent so far for this tenant's account: the HubSpot source registers each account's counters under its
     * API host and a fingerprint of the credentials it was configured with (SHA-256 of client id and refresh token).
     */
    private static long apiCalls(ConnectionSettings c, AppSettings app, String refreshToken) {
        String token = refreshToken != null ? refreshToken : c.config().json().path("refresh_token").asText();
        String baseUrl = c.config().json().path("base_url").asText(app.apiUrl());
        String label = URI.create(baseUrl).getAuthority() + "/" + fingerprint(app.clientId() + "\n" + token).substring(0, 8);
        return ApiAccounts.all().stream().filter(a -> a.api().equals("hubspot") && a.account().equals(label))
                .mapToLong(a -> a.counters().requests()).sum();
    }

    private static String fingerprint(String material) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
