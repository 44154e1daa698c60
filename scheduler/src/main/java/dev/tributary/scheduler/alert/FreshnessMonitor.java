package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every {@code alerts.freshness.check_every}, checks that each pipeline with a freshness deadline succeeded within
 * it, and that each configured table's newest row is younger than its max age. Raises one FRESHNESS alert when a
 * deadline passes, nothing more while it stays stale, and one FRESHNESS_RECOVERY alert when fresh again. Something
 * that never succeeded (or a table with no rows) counts from when the monitor was created. State is kept in memory:
 * after a restart a still-stale pipeline alerts once more.
 */
public final class FreshnessMonitor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FreshnessMonitor.class.getName());

    private final AlertsConfig config;
    private final PipelineService pipelines;
    private final TableAgeProbe probe;
    private final Clock clock;
    private final Consumer<Alert> alerts;
    private final Instant since;
    private final Set<String> stale = new HashSet<>();
    private volatile ScheduledExecutorService executor;

    /**
     * @param alerts receives each alert, typically {@code dispatcher::dispatch}
     * @param clock  tells the time, so tests can move it
     */
    public FreshnessMonitor(AlertsConfig config, PipelineService pipelines, TableAgeProbe probe, Clock clock, Consumer<Alert> alerts) {
        this.config = requireNonNull(config, "config is null");
        this.pipelines = requireNonNull(pipelines, "pipelines is null");
        this.probe = requireNonNull(probe, "probe is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.alerts = requireNonNull(alerts, "alerts is null");
        this.since = clock.instant();
    }

    /** Checks now and then every {@code check_every} on a thread of its own, until {@link #close()}. */
    public synchronized void start() {
        if (executor != null) throw new IllegalStateException("already started");
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-freshness");
            t.setDaemon(true);
            return t;
        });
        long every = config.freshness().checkEvery().toMillis();
        executor.scheduleWithFixedDelay(this::checkQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            // An exception would cancel the periodic task for good.
            LOG.log(System.Logger.Level.WARNING, "freshness check failed", e);
        }
    }

    /** Checks every pipeline deadline and table once; returns the alerts it raised (already passed on). */
    public synchronized List<Alert> check() {
        Instant now = clock.instant();
        List<Alert> raised = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PipelineView view : pipelines.pipelines()) {
            Optional<Duration> deadline = view.definition().freshness();
            if (deadline.isEmpty()) continue;
            String name = view.definition().name();
            seen.add("pipeline:" + name);
            try {
                checkPipeline(name, deadline.get(), now).ifPresent(raised::add);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "freshness: cannot check pipeline " + name, e);
            }
        }
        for (AlertsConfig.TableDeadline table : config.freshness().tables()) {
            seen.add(tableKey(table));
            try {
                checkTable(table, now).ifPresent(raised::add);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "freshness: cannot check table " + table.table() + ": " + e.getMessage());
            }
        }
        // A pipeline removed or without a deadline now starts over as fresh.
        stale.retainAll(seen);
        for (Alert alert : raised) alerts.accept(alert);
        return raised;
    }

    private Optional<Alert> checkPipeline(String name, Duration deadline, Instant now) {
        Optional<RunRecord> last = pipelines.runs(RunQuery.latest(1).pipeline(name).status(RunStatus.SUCCEEDED)).stream().findFirst();
        Optional<Instant> lastSuccess = last.flatMap(RunRecord::endedAt);
        Instant reference = lastSuccess.orElse(since);
        boolean isStale = now.isAfter(reference.plus(deadline));
        String key = "pipeline:" + name;
        if (isStale && stale.add(key)) {
            String note = lastSuccess.map(t -> "no success since " + t).orElse("no success since monitoring started at " + since)
                    + " (deadline " + Alert.formatDuration(deadline) + ")";
            return Optional.of(new Alert(AlertKind.FRESHNESS, Optional.of(name), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), lastSuccess, Optional.empty(), Optional.of(note),
                    Optional.empty(), now));
        }
        if (!isStale && stale.remove(key)) {
            RunRecord run = last.orElseThrow();
            String note = "succeeded at " + lastSuccess.orElseThrow() + " (deadline " + Alert.formatDuration(deadline) + ")";
            return Optional.of(new Alert(AlertKind.FRESHNESS_RECOVERY, Optional.of(name), Optional.empty(), Optional.of(run.id()),
                    Optional.of(run.status()), Optional.empty(), Optional.empty(), run.startedAt(), run.endedAt(), run.duration(),
                    Optional.of(note), config.runUrl(run.id()), now));
        }
        return Optional.empty();
    }

    private Optional<Alert> checkTable(AlertsConfig.TableDeadline table, Instant now) {
        Optional<Instant> newest = probe.newest(table.table(), table.column());
        Instant reference = newest.orElse(since);
        boolean isStale = now.isAfter(reference.plus(table.maxAge()));
        String maxAge = Alert.formatDuration(table.maxAge());
        String key = tableKey(table);
        if (isStale && stale.add(key)) {
            String note = newest.map(t -> "newest " + table.column() + " is " + t + ", older than the max age " + maxAge)
                    .orElse("no rows since monitoring started at " + since + " (max age " + maxAge + ")");
            return Optional.of(tableAlert(AlertKind.FRESHNESS, table, note, now));
        }
        if (!isStale && stale.remove(key)) {
            String note = "newest " + table.column() + " is " + newest.orElseThrow() + ", within the max age " + maxAge;
            return Optional.of(tableAlert(AlertKind.FRESHNESS_RECOVERY, table, note, now));
        }
        return Optional.empty();
    }

    private static Alert tableAlert(AlertKind kind, AlertsConfig.TableDeadline table, String note, Instant now) {
        return new Alert(kind, Optional.empty(), Optional.of(table.table()), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(note), Optional.empty(), now);
    }

    private static String tableKey(AlertsConfig.TableDeadline table) {
        return "table:" + table.table() + "." + table.column();
    }

    /** Pipelines and tables currently past their deadline, for the server to show ("pipeline:revops", "table:hubspot.contacts._tributary_extracted_at"). */
    public synchronized Set<String> stale() {
        return Set.copyOf(stale);
    }

    @Override
    public void close() {
        ScheduledExecutorService e = executor;
        if (e != null) e.shutdownNow();
    }
}
