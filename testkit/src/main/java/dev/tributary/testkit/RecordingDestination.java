package dev.tributary.testkit;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.Field;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.TransientException;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriterLock;
import dev.tributary.spi.WriteMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory destination for engine tests, with the transactional behaviour the contract demands: staged rows
 * become visible only at commit, together with the state. Records every call, so tests can assert on batches,
 * commits and aborts, and can make a commit fail to simulate a crash between write and commit.
 */
public final class RecordingDestination implements Destination, DestinationSession {
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, StoredState> states = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final List<Rejection> rejects = new ArrayList<>();
    private final Map<String, LockHolder> writers = new HashMap<>();
    private final AtomicInteger failCommitsAfter = new AtomicInteger(-1);
    private volatile boolean failTransiently;

    /** A committed table: its schema and rows keyed by field name. */
    public static final class Table {
        public Schema schema;
        public final List<Map<String, Object>> rows = new ArrayList<>();
    }

    /** The next commit after {@code commits} more successful ones throws, as if the process died there. */
    public RecordingDestination failCommitAfter(int commits) {
        failCommitsAfter.set(commits);
        failTransiently = false;
        return this;
    }

    /** Like {@link #failCommitAfter}, but the failure is a {@link TransientException}, as a lost connection would be. */
    public RecordingDestination loseConnectionAtCommitAfter(int commits) {
        failCommitsAfter.set(commits);
        failTransiently = true;
        return this;
    }

    public synchronized List<Map<String, Object>> rows(String table) {
        Table t = tables.get(table);
        return t == null ? List.of() : List.copyOf(t.rows);
    }

    public synchronized Optional<Schema> schema(String table) {
        return Optional.ofNullable(tables.get(table)).map(t -> t.schema);
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    public synchronized List<Rejection> rejects() {
        return List.copyOf(rejects);
    }

    @Override
    public ConnectorSpec spec() {
        return new ConnectorSpec("recording", "In-memory destination for tests",
                List.of(new ConnectorSpec.Setting("label", false, false, "free text the recording destination ignores (for configuration tests)")),
                Set.of(ConnectorSpec.Capability.MERGE, ConnectorSpec.Capability.OVERWRITE, ConnectorSpec.Capability.SOFT_DELETE,
                        ConnectorSpec.Capability.SCHEMA_EVOLUTION, ConnectorSpec.Capability.REJECTS));
    }

    @Override
    public DestinationSession open(Config config) {
        return this;
    }

    @Override
    public StreamWriter writer(ConfiguredStream stream, RunId run) {
        String table = stream.targetNamespace() + "." + stream.target();
        String stateKey = stream.connection() + "/" + stream.id();
        return new StreamWriter() {
            final List<Map<String, Object>> staged = new ArrayList<>();
            final List<Rejection> stagedRejects = new ArrayList<>();
            Schema stagedSchema;

            @Override
            public Optional<Schema> tableSchema() {
                return schema(table);
            }

            @Override
            public void write(RecordBatch batch) {
                synchronized (RecordingDestination.this) {
                    events.add("write " + stream.id() + " " + batch.size());
                }
                stagedSchema = stagedSchema == null ? batch.schema() : stagedSchema.merge(batch.schema());
                for (Record r : batch.records()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    List<Field> fields = batch.schema().fields();
                    for (int i = 0; i < fields.size(); i++) row.put(fields.get(i).name(), r.value(i));
                    row.put("_tributary_run_id", run.value());
                    row.put("_tributary_deleted_at", r.deletedAt());
                    staged.add(row);
                }
                stagedRejects.addAll(batch.rejections());
            }

            @Override
            public void commit(Optional<StreamState> checkpoint) {
                synchronized (RecordingDestination.this) {
                    if (failCommitsAfter.get() == 0) {
                        failCommitsAfter.set(-1);
                        events.add("crash " + stream.id());
                        if (failTransiently) throw new TransientException("simulated lost connection before commit of " + stream.id());
                        throw new IllegalStateException("simulated crash before commit of " + stream.id());
                    }
                    if (failCommitsAfter.get() > 0) failCommitsAfter.decrementAndGet();
                    Table t = tables.computeIfAbsent(table, k -> new Table());
                    if (stagedSchema != null) t.schema = t.schema == null ? stagedSchema : t.schema.merge(stagedSchema);
                    if (stream.writeMode() == WriteMode.OVERWRITE) t.rows.clear();
                    for (Map<String, Object> row : staged) {
                        if (stream.writeMode() == WriteMode.MERGE) {
                            List<Object> key = key(row);
                            t.rows.removeIf(existing -> key(existing).equals(key));
                        }
                        t.rows.add(row);
                    }
                    rejects.addAll(stagedRejects);
                    checkpoint.ifPresent(s -> states.put(stateKey, new StoredState(stream.connection(), s, run.value(), Instant.now())));
                    events.add("commit " + stream.id() + " " + staged.size() + checkpoint.map(s -> " " + s.value()).orElse(""));
                    staged.clear();
                    stagedRejects.clear();
                    stagedSchema = null;
                }
            }

            private List<Object> key(Map<String, Object> row) {
                List<Object> key = new ArrayList<>();
                for (String k : stream.primaryKey()) key.add(row.get(k));
                return key;
            }

            @Override
            public void abort() {
                synchronized (RecordingDestination.this) {
                    events.add("abort " + stream.id());
                }
                staged.clear();
                stagedRejects.clear();
                stagedSchema = null;
            }

            @Override
            public Optional<StreamState> committedState() {
                return RecordingDestination.this.committedState(stream.connection(), stream.id());
            }

            @Override
            public void close() {
                staged.clear();
            }
        };
    }

    @Override
    public synchronized WriterLock lockWriter(String connection, LockHolder holder) {
        LockHolder current = writers.putIfAbsent(connection, holder);
        if (current != null) {
            throw new WarehouseBusyException("connection " + connection + " is being written by " + current.describe(), current);
        }
        events.add("lock " + connection);
        return new WriterLock() {
            private boolean released;

            @Override
            public String connection() {
                return connection;
            }

            @Override
            public void close() {
                synchronized (RecordingDestination.this) {
                    if (released) return;
                    released = true;
                    writers.remove(connection);
                    events.add("unlock " + connection);
                }
            }
        };
    }

    @Override
    public synchronized Optional<StreamState> committedState(String connection, StreamId stream) {
        return Optional.ofNullable(states.get(connection + "/" + stream)).map(StoredState::state);
    }

    @Override
    public synchronized List<StoredState> states() {
        return List.copyOf(states.values());
    }

    @Override
    public synchronized int resetState(String connection, Optional<StreamId> stream) {
        Map<String, StoredState> copy = new HashMap<>(states);
        int removed = 0;
        for (var e : copy.entrySet()) {
            if (e.getValue().connection().equals(connection) && stream.map(s -> s.equals(e.getValue().state().stream())).orElse(true)) {
                states.remove(e.getKey());
                removed++;
            }
        }
        return removed;
    }

    @Override
    public String tableOf(ConfiguredStream stream) {
        return stream.targetNamespace() + "." + stream.target();
    }

    @Override
    public String describe() {
        return "in-memory recording destination";
    }

    @Override
    public void close() {}
}
