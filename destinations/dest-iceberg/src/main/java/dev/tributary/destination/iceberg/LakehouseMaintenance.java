package dev.tributary.destination.iceberg;

import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WriterLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.HasTableOperations;
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

    /** Expires snapshots older than {@code olderThan}, always keeping the last {@code retainLast}; their unreferenced files go. */
    public Expired expireSnapshots(TableIdentifier id, Duration olderThan, int retainLast) {
        try (Locks ignored = lock(id)) {
            Table t = session.catalog().loadTable(id);
            int before = size(t.snapshots());
            if (t.currentSnapshot() != null) {
                t.expireSnapshots().expireOlderThan(Instant.now().minus(olderThan).toEpochMilli()).retainLast(Math.max(1, retainLast)).commit();
                t.refresh();
            }
            return new Expired(id.toString(), before, size(t.snapshots()));
        }
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
