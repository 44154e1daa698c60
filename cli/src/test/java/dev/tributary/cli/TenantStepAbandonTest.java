package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Connectors;
import dev.tributary.project.FileSecretStore;
import dev.tributary.project.Project;
import dev.tributary.scheduler.JdbcMetadataStore;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.tenant.AppSettings;
import dev.tributary.scheduler.tenant.InstalledAccount;
import dev.tributary.scheduler.tenant.TenantStore;
import dev.tributary.scheduler.tenant.TenantWork;
import dev.tributary.scheduler.tenant.Tenants;
import dev.tributary.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 (the 1,000-tenant attempt that stalled): a worker's copy of a run's tenant sync step is abandoned (its
 * heartbeat lapsed: the scheduler cancels the copy and its commit gate says no from then on) while the run resumes on
 * another worker, whose step queues the run's tenant items again and waits for them. The abandoned copy, seeing its
 * cancel, used to cancel the run's items: the resumed step's tenants then ended CANCELLED (825 of them in that
 * attempt). Here both copies of the step run in this JVM on one PostgreSQL metadata schema, as two workers' steps do;
 * the abandoned one must leave the items to the resumed one.
 */
class TenantStepAbandonTest {
    private static final String SECRET = "app-secret-" + Long.toHexString(System.nanoTime());
    /** Threads of their own: the common pool may have one thread only (two cores). */
    private static final java.util.concurrent.Executor THREADS = r -> Thread.ofPlatform().daemon().start(r);

    @TempDir
    Path dir;

    private String url;
    private String schema;

    @AfterEach
    void dropSchema() {
        if (schema != null) TestDatabases.dropPostgresSchema(url, schema);
    }

    @Test
    void anAbandonedCopyOfATenantStepLeavesTheRunsItemsToTheResumedStep() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), """
                name: tenants
                destination: {type: duckdb, path: warehouse.duckdb}
                app:
                  client_id: app
                  client_secret: ${APP_SECRET}
                  scopes: [oauth, crm.objects.contacts.read]
                  redirect_url: http://127.0.0.1:1/oauth/callback
                  api_url: http://127.0.0.1:1
                connections:
                  crm:
                    type: hubspot
                    multi_tenant: true
                    config: {streams: [contacts]}
                """);
        Map<String, String> env = Map.of("APP_SECRET", SECRET, FileSecretStore.KEY_ENV, "test key");
        Connectors connectors = Connectors.discover();
        TributaryCommand root = new TributaryCommand(env, connectors);
        root.projectDir = dir;
        Project project = Project.load(dir, env, connectors);
        AppSettings app = AppSettings.parse(project.section(AppSettings.SECTION)).orElseThrow();
        url = TestDatabases.postgresUrl();
        schema = TestDatabases.createPostgresSchema(url, "t19_abandon");
        try (JdbcMetadataStore first = JdbcMetadataStore.postgres(url, null, null, schema);
             JdbcMetadataStore second = JdbcMetadataStore.postgres(url, null, null, schema)) {
            FileSecretStore sealer = FileSecretStore.forProject(dir, env);
            // two workers' stores on one schema, as two serve processes have
            TenantStore frozenStore = TenantStore.open(first, sealer);
            TenantStore resumedStore = TenantStore.open(second, sealer);
            for (long hub : List.of(101L, 102L, 103L)) {
                frozenStore.recordInstall(new InstalledAccount(hub, "h" + hub, "u", 1, List.of("oauth")), "refresh-" + hub, Instant.now());
            }
            // no tenant worker runs in either: the items stay queued until this test claims them
            TenantSyncs frozen = new TenantSyncs(new Tenants(app, frozenStore, hub -> "", alert -> { }, Clock.systemUTC()), root, Clock.systemUTC());
            TenantSyncs resumed = new TenantSyncs(new Tenants(app, resumedStore, hub -> "", alert -> { }, Clock.systemUTC()), root, Clock.systemUTC());
            StepDef step = new StepDef("sync-1", StepKind.SYNC, List.of("crm"), false, Map.of(), List.of(), Optional.empty());
            Copy a = new Copy(step);
            CompletableFuture<TenantSyncs.Outcome> frozenStep = CompletableFuture.supplyAsync(() -> a.sync(frozen, project), THREADS);
            a.awaitQueued(frozenStep);

            // the worker froze past half its timeout; the run was handed back and another worker resumed it: its copy of
            // the step queues the run's items again (nothing twice) and waits for them
            Copy b = new Copy(step);
            CompletableFuture<TenantSyncs.Outcome> resumedStep = CompletableFuture.supplyAsync(() -> b.sync(resumed, project), THREADS);
            b.awaitQueued(resumedStep);
            // the frozen worker wakes: its scheduler finds its lease lapsed, refuses its commits and cancels its copy
            a.mayCommit.set(false);
            a.cancelled.set(true);
            frozenStep.get(60, TimeUnit.SECONDS);
            assertThat(resumedStore.work(Copy.RUN, "crm")).as("the resumed step's items").allSatisfy(w -> {
                assertThat(w.status()).isEqualTo(TenantWork.Status.QUEUED);
                assertThat(w.claims()).isZero();
            });
            assertThat(a.log).anyMatch(l -> l.contains("this worker no longer holds the run; its tenant items are left to the run's resumed step"));

            // a worker syncs them (as a tenant worker would) and the resumed step ends with every tenant done
            for (TenantWork w : resumedStore.claim("worker-b", 3, 3, Duration.ofMinutes(5))) {
                assertThat(resumedStore.finish(w.id(), "worker-b", new TenantWork.Result(5, 1, Optional.empty(), false, false))).isTrue();
            }
            TenantSyncs.Outcome outcome = resumedStep.get(60, TimeUnit.SECONDS);
            assertThat(outcome.summary()).as(b.log.toString()).contains("3 tenants, 3 ok, 0 failed");
        }
    }

    /** One worker's copy of the run's sync step: its scheduler's context (cancel and commit gate under the test's control). */
    private static final class Copy {
        static final long RUN = 1; // LoggingStepContext's run
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicBoolean mayCommit = new AtomicBoolean(true);
        final List<String> log = new CopyOnWriteArrayList<>();
        final LoggingStepContext context;

        Copy(StepDef step) {
            context = new LoggingStepContext("crm", step, log, cancelled, new CopyOnWriteArrayList<>(), mayCommit::get);
        }

        /** Waits until this copy has queued the run's items; a step that failed first fails the test with its error. */
        void awaitQueued(CompletableFuture<TenantSyncs.Outcome> running) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (log.stream().noneMatch(l -> l.contains("queued for the workers"))) { // its log is what is waited for
                if (running.isDone()) running.get(); // ended (or failed) before it queued anything: its error
                assertThat(System.nanoTime()).as("items queued within 60 s: " + log).isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }

        TenantSyncs.Outcome sync(TenantSyncs syncs, Project project) {
            try {
                return syncs.sync(context, project, project.connection("crm"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
