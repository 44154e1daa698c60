package dev.tributary.cli;

import dev.tributary.engine.RunEvent;
import dev.tributary.engine.RunListener;
import dev.tributary.engine.StreamResult;
import dev.tributary.engine.SyncResult;
import dev.tributary.engine.WriterLockPolicy;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import dev.tributary.scheduler.HumanDuration;
import dev.tributary.scheduler.StepContext;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepExecutor;
import dev.tributary.scheduler.StepFailures;
import dev.tributary.scheduler.StepOutcome;
import dev.tributary.spi.ConfigException;
import dev.tributary.transform.NodeResult;
import dev.tributary.transform.NodeStatus;
import dev.tributary.transform.ProgressLines;
import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.TransformRunner;
import dev.tributary.transform.WarehouseTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Carries out pipeline steps on a Tributary project, the way the CLI commands do: sync connections (each with its own
 * destination session, so connections can run in parallel), build/run/test models, run checks, export a model to a
 * file, maintain the lakehouse. The project is loaded again for every step, so edits to {@code .env} or models apply from the next step on.
 */
final class ProjectStepExecutor implements StepExecutor {
    private final TributaryCommand root;
    /** The app's tenants, when the project has an app: section (multi-tenant connections sync through it). */
    private final TenantSyncs tenantSyncs;

    ProjectStepExecutor(TributaryCommand root) {
        this(root, null);
    }

    ProjectStepExecutor(TributaryCommand root, TenantSyncs tenantSyncs) {
        this.root = root;
        this.tenantSyncs = tenantSyncs;
    }

    @Override
    public StepOutcome execute(StepContext context) throws Exception {
        StepDef step = context.step();
        return switch (step.kind()) {
            case SYNC -> sync(context);
            case BUILD, RUN, TEST, CHECKS -> transform(context);
            case EXPORT -> export(context);
            case LAKEHOUSE -> lakehouse(context);
        };
    }

    private StepOutcome sync(StepContext context) throws InterruptedException {
        Project project = Project.load(root.projectDir, root.environment, root.connectors);
        List<String> named = context.step().targets().isEmpty() ? List.copyOf(project.connections().keySet()) : context.step().targets();
        List<String> connections = named.stream().filter(c -> !project.connection(c).multiTenant()).toList();
        List<String> templates = named.stream().filter(c -> project.connection(c).multiTenant()).toList();
        List<SyncResult> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        boolean allTransient = true; // retried by the scheduler only when every failure may not happen again
        List<TenantSyncs.Outcome> tenantOutcomes = new ArrayList<>();
        for (String template : templates) {
            if (context.cancelled()) break;
            if (tenantSyncs == null) {
                errors.add(template + ": multi_tenant connections sync in 'tributary serve' with the project's app: section");
                allTransient = false;
                continue;
            }
            TenantSyncs.Outcome outcome = tenantSyncs.sync(context, project, project.connection(template));
            tenantOutcomes.add(outcome);
            context.log(template, outcome.summary());
            if (!outcome.failures().isEmpty()) {
                int shown = Math.min(outcome.failures().size(), 20);
                errors.add(template + ": " + outcome.failures().size() + " tenant(s) failed: " + String.join("; ", outcome.failures().subList(0, shown))
                        + (shown < outcome.failures().size() ? "; ..." : ""));
                // retrying the step would sync every tenant again: a failed tenant goes first in the next scheduled run instead
                allTransient = false;
            }
        }
        Set<String> retriedStreams = ConcurrentHashMap.newKeySet();
        if (context.step().parallel() && connections.size() > 1) {
            try (ExecutorService pool = Executors.newFixedThreadPool(connections.size(), Thread.ofPlatform().name("sync-", 0).factory())) {
                List<Future<SyncResult>> futures = new ArrayList<>();
                for (String c : connections) futures.add(pool.submit(() -> syncOne(context, project, c, retriedStreams)));
                for (int i = 0; i < futures.size(); i++) {
                    try {
                        results.add(futures.get(i).get());
                    } catch (ExecutionException e) {
                        errors.add(connections.get(i) + ": " + message(e.getCause()));
                        allTransient &= StepFailures.isTransient(e.getCause());
                        context.log(connections.get(i), "failed: " + message(e.getCause()));
                    }
                }
            }
        } else {
            for (String c : connections) {
                if (context.cancelled()) break;
                try {
                    results.add(syncOne(context, project, c, retriedStreams));
                } catch (RuntimeException e) {
                    errors.add(c + ": " + message(e));
                    allTransient &= StepFailures.isTransient(e);
                    context.log(c, "failed: " + message(e));
                }
            }
        }
        long records = results.stream().mapToLong(SyncResult::records).sum() + tenantOutcomes.stream().mapToLong(TenantSyncs.Outcome::records).sum();
        long streams = results.stream().mapToLong(r -> r.streams().size()).sum();
        for (SyncResult r : results) {
            for (StreamResult s : r.streams()) {
                if (s.error().isEmpty()) continue;
                String key = r.connection() + "." + s.stream().id().name();
                errors.add(key + ": " + s.error().get());
                // the engine retries a stream only for a transient failure; one it retried failed that way
                allTransient &= retriedStreams.contains(key) || StepFailures.looksTransient(s.error().get());
            }
        }
        String summary = String.format(Locale.ROOT, "%d connection%s, %d streams, %,d records", results.size(), results.size() == 1 ? "" : "s", streams, records);
        for (TenantSyncs.Outcome o : tenantOutcomes) summary += "; " + o.summary();
        List<String> fallbacks = new ArrayList<>();
        for (SyncResult r : results) {
            for (StreamResult s : r.streams()) s.fallback().ifPresent(f -> fallbacks.add(r.connection() + "." + s.stream().id().name() + " (" + f + ")"));
        }
        if (!fallbacks.isEmpty()) summary += "; " + dev.tributary.scheduler.StepOutcome.FALLBACK_MARK + String.join("; ", fallbacks);
        if (context.cancelled()) return StepOutcome.failure(records, summary, "cancelled");
        refreshLakehouseViews(context, () -> project);
        if (errors.isEmpty()) return StepOutcome.success(records, summary);
        return allTransient ? StepOutcome.transientFailure(records, summary, String.join("; ", errors)) : StepOutcome.failure(records, summary, String.join("; ", errors));
    }

    /** On a lakehouse project, the views the web UI's dashboards and freshness read show what the sync or build committed. */
    private static void refreshLakehouseViews(StepContext context, java.util.function.Supplier<Project> project) {
        try {
            LakehouseSources.refresh(project.get(), line -> context.log("lakehouse", line));
        } catch (RuntimeException e) {
            // the sync itself succeeded; the next build or show brings the views up to date again
            context.log("lakehouse", "the DuckDB views of the lakehouse were not updated: " + message(e));
        }
    }

    private SyncResult syncOne(StepContext context, Project project, String connection, Set<String> retriedStreams) {
        try (Workspace workspace = new Workspace(project, root.connectors)) {
            context.onCancel(workspace::cancel);
            workspace.useCommitGate(context::mayCommit); // a worker that lost its claim on the run commits nothing more
            // A scheduled sync waits for another writer of its data (a CLI sync) rather than failing; cancel stops the wait.
            workspace.useLockPolicy(WriterLockPolicy.waitFor("tributary serve", line -> context.log(connection, line)));
            context.log(connection, "syncing into " + workspace.destination().describe());
            SyncResult result;
            try (TapLogBridge taps = TapLogBridge.into(context, connection)) {
                result = workspace.sync(connection, Set.of(), false, StepItemRecorder.streams(context, connection, syncLog(context, connection, retriedStreams)));
            }
            context.log(connection, String.format(Locale.ROOT, "%s: %,d records, %,d rejected in %s", result.ok() ? "done" : "FAILED",
                    result.records(), result.rejected(), HumanDuration.format(result.duration())));
            return result;
        }
    }

    private static RunListener syncLog(StepContext context, String connection, Set<String> retriedStreams) {
        return event -> {
            switch (event) {
                case RunEvent.StreamStarted s -> context.log(connection, s.stream().id().name() + (s.resumed() ? ": resuming from the last commit" : ": started"));
                case RunEvent.StreamRetrying r -> {
                    retriedStreams.add(connection + "." + r.stream().id().name());
                    context.log(connection, r.stream().id().name() + ": attempt " + r.failedAttempt() + " failed (" + r.error()
                            + "), retrying in " + HumanDuration.format(r.delay()));
                }
                case RunEvent.StreamFinished f -> context.log(connection, String.format(Locale.ROOT, "%s: %s, %,d records, %,d rejected, table %s",
                        f.result().stream().id().name(), f.result().status().name().toLowerCase(Locale.ROOT), f.result().records(), f.result().rejected(),
                        f.result().table()) + f.result().error().map(e -> " (" + e + ")").orElse("")
                        + f.result().fallback().map(fb -> " WARNING served from its FALLBACK: " + fb).orElse(""));
                default -> {
                }
            }
        };
    }

    private StepOutcome transform(StepContext context) {
        TransformArgs args = new TransformArgs();
        args.vars = context.step().options().get("vars");
        args.runVars = context.vars();
        args.target = context.step().options().get("target");
        args.targetFromStep = true;
        TransformProject project = args.load(root.projectDir, root, o -> o.withSelect(context.step().targets().toArray(String[]::new))
                .withFullRefresh(Boolean.parseBoolean(context.step().options().getOrDefault("full_refresh", "false"))));
        TransformRunner runner = new TransformRunner(project, StepItemRecorder.nodes(context, ProgressLines.lines(line -> context.log("models", line))));
        // cancel stops the statement running in the warehouse and skips the nodes not started, instead of waiting for the build
        context.onCancel(runner::cancel);
        runner.useCommitGate(context::mayCommit); // a worker that lost its claim on the run commits no model, seed or snapshot more
        RunSummary summary = switch (context.step().kind()) {
            case BUILD -> runner.build();
            case RUN -> runner.run();
            case TEST -> runner.test();
            default -> runner.checks();
        };
        // a build on another target (Spark) wrote Iceberg tables: the dashboards read them through the lakehouse views
        if (args.target != null) refreshLakehouseViews(context, () -> Project.load(root.projectDir, root.environment, root.connectors));
        if (context.cancelled()) {
            context.log("models", summary.summaryLine() + " (cancelled)");
            return StepOutcome.failure(0, summary.summaryLine(), "cancelled");
        }
        List<String> problems = new ArrayList<>();
        boolean allTransient = true; // a SQL error or a failing test fails the same way again; a lost connection may not
        for (NodeResult r : summary.results()) {
            if (r.status() == NodeStatus.ERROR || r.status() == NodeStatus.FAIL) {
                problems.add(r.name() + " " + r.status().name().toLowerCase(Locale.ROOT) + (r.message() == null ? "" : ": " + firstLines(r.message())));
                allTransient &= r.status() == NodeStatus.ERROR && StepFailures.looksTransient(r.message());
            }
        }
        context.log("models", summary.summaryLine());
        // As the commands exit: warnings pass; errors and failures (of models, tests and checks alike) fail the step.
        if (summary.exitCode() == 0) return StepOutcome.success(0, summary.summaryLine());
        String error = String.join("; ", problems);
        return allTransient && !problems.isEmpty() ? StepOutcome.transientFailure(0, summary.summaryLine(), error) : StepOutcome.failure(0, summary.summaryLine(), error);
    }

    private StepOutcome export(StepContext context) throws SQLException {
        StepDef step = context.step();
        Project project = Project.load(root.projectDir, root.environment, root.connectors);
        String summary = ModelExport.run(project, step.options(), step.name(), line -> context.log("export", line), context::mayCommit);
        return StepOutcome.success(0, summary);
    }

    private StepOutcome lakehouse(StepContext context) {
        Project project = Project.load(root.projectDir, root.environment, root.connectors);
        try (Workspace workspace = new Workspace(project, root.connectors)) {
            StepOutcome outcome = LakehouseStep.run(context, project, workspace, root.commandPrefix());
            refreshLakehouseViews(context, () -> project); // compacted tables: the views read the new files
            return outcome;
        }
    }

    /** "Database Error in model x (models/x.sql): Binder Error: ...": the heading alone does not say what went wrong. */
    private static String firstLines(String message) {
        return String.join(": ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).limit(2).toList());
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }
}
