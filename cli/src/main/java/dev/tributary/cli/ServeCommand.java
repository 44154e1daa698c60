package dev.tributary.cli;

import dev.tributary.project.FileSecretStore;
import dev.tributary.scheduler.JdbcMetadataStore;
import dev.tributary.scheduler.tenant.AppSettings;
import dev.tributary.scheduler.tenant.TenantStore;
import dev.tributary.scheduler.tenant.Tenants;
import dev.tributary.server.TenantTemplate;
import java.util.Optional;
import dev.tributary.project.Project;
import dev.tributary.scheduler.HumanDuration;
import dev.tributary.scheduler.LogLine;
import dev.tributary.scheduler.MetadataStore;
import dev.tributary.scheduler.MetadataStores;
import dev.tributary.scheduler.PipelineDef;
import dev.tributary.scheduler.PipelinesConfig;
import dev.tributary.scheduler.Scheduler;
import dev.tributary.scheduler.SchedulerOptions;
import dev.tributary.scheduler.SystemSchedulerClock;
import dev.tributary.scheduler.DatabaseClock;
import dev.tributary.scheduler.SchedulerClock;
import dev.tributary.scheduler.WorkerOptions;
import dev.tributary.scheduler.alert.AlertDispatcher;
import dev.tributary.scheduler.alert.AlertsConfig;
import dev.tributary.scheduler.alert.FreshnessMonitor;
import dev.tributary.scheduler.alert.JdbcTableAgeProbe;
import dev.tributary.server.ServerSettings;
import dev.tributary.server.TributaryServer;
import dev.tributary.server.WarehouseProjectData;
import dev.tributary.transform.WarehouseTarget;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tributary serve}: one process that runs the project's pipelines on their schedules (retries, alerts,
 * freshness) and serves the web UI, the REST API and Prometheus metrics. Stops cleanly on Ctrl-C / SIGTERM: the server
 * closes, live runs are cancelled at their next safe point (a sync keeps what it committed).
 */
@Command(name = "serve", description = "Run the pipelines on their schedules and serve the web UI, REST API and metrics.")
final class ServeCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", description = "Port to listen on (default: server.port in tributary.yml, else 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--no-catch-up", description = "Do not run schedules missed while the server was stopped (overrides catch_up).")
    boolean noCatchUp;

    @Option(names = "--worker-id", paramLabel = "ID", description = "This process's name among several on one PostgreSQL metadata store "
            + "(default: host-pid); unique among live workers.")
    String workerId;

    @Option(names = "--concurrency", paramLabel = "N", description = "Runs this process executes at once (default: scheduler.max_concurrent_runs, else 4).")
    Integer concurrency;

    @Option(names = "--no-scheduler", description = "Only execute queued runs; never fire schedules (PostgreSQL metadata store: another process leads).")
    boolean noScheduler;

    @Option(names = "--heartbeat", paramLabel = "DURATION", description = "How often a worker renews its heartbeat (default 2s; PostgreSQL metadata store).")
    String heartbeat;

    @Option(names = "--worker-timeout", paramLabel = "DURATION", description = "A worker silent this long is dead: its runs go to others, "
            + "another leads; this worker stops its own runs after half of it without a heartbeat (default 30s; at least twice --heartbeat).")
    String workerTimeout;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", description = "On SIGTERM a worker claims nothing more and lets its runs finish "
            + "this long (still heartbeating); runs still going are then cancelled at their next commit and handed back to the queue (default 30s; "
            + "PostgreSQL metadata store).")
    String drainTimeout;

    /** Tests: this process's clock runs this far off (e.g. 90s, -2m), to show workers do not depend on their clocks. */
    @Option(names = "--clock-offset", hidden = true)
    String clockOffset;

    /** Set by tests: counted down once the server listens, so they can talk to it. */
    volatile Runnable onStarted = () -> {};
    /** Tests stop the command through this latch instead of a signal. */
    final CountDownLatch stop = new CountDownLatch(1);
    volatile int boundPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Project project = Project.load(root.projectDir, root.environment, root.connectors);
        Map<String, PipelineDef> pipelines = PipelinesConfig.parse(project.section("pipelines"), project.connections().keySet());
        AlertsConfig alerts = AlertsConfig.parse(project.section("alerts"));
        // the admin login and API token may come from the project's .env as well as the environment
        Map<String, String> env = new java.util.HashMap<>(root.environment);
        for (String name : List.of(ServerSettings.ENV_ADMIN_USER, ServerSettings.ENV_ADMIN_PASSWORD, ServerSettings.ENV_API_TOKEN)) {
            project.variable(name).ifPresent(v -> env.putIfAbsent(name, v));
        }
        // shown only once the rest of the configuration and the store let this server start
        java.util.concurrent.atomic.AtomicReference<String> generatedPassword = new java.util.concurrent.atomic.AtomicReference<>();
        ServerSettings settings = ServerSettings.parse(project.section("server"), env, generatedPassword::set);
        if (port != null) settings = settings.withPort(port);
        WarehouseTarget warehouse = TransformArgs.warehouseOf(project);
        LakehouseSources.refresh(project, out::println); // the lakehouse views the dashboards and freshness read

        dev.tributary.spi.Config schedulerSection = project.section("scheduler");
        SchedulerOptions options = SchedulerOptions.from(schedulerSection).withLogSink(line -> printLog(out, line));
        if (!schedulerSection.unknownKeys().isEmpty()) throw schedulerSection.unknownKeys().get(0);
        if (noCatchUp) options = options.withCatchUp(false);
        if (concurrency != null) {
            if (concurrency < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--concurrency must be at least 1, got " + concurrency);
            options = options.withMaxConcurrentRuns(concurrency);
        }
        options = options.withWorker(workerOptions(options.worker()));
        SchedulerClock local = new SystemSchedulerClock(clockOffset == null ? java.time.Duration.ZERO : duration("--clock-offset", clockOffset, true));
        try (MetadataStore store = MetadataStores.open(project.section("server"), project.dir())) {
            boolean shared = store.workQueue().isPresent();
            if (!shared && (workerId != null || noScheduler || heartbeat != null || workerTimeout != null || drainTimeout != null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--worker-id, --no-scheduler, --heartbeat, --worker-timeout and --drain-timeout apply to several "
                        + "serve processes on a PostgreSQL metadata store (server.metadata.url); this project's store is embedded (one process)");
            }
            if (shared && env.getOrDefault(ServerSettings.ENV_ADMIN_PASSWORD, "").isBlank()) {
                out.println("Warning: TRIBUTARY_ADMIN_PASSWORD is not set: this process made up its own admin password; other serve processes on this store "
                        + "have their own. Set it (the same for all) so any of them accepts the login.");
            }
            SchedulerClock clock = shared ? new DatabaseClock(local) : local;
            java.util.concurrent.atomic.AtomicReference<AlertDispatcher> alertsTo = new java.util.concurrent.atomic.AtomicReference<>();
            Tenants tenants = AppSettings.parse(project.section("app")).map(a -> tenants(a, store, project, alert -> {
                AlertDispatcher d = alertsTo.get();
                if (d != null) d.dispatch(alert);
            })).orElse(null);
            if (generatedPassword.get() != null) {
                out.println("No TRIBUTARY_ADMIN_PASSWORD set: log in as admin with this password (shown once, valid until the server stops): "
                        + generatedPassword.get());
                out.flush();
            }
            serve(out, project, pipelines, alerts, settings, warehouse, options, store, clock, tenants, alertsTo);
        }
        if (shutdownDone != null) shutdownDone.countDown();
        return ExitCode.OK;
    }

    private WorkerOptions workerOptions(WorkerOptions base) {
        WorkerOptions w = base.withSchedules(!noScheduler);
        if (workerId != null) w = w.withWorkerId(workerId);
        try {
            if (heartbeat != null || workerTimeout != null) {
                w = w.withHeartbeat(heartbeat == null ? w.heartbeat() : duration("--heartbeat", heartbeat, false),
                        workerTimeout == null ? w.timeout() : duration("--worker-timeout", workerTimeout, false));
            }
            if (drainTimeout != null) w = w.withDrainTimeout(duration("--drain-timeout", drainTimeout, false));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return w;
    }

    private java.time.Duration duration(String option, String value, boolean signed) {
        boolean negative = signed && value.startsWith("-");
        try {
            java.time.Duration d = dev.tributary.scheduler.PipelinesConfig.parseDuration(negative ? value.substring(1) : value);
            return negative ? d.negated() : d;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage() + " (e.g. 500ms, 2s, 1m)");
        }
    }

    private void serve(PrintWriter out, Project project, Map<String, PipelineDef> pipelines, AlertsConfig alerts, ServerSettings settings,
                       WarehouseTarget warehouse, SchedulerOptions options, MetadataStore store, SchedulerClock clock, Tenants tenants,
                       java.util.concurrent.atomic.AtomicReference<AlertDispatcher> alertsTo) throws Exception {
        TenantSyncs tenantSyncs = tenants == null ? null : new TenantSyncs(tenants, root, Clock.systemUTC());
        ProjectStepExecutor executor = new ProjectStepExecutor(root, tenantSyncs);
        // closed after the scheduler: runs being cancelled still have this process's tenant worker to stop their items
        try (TenantSyncs tenantWorker = tenantSyncs;
             DestinationStates states = new DestinationStates(project, root.connectors);
             Scheduler scheduler = new Scheduler(pipelines, store, executor, clock, options);
             AlertDispatcher dispatcher = AlertDispatcher.create(alerts, failure -> out.println("tributary: alert not delivered: " + failure));
             // with several workers only the one firing schedules watches freshness, so an alert goes out once
             FreshnessMonitor freshness = new FreshnessMonitor(alerts, scheduler, new JdbcTableAgeProbe(connections(warehouse)), Clock.systemUTC(),
                     alert -> {
                         if (scheduler.firesSchedules()) dispatcher.dispatch(alert);
                     })) {
            scheduler.addListener(dispatcher);
            alertsTo.set(dispatcher);
            TributaryServer server = new TributaryServer(settings, scheduler, projectData(project, states), Clock.systemUTC(),
                    store.sessions().orElse(null));
            // accounts and the audit log beside the runs; alert deliveries too, for the settings pages
            java.util.function.Supplier<List<dev.tributary.scheduler.alert.AlertDelivery>> deliveries = List::of;
            if (store instanceof JdbcMetadataStore jdbc) {
                server.enablePeople(jdbc);
                dev.tributary.scheduler.alert.AlertDeliveries stored = dev.tributary.scheduler.alert.AlertDeliveries.open(jdbc);
                dispatcher.addDeliveryListener(stored::record);
                deliveries = () -> stored.latest(100);
            }
            server.enableSettings(new dev.tributary.server.SettingsSources(Optional.of(project.dir().resolve(Project.FILE_NAME)),
                    dispatcher.channelNames(), deliveries));
            if (tenants != null) {
                server.enableTenants(tenants, project.connections().values().stream().filter(c -> c.multiTenant())
                        .map(c -> new TenantTemplate(c.name(), c.type(), c.schema())).toList());
            }
            server.addMetricsSource(new ApiMetricsSource());
            String projectName = project.name();
            server.addMetricsSource(() -> List.of(new dev.tributary.server.MetricsSource.MetricFamily("tributary_project_info",
                    "the project this server runs, by its tributary.yml name", dev.tributary.server.MetricsSource.MetricType.GAUGE,
                    List.of(new dev.tributary.server.MetricsSource.Sample("tributary_project_info", Map.of("project", projectName), 1)))));
            // SIGTERM / Ctrl-C: wake the main thread, then hold the JVM until it has closed server, scheduler and store
            // (a worker first lets its runs drain, then waits up to 30 s for those it cancelled to reach their next commit)
            CountDownLatch stopped = new CountDownLatch(1);
            long holdSeconds = 60 + (scheduler.workerId().isPresent() ? options.worker().drainTimeout().toSeconds() : 0);
            Thread hook = Thread.ofPlatform().unstarted(() -> {
                stop.countDown();
                try {
                    stopped.await(holdSeconds, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                scheduler.start();
                if (tenantWorker != null) {
                    // tenant items are claimed by every worker; one whose worker stops beating is taken over after the workers' timeout
                    tenants.staleAfter(options.worker().timeout());
                    tenantWorker.start(scheduler.workerId().orElse(options.worker().workerId()), options.worker().poll());
                }
                freshness.start();
                boundPort = server.start();
                out.printf("Tributary is serving project %s at http://%s:%d (%d pipeline%s: %s). Ctrl-C stops it.%n", project.name(), settings.host(), boundPort,
                        pipelines.size(), pipelines.size() == 1 ? "" : "s", String.join(", ", pipelines.keySet()));
                if (scheduler.workerId().isPresent()) {
                    out.printf("Worker %s on the shared metadata store (%s): up to %d runs at once; %s.%n", scheduler.workerId().get(), store,
                            options.maxConcurrentRuns(), noScheduler ? "never fires schedules (--no-scheduler)"
                                    : scheduler.firesSchedules() ? "fires the schedules (it holds the leader lease)" : "another worker fires the schedules now");
                }
                for (PipelineDef p : pipelines.values()) {
                    out.printf("  %-20s %s, next run %s%n", p.name(), p.trigger().describe(), scheduler.nextRun(p.name())
                            .map(at -> at + " (in " + HumanDuration.format(java.time.Duration.between(java.time.Instant.now(), at)) + ")").orElse("(manual)"));
                }
                if (tenants != null) {
                    out.printf("  app %s: %d tenant%s; install link http://%s:%d%s (installs come back to %s)%n", tenants.app().clientId(),
                            tenants.list().size(), tenants.list().size() == 1 ? "" : "s", settings.host(), boundPort, "/install", tenants.app().redirectUrl());
                }
                out.flush();
                onStarted.run();
                stop.await();
                out.println(scheduler.workerId().isPresent()
                        ? "Stopping: claiming no more runs; live runs may finish for up to " + HumanDuration.format(options.worker().drainTimeout())
                        + ", then are cancelled at their next commit and handed back to the queue."
                        : "Stopping: live runs are cancelled at their next safe point.");
                out.flush();
                server.stop();
            } finally {
                shutdownDone = stopped;
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting and the hook is what woke us
                }
            }
        }
    }

    /** The app's tenants in the metadata store, refresh tokens sealed with the project's secret key. */
    private Tenants tenants(AppSettings app, MetadataStore store, Project project, java.util.function.Consumer<dev.tributary.scheduler.alert.Alert> alerts) {
        if (!(store instanceof JdbcMetadataStore jdbc)) throw new IllegalStateException("tenants need the JDBC metadata store, not " + store);
        FileSecretStore sealer = FileSecretStore.forProject(project.dir(),
                project.variable(FileSecretStore.KEY_ENV).map(k -> Map.of(FileSecretStore.KEY_ENV, k)).orElse(Map.of()));
        return new Tenants(app, TenantStore.open(jdbc, sealer), new TenantDataRemover(root), alerts, Clock.systemUTC());
    }

    private CountDownLatch shutdownDone;

    private static void printLog(PrintWriter out, LogLine line) {
        synchronized (out) {
            out.println(line.at() + " " + line.level() + " " + line.render());
            out.flush();
        }
    }

    /**
     * What the pages and /metrics read: a lakehouse project's models and check history are in its DuckDB file, not its
     * destination; sync states come from the destination's own state API (see {@link DestinationStates}).
     */
    private static WarehouseProjectData projectData(Project project, DestinationStates states) {
        WarehouseProjectData data = LakehouseSources.applies(project)
                ? WarehouseProjectData.of(project, WarehouseProjectData.Warehouse.duckdb(project.dir().resolve(LakehouseSources.MODELS_FILE)))
                : WarehouseProjectData.of(project);
        return DestinationStates.applies(project) ? data.withStates(states) : data;
    }

    /** Short-lived read connections to the warehouse (table freshness). */
    private static Supplier<Connection> connections(WarehouseTarget warehouse) {
        return () -> {
            try {
                Properties p = new Properties();
                if (warehouse.user() != null) p.setProperty("user", warehouse.user());
                if (warehouse.password() != null) p.setProperty("password", warehouse.password());
                return DriverManager.getConnection(warehouse.jdbcUrl(), p);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to the warehouse: " + e.getMessage(), e);
            }
        };
    }
}
