package dev.tributary.destination.iceberg;

import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WriterLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.HistoryEntry;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * {@code tributary lakehouse compact|expire-snapshots|remove-orphans}: keeping a lakehouse small and fast. Each
 * operation holds the writer locks of the connections that write the table, so it never races a sync.
 */
public final class LakehouseMaintenance {
    private final IcebergSession session;
    private final LockHolder holder;

    public LakehouseMaintenance(IcebergSession session, LockHolder holder) {
        this.session = session;
        this.holder = holder;
    }

    /** What expire-snapshots did to one table. */
    public record Expired(String table, int snapshotsBefore, int snapshotsAfter) {}

    /** Files under a table's location that no snapshot or metadata file refers to. */
    public record Orphans(String table, List<String> files, long bytes, boolean removed) {}

    /** The tables to work on: {@code only} (namespace.table) or every table. Unknown names are an error naming the known ones. */
    public List<TableIdentifier> tables(String only) {
        List<TableIdentifier> all = session.allTables();
        if (only == null) return all;
        TableIdentifier id = TableIdentifier.parse(only);
        if (!all.contains(id)) {
            throw new IllegalArgumentException("no table " + only + " in " + session.describe() + "; tables: "
                    + all.stream().map(TableIdentifier::toString).sorted().toList());
        }
        return List.of(id);
    }

    public TableRewriter.Compaction compact(TableIdentifier id) {
        try (Locks ignored = lock(id)) {
            Table t = session.catalog().loadTable(id);
            return TableRewriter.compact(t, "compact-" + UUID.randomUUID());
        }
    }

    /**
     * Expires the snapshots that stopped being current more than {@code olderThan} ago (not: that were made that long
     * ago), always keeping the current one and its last {@code retainLast} ancestors and the heads of branches and tags;
     * the files only they used are deleted. A reader that planned a snapshot just before a compaction or a sync replaced
     * it (a DuckDB view of the lakehouse, a Spark query) keeps its files for {@code olderThan} after that, however old
     * the snapshot itself is: with Iceberg's own rule (the snapshot's age) a week-old snapshot replaced a second ago
     * lost its files at once, under the query reading it.
     */
    public Expired expireSnapshots(TableIdentifier id, Duration olderThan, int retainLast) {
        try (Locks ignored = lock(id)) {
            Table t = session.catalog().loadTable(id);
            int before = size(t.snapshots());
            List<Long> expired = expirable(t, Instant.now().minus(olderThan).toEpochMilli(), retainLast);
            if (!expired.isEmpty()) {
                // no expiry by age on top of the chosen ones (Iceberg's default would expire by the snapshots' own age)
                ExpireSnapshots expire = t.expireSnapshots().expireOlderThan(Long.MIN_VALUE).retainLast(1);
                expired.forEach(expire::expireSnapshotId);
                expire.commit();
                t.refresh();
            }
            return new Expired(id.toString(), before, size(t.snapshots()));
        }
    }

    /**
     * The snapshots of {@code t} that stopped being current before {@code cutoff} (a snapshot that never was current:
     * its own time), less the current one, its last {@code retainLast} ancestors and every branch's and tag's head.
     */
    static List<Long> expirable(Table t, long cutoff, int retainLast) {
        Snapshot current = t.currentSnapshot();
        if (current == null) return List.of();
        Set<Long> keep = new HashSet<>();
        for (Snapshot s = current; s != null && keep.size() < Math.max(1, retainLast); s = s.parentId() == null ? null : t.snapshot(s.parentId())) {
            keep.add(s.snapshotId());
        }
        t.refs().values().forEach(r -> keep.add(r.snapshotId()));
        Map<Long, Long> replacedAt = new HashMap<>();
        List<HistoryEntry> log = t.history();
        for (int i = 0; i + 1 < log.size(); i++) replacedAt.merge(log.get(i).snapshotId(), log.get(i + 1).timestampMillis(), Math::max);
        List<Long> out = new ArrayList<>();
        for (Snapshot s : t.snapshots()) {
            if (keep.contains(s.snapshotId())) continue;
            if (replacedAt.getOrDefault(s.snapshotId(), s.timestampMillis()) < cutoff) out.add(s.snapshotId());
        }
        return out;
    }

    /**
     * Finds (and unless {@code dryRun} deletes) files under the table's location that nothing refers to and that were
     * last modified more than {@code olderThan} ago: what a killed sync wrote but never committed, or what a failed
     * commit left. The table lock, held alone, keeps any writer of the table from staging files meanwhile; the age
     * threshold also spares writers the lock cannot see (a {@code rest} catalog's writers on another machine).
     */
    public Orphans removeOrphans(TableIdentifier id, Duration olderThan, boolean dryRun) {
        long before = Instant.now().minus(olderThan).toEpochMilli();
        try (Locks ignored = lock(id)) {
            Table t = session.catalog().loadTable(id);
            Set<String> referenced = referencedFiles(t);
            if (!(t.io() instanceof SupportsPrefixOperations listing)) {
                throw new IllegalStateException("the FileIO of " + id + " cannot list files, so orphans cannot be found");
            }
            List<String> orphans = new ArrayList<>();
            long bytes = 0;
            for (FileInfo f : listing.listPrefix(t.location())) {
                if (!referenced.contains(f.location()) && f.createdAtMillis() <= before) {
                    orphans.add(f.location());
                    bytes += f.size();
                }
            }
            if (!dryRun) for (String o : orphans) t.io().deleteFile(o);
            return new Orphans(id.toString(), orphans, bytes, !dryRun);
        }
    }

    /** Every file any snapshot or the metadata refers to: metadata files, manifest lists, manifests, data and delete files, statistics. */
    static Set<String> referencedFiles(Table t) {
        Set<String> out = new HashSet<>(Reconciliation.keyFiles(t));
        TableMetadata meta = ((HasTableOperations) t).operations().current();
        out.add(meta.metadataFileLocation());
        for (TableMetadata.MetadataLogEntry e : meta.previousFiles()) out.add(e.file());
        for (StatisticsFile s : t.statisticsFiles()) out.add(s.path());
        t.partitionStatisticsFiles().forEach(p -> out.add(p.path()));
        for (Snapshot s : t.snapshots()) {
            out.add(s.manifestListLocation());
            for (ManifestFile m : s.allManifests(t.io())) {
                if (!out.add(m.path())) continue;
                try (ManifestReader<? extends ContentFile<?>> r = m.content() == org.apache.iceberg.ManifestContent.DATA
                        ? ManifestFiles.read(m, t.io(), t.specs())
                        : ManifestFiles.readDeleteManifest(m, t.io(), t.specs())) {
                    for (ContentFile<?> f : r) out.add(f.location());
                } catch (IOException e) {
                    throw new UncheckedIOException("reading manifest " + m.path() + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /**
     * The table lock of {@code id} alone, and the writer locks of every connection that writes it: those named in its
     * states and commits, and its namespace.
     */
    private Locks lock(TableIdentifier id) {
        Set<String> connections = new TreeSet<>();
        connections.add(id.namespace().level(id.namespace().length() - 1));
        TableFactory.load(session.catalog(), id).ifPresent(t -> {
            for (String key : StateSummary.current(t).keySet()) {
                if (!key.startsWith(StateSummary.PREFIX)) continue;
                String rest = key.substring(StateSummary.PREFIX.length());
                connections.add(rest.substring(0, rest.indexOf('/')));
            }
            if (t.currentSnapshot() != null) {
                String c = t.currentSnapshot().summary().get("tributary.connection");
                if (c != null) connections.add(c);
            }
        });
        Locks locks = new Locks(new ArrayList<>());
        try {
            // the table lock alone: no writer of any connection (a new tenant's first sync too) is staging files for it
            locks.held().add(session.lockTable(id, true, holder));
            for (String c : connections) locks.held().add(session.lockWriter(c, holder));
        } catch (RuntimeException e) {
            locks.close();
            throw e;
        }
        return locks;
    }

    private record Locks(List<WriterLock> held) implements AutoCloseable {
        @Override
        public void close() {
            for (WriterLock l : held) l.close();
        }
    }

    private static int size(Iterable<?> it) {
        int n = 0;
        for (Object ignored : it) n++;
        return n;
    }
}
