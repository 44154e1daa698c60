package dev.tributary.destination.iceberg;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.RunId;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.TableMaintenance;
import dev.tributary.spi.WriterLock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * An open lakehouse: its catalog, the writers of this run and the writer locks held. States are read from the
 * current snapshots of the tables (see {@link StateSummary}).
 */
public final class IcebergSession implements DestinationSession, TableMaintenance {
    private final LakehouseCatalog lake;
    private final WriterLocks locks;
    private final RejectsTable rejects;
    private final Set<IcebergStreamWriter> writers = ConcurrentHashMap.newKeySet();
    private final Set<WriterLock> held = ConcurrentHashMap.newKeySet();
    /** Where each state key was last seen: state key to table. */
    private final Map<String, TableIdentifier> stateTables = new ConcurrentHashMap<>();
    private volatile boolean closed;

    IcebergSession(LakehouseCatalog lake, WriterLocks locks) {
        this.lake = lake;
        this.locks = locks;
        this.rejects = new RejectsTable(lake.catalog());
    }

    /** The catalog and FileIO, for maintenance, tests and readers. */
    public LakehouseCatalog lakehouse() {
        return lake;
    }

    Catalog catalog() {
        return lake.catalog();
    }

    IcebergConfig config() {
        return lake.config();
    }

    RejectsTable rejects() {
        return rejects;
    }

    /** The table a configured stream lands in. */
    public TableIdentifier tableId(ConfiguredStream stream) {
        return IcebergNames.tableFor(stream);
    }

    @Override
    public StreamWriter writer(ConfiguredStream stream, RunId run) {
        ensureOpen();
        IcebergStreamWriter w = new IcebergStreamWriter(this, stream, run);
        writers.add(w);
        return w;
    }

    void forget(IcebergStreamWriter w) {
        writers.remove(w);
    }

    void remember(String stateKey, TableIdentifier table) {
        stateTables.put(stateKey, table);
    }

    @Override
    public WriterLock lockWriter(String connection, LockHolder holder) {
        ensureOpen();
        WriterLock lock = locks.lock(connection, holder, describe());
        held.add(lock);
        return WriterLock.releasedBy(connection, () -> {
            held.remove(lock);
            lock.close();
        });
    }

    /** The table lock of {@code table}: shared by the writers staging files for it, exclusive for retyping and maintenance. */
    WriterLock lockTable(TableIdentifier table, boolean exclusive, LockHolder holder) {
        ensureOpen();
        return locks.lockTable(table.toString(), exclusive, holder, describe());
    }

    @Override
    public Optional<StreamState> committedState(String connection, StreamId stream) {
        ensureOpen();
        String key = StateSummary.key(connection, stream);
        TableIdentifier known = stateTables.get(key);
        List<TableIdentifier> candidates = new ArrayList<>();
        if (known != null) candidates.add(known);
        candidates.add(IcebergNames.tableFor(connection, stream.name()));
        for (TableIdentifier id : candidates) {
            Optional<Table> t = TableFactory.load(catalog(), id);
            if (t.isPresent()) {
                String v = StateSummary.current(t.get()).get(key);
                if (v != null) {
                    stateTables.put(key, id);
                    return StateSummary.read(key, v).map(StoredState::state);
                }
            }
        }
        // the project may have put the stream in another namespace or table: look everywhere once
        for (Map.Entry<TableIdentifier, Map<String, String>> e : allStates().entrySet()) {
            String v = e.getValue().get(key);
            if (v != null) {
                stateTables.put(key, e.getKey());
                return StateSummary.read(key, v).map(StoredState::state);
            }
        }
        return Optional.empty();
    }

    @Override
    public List<StoredState> states() {
        ensureOpen();
        List<StoredState> out = new ArrayList<>();
        for (Map<String, String> states : allStates().values()) {
            states.forEach((k, v) -> StateSummary.read(k, v).ifPresent(out::add));
        }
        out.sort(Comparator.comparing(StoredState::connection).thenComparing(s -> s.state().stream()));
        return out;
    }

    @Override
    public int resetState(String connection, Optional<StreamId> stream) {
        ensureOpen();
        int removed = 0;
        for (Map.Entry<TableIdentifier, Map<String, String>> e : allStates().entrySet()) {
            List<String> gone = e.getValue().keySet().stream()
                    .filter(k -> k.startsWith(StateSummary.PREFIX))
                    .filter(k -> stream.map(s -> k.equals(StateSummary.key(connection, s))).orElse(k.startsWith(StateSummary.PREFIX + connection + "/")))
                    .toList();
            if (gone.isEmpty()) continue;
            Table t = catalog().loadTable(e.getKey());
            Map<String, String> keep = new HashMap<>(StateSummary.current(t));
            gone.forEach(keep::remove);
            var op = t.newAppend();
            keep.forEach(op::set);
            op.set("tributary.operation", "reset state of " + connection);
            op.commit();
            gone.forEach(stateTables::remove);
            removed += gone.size();
        }
        return removed;
    }

    /**
     * Drops a tenant's namespace with its tables (their files purged) and forgets the connection's states, in its
     * tables and anywhere else the project put its streams. Each table is dropped under its exclusive table lock, so a
     * writer still staging files for it makes this fail at once, saying so.
     */
    @Override
    public String dropNamespace(String namespace, String connection) {
        ensureOpen();
        Namespace ns = IcebergNames.namespaceOf(namespace);
        int tables = CatalogObjects.dropNamespace(catalog(), ns, id -> {
            try (WriterLock lock = lockTable(id, true, LockHolder.thisProcess("removing " + connection))) {
                return catalog().dropTable(id, true);
            }
        });
        resetState(connection, Optional.empty());
        stateTables.keySet().removeIf(k -> k.startsWith(StateSummary.PREFIX + connection + "/"));
        return "namespace " + ns + " (" + tables + " table" + (tables == 1 ? "" : "s") + ")";
    }

    /** The stream states of every table of the lakehouse, by table. */
    Map<TableIdentifier, Map<String, String>> allStates() {
        Map<TableIdentifier, Map<String, String>> out = new HashMap<>();
        for (TableIdentifier id : allTables()) {
            TableFactory.load(catalog(), id).ifPresent(t -> {
                Map<String, String> s = StateSummary.current(t);
                if (!s.isEmpty()) out.put(id, s);
            });
        }
        return out;
    }

    /** Every table of every namespace, our rejects tables included. */
    public List<TableIdentifier> allTables() {
        List<TableIdentifier> out = new ArrayList<>();
        if (!(catalog() instanceof SupportsNamespaces ns)) return out;
        for (Namespace n : ns.listNamespaces()) out.addAll(catalog().listTables(n));
        return out;
    }

    @Override
    public List<String> maintainedTables() {
        return allTables().stream().map(TableIdentifier::toString).sorted().toList();
    }

    @Override
    public Outcome compact(String table, LockHolder holder) {
        LakehouseMaintenance m = new LakehouseMaintenance(this, holder);
        TableIdentifier id = m.tables(table).get(0);
        TableRewriter.Compaction c = m.compact(id);
        String summary = c.nothing() ? "nothing to compact"
                : String.format("%,d data files and %,d delete files -> %,d data files and %,d delete files (%,d rows rewritten)", c.filesBefore(),
                        c.deleteFilesBefore(), c.filesAfter(), c.deleteFilesAfter(), c.rowsRewritten());
        return new Outcome(id.toString(), summary, List.of());
    }

    @Override
    public Outcome expireSnapshots(String table, java.time.Duration olderThan, int retainLast, LockHolder holder) {
        LakehouseMaintenance m = new LakehouseMaintenance(this, holder);
        TableIdentifier id = m.tables(table).get(0);
        LakehouseMaintenance.Expired e = m.expireSnapshots(id, olderThan, retainLast);
        return new Outcome(id.toString(), String.format("%,d snapshots -> %,d", e.snapshotsBefore(), e.snapshotsAfter()), List.of());
    }

    @Override
    public Outcome removeOrphans(String table, java.time.Duration olderThan, boolean dryRun, LockHolder holder) {
        LakehouseMaintenance m = new LakehouseMaintenance(this, holder);
        TableIdentifier id = m.tables(table).get(0);
        LakehouseMaintenance.Orphans o = m.removeOrphans(id, olderThan, dryRun);
        String summary = String.format("%,d orphan files (%,d bytes)%s", o.files().size(), o.bytes(),
                o.files().isEmpty() ? "" : dryRun ? ", not removed (dry run)" : ", removed");
        return new Outcome(id.toString(), summary, o.files());
    }

    @Override
    public String tableOf(ConfiguredStream stream) {
        return IcebergNames.tableFor(stream).toString();
    }

    @Override
    public String describe() {
        return lake.describe();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the lakehouse session is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (IcebergStreamWriter w : List.copyOf(writers)) {
            try {
                w.abort();
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
        writers.clear();
        for (WriterLock l : List.copyOf(held)) l.close();
        held.clear();
        lake.close();
    }
}
