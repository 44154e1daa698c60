package dev.tributary.project;

import dev.tributary.engine.RunListener;
import dev.tributary.engine.SyncEngine;
import dev.tributary.engine.SyncJob;
import dev.tributary.engine.SyncOptions;
import dev.tributary.engine.SyncResult;
import dev.tributary.engine.WriterLockPolicy;
import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.SecretStore;
import dev.tributary.spi.Source;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loaded project with its connectors: discovers, checks and syncs connections, and owns the open destination.
 * The CLI, and later the scheduler and server, work through this one class.
 */
public final class Workspace implements AutoCloseable {
    private final Project project;
    private final Connectors connectors;
    private DestinationSession destination;
    private FileSecretStore secrets;
    private final AtomicReference<SyncEngine> running = new AtomicReference<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** Ends the connector's waits (a 429's back-off) during discovery, before any engine runs, when cancelled. */
    private final dev.tributary.spi.CancelSignal signal = new dev.tributary.spi.CancelSignal();
    private volatile WriterLockPolicy lockPolicy = WriterLockPolicy.stopAtOnce("tributary sync");
    private volatile java.util.function.BooleanSupplier commitGate = () -> true;

    public Workspace(Project project, Connectors connectors) {
        this.project = project;
        this.connectors = connectors;
    }

    public Project project() {
        return project;
    }

    /**
     * How syncs take their connection's writer lock (and opening the warehouse, which another writer may hold): who
     * this process says it is, and whether it waits for a holder or stops at once (the default).
     */
    public void useLockPolicy(WriterLockPolicy policy) {
        this.lockPolicy = policy;
    }

    /** Asked before each commit of the syncs that follow (see {@link SyncEngine#useCommitGate}). */
    public void useCommitGate(java.util.function.BooleanSupplier gate) {
        this.commitGate = java.util.Objects.requireNonNull(gate, "gate is null");
    }

    public synchronized DestinationSession destination() {
        if (destination == null) {
            Destination d = connectors.destination(project.destinationType(), project.destinationConfig(), "type");
            destination = lockPolicy.obtain(() -> d.open(project.destinationConfig()), cancelled::get);
            Project.assertNoUnknownKeys(project.destinationConfig());
        }
        return destination;
    }

    public Source source(String connection) {
        ConnectionSettings c = project.connection(connection);
        if (c.multiTenant()) {
            throw new ProjectException("connection " + connection + " is multi_tenant: a template for the app's installed accounts, synced per tenant by"
                    + " 'tributary serve' (pipelines that sync it run every active tenant); it has no account of its own to " + "read");
        }
        Source source = connectors.source(c.type(), c.config(), "type");
        source.useSecrets(secrets());
        return source;
    }

    /** Secrets connectors learn while running (a rotated refresh token), encrypted in {@code .tributary/secrets}. */
    public synchronized FileSecretStore secrets() {
        if (secrets == null) secrets = FileSecretStore.forProject(project.dir(),
                project.variable(FileSecretStore.KEY_ENV).map(k -> Map.of(FileSecretStore.KEY_ENV, k)).orElse(Map.of()));
        return secrets;
    }

    public Catalog discover(String connection) {
        ConnectionSettings c = project.connection(connection);
        project.validateConnection(connection);
        Catalog catalog = signal.bind(() -> source(connection).discover(c.config()));
        Project.assertNoUnknownKeys(c.config());
        return catalog;
    }

    public CheckResult check(String connection) {
        ConnectionSettings c = project.connection(connection);
        project.validateConnection(connection);
        CheckResult result = source(connection).check(c.config());
        // A check that failed stopped reading its settings where it failed: the keys after that are not unknown.
        if (result.ok()) Project.assertNoUnknownKeys(c.config());
        return result;
    }

    public List<ConfiguredStream> plan(String connection, Set<String> only) {
        return StreamPlanner.plan(project.connection(connection), discover(connection), only);
    }

    public SyncResult sync(String connection, Set<String> only, boolean fullRefresh, RunListener listener) {
        return sync(connection, plan(connection, only), fullRefresh, listener);
    }

    /** Syncs streams planned before (see {@link #plan}), so a caller can check every connection before syncing any. */
    public SyncResult sync(String connection, List<ConfiguredStream> streams, boolean fullRefresh, RunListener listener) {
        SyncOptions options = project.syncOptions().withFullRefresh(fullRefresh);
        SyncEngine engine = new SyncEngine(options, listener, lockPolicy);
        engine.useCommitGate(commitGate);
        running.set(engine);
        try {
            ConnectionSettings c = project.connection(connection);
            return engine.run(new SyncJob(connection, source(connection), c.config(), destination(), streams));
        } finally {
            running.set(null);
        }
    }

    /**
     * Syncs one tenant's logical connection ({@link TenantConnections#forTenant}): its streams get the tenant column, its
     * connector keeps what it learns (a rotated refresh token) in {@code secrets}, its state and tables are its own.
     */
    public SyncResult syncTenant(ConnectionSettings tenantConnection, String tenant, SecretStore tenantSecrets, RunListener listener) {
        Source raw = connectors.source(tenantConnection.type(), tenantConnection.config(), "type");
        raw.useSecrets(tenantSecrets);
        Source source = new TenantColumnSource(raw, tenant);
        List<ConfiguredStream> streams = StreamPlanner.plan(tenantConnection, signal.bind(() -> source.discover(tenantConnection.config())), Set.of());
        SyncEngine engine = new SyncEngine(project.syncOptions(), listener, lockPolicy);
        engine.useCommitGate(commitGate);
        running.set(engine);
        if (cancelled.get()) engine.cancel(); // cancelled before the engine existed
        try {
            return engine.run(new SyncJob(tenantConnection.name(), source, tenantConnection.config(), destination(), streams));
        } finally {
            running.compareAndSet(engine, null);
        }
    }

    /** Asks a running sync to stop after its current batch, or at once while it waits for a rate limit (for Ctrl-C). */
    public void cancel() {
        cancelled.set(true);
        signal.cancel();
        SyncEngine engine = running.get();
        if (engine != null) engine.cancel();
    }

    @Override
    public synchronized void close() {
        if (destination != null) {
            destination.close();
            destination = null;
        }
    }
}
