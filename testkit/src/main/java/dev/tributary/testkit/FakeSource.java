package dev.tributary.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory source for engine tests. Each stream holds rows {@code (id INTEGER, name TEXT, amount DECIMAL)}
 * or any rows a test adds; reads are incremental by position, in batches of {@code batchSize}, with a
 * checkpoint {@code {"position": n}} after each batch. A test can make a read fail after a number of batches,
 * reject rows, or widen the schema mid-stream.
 */
public final class FakeSource implements Source {
    public static final Schema DEFAULT_SCHEMA = new Schema(
            List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT), Field.of("amount", DataType.DECIMAL)),
            List.of("id"));

    private final Map<String, FakeStream> streams = new ConcurrentHashMap<>();
    private volatile int batchSize = 10;
    private volatile int failAfterBatches = -1;
    private volatile boolean checkpoints = true;

    /** A stream of the fake source: its schema and rows, to which a test may add. */
    public static final class FakeStream {
        final String name;
        volatile Schema schema;
        final List<Object[]> rows = new CopyOnWriteArrayList<>();
        final Map<Integer, String> rejectAt = new ConcurrentHashMap<>();
        final List<dev.tributary.spi.Completion> completions = new CopyOnWriteArrayList<>();

        FakeStream(String name, Schema schema) {
            this.name = name;
            this.schema = schema;
        }

        public FakeStream add(Object... values) {
            rows.add(values);
            return this;
        }

        /** Adds {@code count} rows (id, "name-id", id * 1.5) after the current ones. */
        public FakeStream addNumbered(int count) {
            int start = rows.size();
            for (int i = start + 1; i <= start + count; i++) {
                rows.add(new Object[] {(long) i, "name-" + i, new java.math.BigDecimal(i).multiply(new java.math.BigDecimal("1.5"))});
            }
            return this;
        }

        /** Makes the row at this 0-based position come out as a rejection with this reason. */
        public FakeStream rejectAt(int position, String reason) {
            rejectAt.put(position, reason);
            return this;
        }

        /** Widens or extends the schema; rows added afterwards follow it. */
        public FakeStream evolve(Schema newSchema) {
            schema = newSchema;
            return this;
        }

        public int size() {
            return rows.size();
        }

        /** The last batch of each read carries this completion too (see {@link dev.tributary.spi.Completion}). */
        public FakeStream completeWith(dev.tributary.spi.Completion completion) {
            completions.add(completion);
            return this;
        }
    }

    /** A stream; a name with a dot ({@code "crm.people"}) gets that namespace, as database sources name theirs. */
    public FakeStream stream(String name) {
        return streams.computeIfAbsent(name, n -> new FakeStream(n, DEFAULT_SCHEMA));
    }

    public FakeSource batchSize(int size) {
        this.batchSize = size;
        return this;
    }

    /** Whether batches carry checkpoints; a source without them breaks the contract (for engine tests). */
    public FakeSource checkpoints(boolean on) {
        this.checkpoints = on;
        return this;
    }

    /** The next reads throw after emitting this many batches; -1 never. */
    public FakeSource failAfterBatches(int batches) {
        this.failAfterBatches = batches;
        return this;
    }

    @Override
    public ConnectorSpec spec() {
        return new ConnectorSpec("fake", "In-memory source for tests",
                List.of(new ConnectorSpec.Setting("note", false, false, "free text the fake source ignores (for configuration tests)")),
                Set.of(ConnectorSpec.Capability.INCREMENTAL));
    }

    private static StreamId streamId(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? StreamId.of(name) : new StreamId(name.substring(0, dot), name.substring(dot + 1));
    }

    @Override
    public CheckResult check(Config config) {
        return CheckResult.ok(streams.size() + " fake streams");
    }

    @Override
    public Catalog discover(Config config) {
        List<StreamDescriptor> out = new ArrayList<>();
        for (FakeStream s : streams.values()) {
            out.add(new StreamDescriptor(streamId(s.name), s.schema, Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), Optional.empty()));
        }
        return new Catalog(out);
    }

    @Override
    public StreamReader read(Config config, ConfiguredStream configured, Optional<StreamState> resumeFrom) {
        FakeStream s = streams.get(configured.id().toString());
        if (s == null) throw new IllegalArgumentException("no fake stream " + configured.id());
        int start = configured.syncMode() == SyncMode.INCREMENTAL
                ? resumeFrom.map(st -> st.value().path("position").asInt(0)).orElse(0) : 0;
        int failAfter = failAfterBatches;
        int size = batchSize;
        boolean withCheckpoints = checkpoints;
        return new StreamReader() {
            int position = start;
            int emitted;

            @Override
            public Optional<RecordBatch> next() {
                if (position >= s.rows.size()) return Optional.empty();
                if (failAfter >= 0 && emitted >= failAfter) throw new IllegalStateException("fake source failed after " + emitted + " batches");
                Schema schema = s.schema;
                List<Record> records = new ArrayList<>();
                List<Rejection> rejections = new ArrayList<>();
                int end = Math.min(s.rows.size(), position + size);
                for (int i = position; i < end; i++) {
                    String origin = s.name + ":" + (i + 1);
                    String reason = s.rejectAt.get(i);
                    if (reason != null) rejections.add(new Rejection(origin, reason, java.util.Arrays.toString(s.rows.get(i))));
                    else records.add(new Record(s.rows.get(i).clone(), origin));
                }
                position = end;
                emitted++;
                StreamState state = new StreamState(configured.id(), 1, JsonNodeFactory.instance.objectNode().put("position", position));
                List<dev.tributary.spi.Completion> completes = position >= s.rows.size() ? List.copyOf(s.completions) : List.of();
                return Optional.of(new RecordBatch(schema, records, rejections, withCheckpoints ? Optional.of(state) : Optional.empty(), completes));
            }

            @Override
            public void close() {}
        };
    }
}
