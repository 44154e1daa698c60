package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * A destination session whose tables need upkeep that a database would do by itself: the Iceberg lakehouse
 * ({@code tributary lakehouse ...}). Each operation holds the writer locks of the connections that write the table
 * while it works, so it never races a sync ({@link WarehouseBusyException} when one is writing).
 */
public interface TableMaintenance {
    /** Every table, as {@code namespace.table}. */
    List<String> maintainedTables();

    /** Rewrites small files (and files with many deleted rows) of {@code table} into fewer, larger ones, in proportion to what changed. */
    Outcome compact(String table, LockHolder holder);

    /**
     * Forgets snapshots that stopped being current more than {@code olderThan} ago (a reader of a just-replaced snapshot
     * keeps its files that long), keeping at least {@code retainLast}, and deletes the files only they used.
     */
    Outcome expireSnapshots(String table, Duration olderThan, int retainLast, LockHolder holder);

    /** How old an unreferenced file must be before remove-orphans deletes it (Iceberg's own default: 3 days). */
    Duration ORPHANS_OLDER_THAN = Duration.ofDays(3);

    /**
     * Finds (and unless {@code dryRun} deletes) files under the table's location that nothing refers to and that were
     * last modified more than {@code olderThan} ago (younger ones may belong to a commit in the making elsewhere).
     */
    Outcome removeOrphans(String table, Duration olderThan, boolean dryRun, LockHolder holder);

    /** What an operation did to one table: a line for people, and the files it is about (orphans) when any. */
    record Outcome(String table, String summary, List<String> files) {
        public Outcome {
            requireNonNull(table, "table is null");
            requireNonNull(summary, "summary is null");
            files = List.copyOf(files);
        }
    }
}
