package dev.tributary.cli;

import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import dev.tributary.scheduler.StepContext;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepOutcome;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.TableMaintenance;
import dev.tributary.spi.TableMaintenance.Outcome;
import dev.tributary.spi.WarehouseBusyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline's {@code lakehouse} step: what {@code tributary lakehouse compact|expire-snapshots|remove-orphans} does,
 * on a schedule. The actions run in the order compact, expire-snapshots, remove-orphans over every table (or the
 * step's {@code table}); each table is logged as it is done. A table a sync is writing fails the step as a transient
 * failure (the scheduler retries it; the next run catches up), having done the other tables.
 */
final class LakehouseStep {
    static final Duration DEFAULT_OLDER_THAN = Duration.ofDays(7);

    private LakehouseStep() {
    }

    static StepOutcome run(StepContext context, Project project, Workspace workspace, String commandPrefix) {
        StepDef step = context.step();
        String type = project.destinationType();
        if (!type.equals("iceberg")) {
            throw new ConfigException("pipelines", step.name(), "a lakehouse step works on an iceberg destination; this project's destination is " + type);
        }
        DestinationSession session = workspace.destination();
        if (!(session instanceof TableMaintenance maintenance)) {
            throw new ConfigException("pipelines", step.name(), "the " + type + " destination offers no lakehouse maintenance");
        }
        List<String> tables = maintenance.maintainedTables();
        String only = step.options().get("table");
        if (only != null && !tables.contains(only)) {
            throw new ConfigException("pipelines", step.name() + ".table", "no table " + only + " in " + session.describe() + "; tables: "
                    + String.join(", ", tables) + dev.tributary.spi.Config.didYouMean(only, tables));
        }
        Duration olderThan = step.options().containsKey("older_than") ? Duration.ofSeconds(Long.parseLong(step.options().get("older_than"))) : DEFAULT_OLDER_THAN;
        int retainLast = Integer.parseInt(step.options().getOrDefault("retain_last", "1"));
        List<String> busy = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int done = 0;
        for (String action : step.targets()) {
            LockHolder holder = LockHolder.thisProcess(commandPrefix + " lakehouse " + action + " (pipeline step " + step.name() + ")");
            for (String table : only == null ? tables : List.of(only)) {
                if (context.cancelled()) return StepOutcome.failure(0, done + " table operations done", "cancelled");
                try {
                    Outcome o = switch (action) {
                        case "compact" -> maintenance.compact(table, holder);
                        case "expire-snapshots" -> maintenance.expireSnapshots(table, olderThan, retainLast, holder);
                        default -> maintenance.removeOrphans(table, TableMaintenance.ORPHANS_OLDER_THAN, false, holder); // files a live sync is writing are younger
                    };
                    context.log("lakehouse", action + " " + o.table() + ": " + o.summary());
                    done++;
                } catch (WarehouseBusyException e) {
                    busy.add(action + " " + table + ": " + e.getMessage());
                    context.log("lakehouse", action + " " + table + ": skipped, " + e.getMessage());
                } catch (RuntimeException e) {
                    failed.add(action + " " + table + ": " + e.getMessage());
                    context.log("lakehouse", action + " " + table + ": FAILED " + e.getMessage());
                }
            }
        }
        String summary = String.join(", ", step.targets()) + " on " + (only != null ? only : tables.size() + " table" + (tables.size() == 1 ? "" : "s"));
        if (!failed.isEmpty()) {
            failed.addAll(busy);
            return StepOutcome.failure(0, summary, String.join("; ", failed));
        }
        if (!busy.isEmpty()) return StepOutcome.transientFailure(0, summary, String.join("; ", busy));
        return StepOutcome.success(0, summary);
    }
}
