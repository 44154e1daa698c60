package dev.tributary.cli;

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
import dev.tributary.scheduler.tenant.TenantStore;
import dev.tributary.scheduler.tenant.TenantWork;
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

/**
 * Syncs a multi-tenant connection: one logical connection per ACTIVE tenant (own state, schema and rate budget, as
 * limits are per account). A run's sync step queues one work item per tenant in the metadata store, in the fair order
 * (tenants whose last sync failed first, then oldest sync first), and waits for them; every serve process (this one
 * too) runs a {@link Worker} that claims items with {@code SKIP LOCKED}, at most {@code max_concurrent_tenants} at
 * once over every process of the store, each on its own thread, so the tenants of one run spread over all workers and one tenant's
 * failure, slowness or 429s holds only its own slot. A refresh token HubSpot refuses marks the tenant "needs
 * re-install" (one alert) and later runs skip it: no retry loop.
 */
final class TenantSyncs implements AutoCloseable {
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
    /** Wakes the parent steps waiting here when a local item ends; remote ones are seen by polling. */
    private final Object progress = new Object();
    private volatile Worker worker;

    TenantSyncs(Tenants tenants, TributaryCommand root, Clock clock) {
        this.tenants = tenants;
        this.root = root;
        this.clock = clock;
    }

    /** Starts this process's worker for tenant items under {@code name} (unique per process), beating every {@code heartbeat}. */
    synchronized void start(String name, Duration heartbeat) {
        if (worker != null) throw new IllegalStateException("the tenant worker already runs");
        worker = new Worker(name + "/" + java.util.UUID.randomUUID().toString().substring(0, 8), heartbeat);
        worker.thread.start();
    }

    @Override
    public synchronized void close() {
        if (worker != null) worker.stop();
        worker = null;
    }

    Outcome sync(StepContext context, Project project, ConnectionSettings template) throws InterruptedException {
        AppSettings app = tenants.app();
        TenantStore store = tenants.store();
        List<Long> due = store.withStatus(TenantStatus.ACTIVE).stream().map(Tenant::hubId).toList();
        if (!due.isEmpty()) {
            // the warehouse's own tables (state, column names) are made once here, not by tenants racing to create them
            try (Workspace workspace = new Workspace(project, root.connectors)) {
                workspace.useLockPolicy(WriterLockPolicy.waitFor("tributary serve", line -> context.log(template.name(), line)));
                workspace.destination();
            }
        }
        List<TenantWork> items = store.enqueue(context.runId(), context.pipeline(), template.name(), due);
        context.log(template.name(), String.format(Locale.ROOT, "%d active tenant%s queued for the workers (at most %d at once over all of them), oldest sync first",
                items.size(), items.size() == 1 ? "" : "s", app.maxConcurrentTenants()));
        Worker local = worker;
        if (local != null) local.nudge();
        java.util.Set<Long> reported = new java.util.HashSet<>();
        Instant cancelAskedAt = null;
        while (true) {
            if (context.cancelled() && cancelAskedAt == null) {
                if (!context.mayCommit()) {
                    // this copy of the run was abandoned (handed back, or resumed here or elsewhere): its items belong to
                    // the resumed step now, which may have queued them again already; cancelling them would cancel its work
                    context.log(template.name(), "this worker no longer holds the run; its tenant items are left to the run's resumed step");
                    break;
                }
                store.cancelRun(context.runId());
                cancelAskedAt = Instant.now();
            }
            if (cancelAskedAt != null && Instant.now().isAfter(cancelAskedAt.plus(tenants.staleAfter().multipliedBy(3)))) {
                context.log(template.name(), "cancelled; items still running on a worker that stopped beating are not waited for");
                break;
            }
            items = store.work(context.runId(), template.name());
            for (TenantWork w : items) {
                if (w.status().ended() && reported.add(w.id())) context.log(label(template.name(), w.hubId()), describe(w));
            }
            if (items.stream().allMatch(w -> w.status().ended())) break;
            synchronized (progress) {
                progress.wait(250); // a local item ending wakes this at once; items on other workers are seen by this poll
            }
        }
        return outcome(template.name(), items);
    }

    private static Outcome outcome(String template, List<TenantWork> items) {
        List<String> failures = new ArrayList<>();
        List<Duration> durations = new ArrayList<>();
        int ok = 0;
        int refused = 0;
        int counted = 0;
        long records = 0;
        boolean allTransient = true;
        for (TenantWork w : items) {
            if (w.status() == TenantWork.Status.SKIPPED) continue; // paused or removed meanwhile
            counted++;
            records += w.records();
            w.duration().ifPresent(durations::add);
            switch (w.status()) {
                case DONE -> ok++;
                case CANCELLED -> {
                    failures.add("tenant " + w.hubId() + ": cancelled");
                    allTransient = false;
                }
                default -> {
                    failures.add("tenant " + w.hubId() + ": " + w.error().orElse(w.status().label()));
                    allTransient &= w.isTransient();
                    if (w.refused()) refused++;
                }
            }
        }
        return new Outcome(template, counted, ok, failures, refused, records, allTransient, durations, peakConcurrency(items));
    }

    /** The most items of the run that were running at one moment, over all workers (from their start and end times). */
    static int peakConcurrency(List<TenantWork> items) {
        List<long[]> edges = new ArrayList<>();
        for (TenantWork w : items) {
            if (w.startedAt().isEmpty() || w.finishedAt().isEmpty()) continue;
            edges.add(new long[] {toMicros(w.startedAt().get()), 1});
            edges.add(new long[] {toMicros(w.finishedAt().get()), -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1])); // an end before a start at the same instant
        int now = 0;
        int peak = 0;
        for (long[] e : edges) peak = Math.max(peak, now += (int) e[1]);
        return peak;
    }

    private static long toMicros(Instant i) {
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
    }

    private static String describe(TenantWork w) {
        String where = w.worker().map(n -> " on " + n).orElse("");
        return switch (w.status()) {
            case DONE, FAILED -> String.format(Locale.ROOT, "%s: %,d records, %,d API calls in %s%s", w.status() == TenantWork.Status.DONE ? "done" : "FAILED",
                    w.records(), w.apiCalls(), w.duration().map(HumanDuration::format).orElse("?"), where) + w.error().map(e -> " (" + e + ")").orElse("");
            case SKIPPED -> "skipped: no longer active (paused, removed or needing a re-install)";
            default -> w.status().label() + where;
        };
    }

    private static String label(String template, long hub) {
        return template + "[" + hub + "]";
    }

    /**
     * Claims this process's share of tenant items and syncs them, at most {@code max_concurrent_tenants} at once with
     * the other workers' items; beats
     * for its running items (so another worker takes them over only when this one stops beating), stops an item whose
     * run was cancelled or whose tenant is being removed, and hands its items back when it stops.
     */
    final class Worker {
        final String name;
        private final Duration heartbeat;
        final Thread thread;
        private final Object wake = new Object();
        private final java.util.Map<Long, Running> running = new java.util.concurrent.ConcurrentHashMap<>();
        private final ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("tenant-", 0).factory());
        private volatile boolean stopping;
        private boolean nudged;
        /** System.nanoTime() when the last heartbeat that succeeded was sent: the commit gate's lease. */
        private volatile long lastBeatSent = System.nanoTime();

        Worker(String name, Duration heartbeat) {
            this.name = name;
            this.heartbeat = heartbeat;
            this.thread = Thread.ofPlatform().name("tenant-worker").daemon().unstarted(this::loop);
        }

        void nudge() {
            synchronized (wake) {
                nudged = true;
                wake.notifyAll();
            }
        }

        private void loop() {
            TenantStore store = tenants.store();
            long rounds = 0;
            while (!stopping) {
                try {
                    long sent = System.nanoTime();
                    List<Long> lost = store.heartbeat(name);
                    lastBeatSent = sent;
                    for (long id : lost) {
                        Running r = running.get(id);
                        if (r != null) r.cancel();
                    }
                    int limit = tenants.app().maxConcurrentTenants();
                    for (TenantWork item : store.claim(name, limit - running.size(), limit, tenants.staleAfter())) {
                        Running r = new Running();
                        running.put(item.id(), r);
                        pool.submit(() -> run(item, r));
                    }
                    if (++rounds % 1000 == 0) store.deleteWorkOfDeletedRuns();
                } catch (RuntimeException e) {
                    // the store did not answer: try again at the next beat; items held meanwhile are taken over only after staleAfter
                    System.getLogger(TenantSyncs.class.getName()).log(System.Logger.Level.WARNING, "tenant worker " + name + ": " + e.getMessage());
                }
                synchronized (wake) {
                    if (!nudged && !stopping) {
                        try {
                            wake.wait(heartbeat.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    nudged = false;
                }
            }
        }

        private void run(TenantWork item, Running r) {
            TenantWork.Result result;
            try (Workspace workspace = new Workspace(Project.load(root.projectDir, root.environment, root.connectors), root.connectors)) {
                r.workspace = workspace;
                if (r.cancelled) workspace.cancel();
                // a worker frozen past half the take-over time may have lost the item to another: it commits nothing more
                long leaseNanos = tenants.staleAfter().toNanos() / 2;
                workspace.useCommitGate(() -> !r.cancelled && !stopping && System.nanoTime() - lastBeatSent < leaseNanos);
                result = syncTenant(item, workspace);
            } catch (RuntimeException e) {
                result = new TenantWork.Result(0, 0, Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                        .orElse("")), StepFailures.isTransient(e), false);
            }
            try {
                if (!stopping) tenants.store().finish(item.id(), name, result);
            } finally {
                running.remove(item.id());
                tenants.workEnded();
                synchronized (progress) {
                    progress.notifyAll();
                }
                nudge();
            }
        }

        void stop() {
            stopping = true;
            running.values().forEach(Running::cancel);
            nudge();
            pool.close(); // waits for the items, each stopping at its next safe point
            try {
                thread.join(java.time.Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                tenants.store().release(name); // another worker resumes them from their last commit
            } catch (RuntimeException e) {
                System.getLogger(TenantSyncs.class.getName()).log(System.Logger.Level.WARNING, "tenant worker " + name + ": items not handed back: "
                        + e.getMessage() + "; they are taken over once their heartbeat is older than " + tenants.staleAfter());
            }
        }
    }

    /** A claimed item on its way: cancelled before its workspace exists, the workspace is cancelled once it does. */
    private static final class Running {
        volatile Workspace workspace;
        volatile boolean cancelled;

        void cancel() {
            cancelled = true;
            Workspace w = workspace;
            if (w != null) w.cancel();
        }
    }

    private TenantWork.Result syncTenant(TenantWork item, Workspace workspace) {
        AppSettings app = tenants.app();
        long hub = item.hubId();
        Project project = workspace.project();
        ConnectionSettings template = project.connection(item.connection());
        long records = 0;
        Optional<String> error;
        boolean isTransient = false;
        ConnectionSettings c = null;
        long callsBefore = 0;
        try {
            String refresh = tenants.store().refreshToken(hub);
            c = TenantConnections.forTenant(template, hub, app.clientId(), app.clientSecret(), refresh, app.apiUrl());
            callsBefore = apiCalls(c, app, refresh);
            workspace.useLockPolicy(WriterLockPolicy.waitFor("tributary serve", line -> { }));
            SyncResult result = workspace.syncTenant(c, Long.toString(hub), tenants.store().secretsOf(hub), event -> { });
            records = result.records();
            List<String> problems = new ArrayList<>();
            for (StreamResult s : result.streams()) s.error().ifPresent(e -> problems.add(s.stream().id().name() + ": " + e));
            error = problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
            isTransient = error.isPresent() && problems.stream().allMatch(StepFailures::looksTransient);
        } catch (RuntimeException e) {
            error = Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
            isTransient = StepFailures.isTransient(e);
        }
        long calls = c == null ? 0 : Math.max(0, apiCalls(c, app, null) - callsBefore);
        boolean refused = error.isPresent() && refusedToken(error.get());
        if (refused) tenants.needsReinstall(hub, item.pipeline(), "HubSpot refused the tenant's refresh token (" + error.get() + ")");
        if (tenants.store().find(hub).filter(t -> t.status() != TenantStatus.REMOVING).isPresent()) {
            tenants.store().recordSync(item.connection(), hub, clock.instant(), records, error, calls);
        }
        return new TenantWork.Result(records, calls, error, isTransient && !refused, refused);
    }

    /** BAD_REFRESH_TOKEN (v1) or invalid_grant (v3): the account removed the app or the grant was revoked. */
    static boolean refusedToken(String message) {
        return message.contains("BAD_REFRESH_TOKEN") || message.contains("invalid_grant");
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
