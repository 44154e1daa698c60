package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec.Capability;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriteMode;
import dev.tributary.spi.WriterLock;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every destination passes. A subclass supplies the destination, a configuration pointing at an
 * empty warehouse that stays the same for the whole test (reopening it must find what was committed), and a way
 * to read a table back. Tables use plain lower-case field names, so destinations need not map names here.
 */
public abstract class DestinationContractTest {
    protected static final Schema SCHEMA = new Schema(
            List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT), Field.of("amount", DataType.DECIMAL)),
            List.of("id"));
    protected static final StreamId STREAM = StreamId.of("people");

    protected abstract Destination destination();

    /** The same warehouse for the whole test: opening it twice must show the same committed data. */
    protected abstract Config config();

    /** Rows of the stream's table, keyed by column name (metadata columns included), in any order. */
    protected abstract List<Map<String, Object>> readTable(DestinationSession session, ConfiguredStream stream);

    /** Rejected input stored for a stream: each as (origin, reason). Only called when REJECTS is declared. */
    protected abstract List<Map<String, Object>> readRejects(DestinationSession session, ConfiguredStream stream);

    protected ConfiguredStream stream(WriteMode mode) {
        return stream(mode, SCHEMA);
    }

    protected ConfiguredStream stream(WriteMode mode, Schema schema) {
        StreamDescriptor d = new StreamDescriptor(STREAM, schema, Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), Optional.empty());
        return new ConfiguredStream("contract", d, SyncMode.INCREMENTAL, mode, mode == WriteMode.MERGE ? schema.primaryKey() : List.of(),
                ErrorPolicy.FAIL, "contract", "people");
    }

    protected static RecordBatch batch(Schema schema, int position, Object[]... rows) {
        List<Record> records = new ArrayList<>();
        for (Object[] r : rows) records.add(new Record(r, "test:" + records.size()));
        return new RecordBatch(schema, records, List.of(), Optional.of(state(position)));
    }

    protected static StreamState state(int position) {
        return new StreamState(STREAM, 1, new ObjectMapper().createObjectNode().put("position", position));
    }

    protected static Object[] row(long id, String name, String amount) {
        return new Object[] {id, name, amount == null ? null : new BigDecimal(amount)};
    }

    private void writeAndCommit(DestinationSession session, ConfiguredStream stream, RecordBatch b) {
        try (StreamWriter w = session.writer(stream, RunId.generate())) {
            w.write(b);
            w.commit(b.checkpoint());
        }
    }

    /**
     * One writer per connection: while one session holds a connection's writer lock, another session of the same
     * warehouse is refused at once with a message naming the holder; other connections are free, and closing the
     * lock lets the next writer in.
     */
    @Test
    void oneWriterPerConnectionAcrossSessions() {
        try (DestinationSession first = destination().open(config()); DestinationSession second = destination().open(config())) {
            WriterLock held = first.lockWriter("contract", LockHolder.thisProcess("tributary sync contract"));
            assertThat(held.connection()).isEqualTo("contract");
            assertThatThrownBy(() -> second.lockWriter("contract", LockHolder.thisProcess("tributary sync second")))
                    .isInstanceOf(WarehouseBusyException.class)
                    .hasMessageContaining("contract")
                    .hasMessageContaining("tributary sync contract")
                    .hasMessageContaining("PID " + ProcessHandle.current().pid());
            try (WriterLock other = second.lockWriter("another", LockHolder.thisProcess("tributary sync another"))) {
                assertThat(other.connection()).isEqualTo("another");
            }
            held.close();
            try (WriterLock next = second.lockWriter("contract", LockHolder.thisProcess("tributary sync second"))) {
                assertThat(next.connection()).isEqualTo("contract");
                assertThatThrownBy(() -> first.lockWriter("contract", LockHolder.thisProcess("tributary sync third")))
                        .isInstanceOf(WarehouseBusyException.class)
                        .hasMessageContaining("tributary sync second");
            }
        }
    }

    /** A session that closes without closing its lock (a crashed run) does not keep the connection locked. */
    @Test
    void closingTheSessionReleasesItsWriterLocks() {
        DestinationSession first = destination().open(config());
        first.lockWriter("contract", LockHolder.thisProcess("tributary sync contract"));
        first.close();
        try (DestinationSession second = destination().open(config());
                WriterLock lock = second.lockWriter("contract", LockHolder.thisProcess("tributary sync again"))) {
            assertThat(lock.connection()).isEqualTo("contract");
        }
    }

    @Test
    void committedDataAndStateAreVisibleTogether() {
        ConfiguredStream s = stream(WriteMode.APPEND);
        try (DestinationSession session = destination().open(config())) {
            assertThat(session.committedState("contract", STREAM)).isEmpty();
            writeAndCommit(session, s, batch(SCHEMA, 2, row(1, "Ada", "10.50"), row(2, "Grace", null)));
            assertThat(readTable(session, s)).hasSize(2);
            assertThat(session.committedState("contract", STREAM)).contains(state(2));
        }
        try (DestinationSession reopened = destination().open(config())) {
            assertThat(readTable(reopened, s)).hasSize(2);
            assertThat(reopened.committedState("contract", STREAM)).contains(state(2));
        }
    }

    @Test
    void valuesRoundTripWithMetadataColumns() {
        ConfiguredStream s = stream(WriteMode.APPEND);
        RunId run = RunId.generate();
        try (DestinationSession session = destination().open(config())) {
            try (StreamWriter w = session.writer(s, run)) {
                RecordBatch b = batch(SCHEMA, 1, row(7, "Zoë \"quoted\", comma", "12345.678"));
                w.write(b);
                w.commit(b.checkpoint());
            }
            Map<String, Object> r = readTable(session, s).get(0);
            assertThat(((Number) r.get("id")).longValue()).isEqualTo(7L);
            assertThat(r.get("name")).isEqualTo("Zoë \"quoted\", comma");
            assertThat(new BigDecimal(r.get("amount").toString())).isEqualByComparingTo("12345.678");
            assertThat(String.valueOf(r.get("_tributary_run_id"))).isEqualTo(run.value());
            assertThat(r).containsKey("_tributary_extracted_at");
            assertThat(r.get("_tributary_extracted_at")).isNotNull();
        }
    }

    @Test
    void abortLeavesNothingVisibleAndStateUnchanged() {
        ConfiguredStream s = stream(WriteMode.APPEND);
        try (DestinationSession session = destination().open(config())) {
            writeAndCommit(session, s, batch(SCHEMA, 1, row(1, "Ada", "1")));
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(batch(SCHEMA, 3, row(2, "Grace", "2"), row(3, "Edsger", "3")));
                w.abort();
            }
            assertThat(readTable(session, s)).hasSize(1);
            assertThat(session.committedState("contract", STREAM)).contains(state(1));
        }
    }

    @Test
    void crashBetweenWriteAndCommitDoesNotAdvanceState() {
        ConfiguredStream s = stream(WriteMode.APPEND);
        DestinationSession session = destination().open(config());
        writeAndCommit(session, s, batch(SCHEMA, 1, row(1, "Ada", "1")));
        StreamWriter w = session.writer(s, RunId.generate());
        w.write(batch(SCHEMA, 2, row(2, "Grace", "2")));
        // The process dies here: no commit, no abort, the session is dropped.
        session.close();
        try (DestinationSession reopened = destination().open(config())) {
            assertThat(reopened.committedState("contract", STREAM)).contains(state(1));
            assertThat(readTable(reopened, s)).hasSize(1);
            writeAndCommit(reopened, s, batch(SCHEMA, 2, row(2, "Grace", "2")));
            assertThat(readTable(reopened, s)).hasSize(2);
        }
    }

    @Test
    void mergeReplayIsIdempotent() {
        if (!destination().spec().has(Capability.MERGE)) return;
        ConfiguredStream s = stream(WriteMode.MERGE);
        RecordBatch b = batch(SCHEMA, 2, row(1, "Ada", "1"), row(2, "Grace", "2"));
        try (DestinationSession session = destination().open(config())) {
            writeAndCommit(session, s, b);
            writeAndCommit(session, s, b);
            assertThat(readTable(session, s)).hasSize(2);
            writeAndCommit(session, s, batch(SCHEMA, 3, row(2, "Grace Hopper", "5"), row(3, "Edsger", "3")));
            List<Map<String, Object>> rows = readTable(session, s);
            assertThat(rows).hasSize(3);
            assertThat(rows).anySatisfy(r -> {
                assertThat(((Number) r.get("id")).longValue()).isEqualTo(2L);
                assertThat(r.get("name")).isEqualTo("Grace Hopper");
            });
        }
    }

    @Test
    void mergeKeepsTheLastOfDuplicatesWithinABatch() {
        if (!destination().spec().has(Capability.MERGE)) return;
        ConfiguredStream s = stream(WriteMode.MERGE);
        try (DestinationSession session = destination().open(config())) {
            writeAndCommit(session, s, batch(SCHEMA, 1, row(1, "first", "1"), row(1, "second", "2"), row(1, "last", "3")));
            List<Map<String, Object>> rows = readTable(session, s);
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("name")).isEqualTo("last");
        }
    }

    @Test
    void deletedRecordsBecomeSoftDeletes() {
        if (!destination().spec().has(Capability.SOFT_DELETE) || !destination().spec().has(Capability.MERGE)) return;
        ConfiguredStream s = stream(WriteMode.MERGE);
        try (DestinationSession session = destination().open(config())) {
            writeAndCommit(session, s, batch(SCHEMA, 2, row(1, "Ada", "1"), row(2, "Grace", "2")));
            Instant deletedAt = Instant.parse("2026-01-02T03:04:05Z");
            RecordBatch deletion = new RecordBatch(SCHEMA, List.of(new Record(row(2, "Grace", "2"), "test:0", deletedAt)), List.of(), Optional.of(state(3)));
            writeAndCommit(session, s, deletion);
            List<Map<String, Object>> rows = readTable(session, s);
            assertThat(rows).as("soft deletes keep the row").hasSize(2);
            assertThat(rows).filteredOn(r -> ((Number) r.get("id")).longValue() == 2L)
                    .singleElement().satisfies(r -> assertThat(r.get("_tributary_deleted_at")).isNotNull());
            assertThat(rows).filteredOn(r -> ((Number) r.get("id")).longValue() == 1L)
                    .singleElement().satisfies(r -> assertThat(r.get("_tributary_deleted_at")).isNull());
        }
    }

    @Test
    void overwriteSwapsTheTableAtCommitOnly() {
        if (!destination().spec().has(Capability.OVERWRITE)) return;
        ConfiguredStream s = stream(WriteMode.OVERWRITE);
        try (DestinationSession session = destination().open(config())) {
            writeAndCommit(session, s, batch(SCHEMA, 1, row(1, "old", "1"), row(2, "old", "2")));
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(batch(SCHEMA, 2, row(3, "new", "3")));
                w.write(batch(SCHEMA, 3, row(4, "new", "4")));
                assertThat(readTable(session, s)).as("old rows stay visible until commit")
                        .extracting(r -> r.get("name")).containsOnly("old");
                w.commit(Optional.of(state(3)));
            }
            assertThat(readTable(session, s)).extracting(r -> ((Number) r.get("id")).longValue()).containsExactlyInAnyOrder(3L, 4L);
        }
    }

    @Test
    void schemaEvolvesByAddingColumnsAndWideningTypes() {
        if (!destination().spec().has(Capability.SCHEMA_EVOLUTION)) return;
        ConfiguredStream s = stream(WriteMode.APPEND);
        Schema withScore = SCHEMA.merge(Schema.of(List.of(Field.of("score", DataType.INTEGER))));
        Schema scoreAsText = SCHEMA.merge(Schema.of(List.of(Field.of("score", DataType.TEXT))));
        try (DestinationSession session = destination().open(config())) {
            writeAndCommit(session, s, batch(SCHEMA, 1, row(1, "Ada", "1")));
            writeAndCommit(session, s.withDescriptor(s.descriptor()), batch(withScore, 2, new Object[] {2L, "Grace", null, 42L}));
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                assertThat(w.tableSchema()).isPresent();
                assertThat(w.tableSchema().get().field("score").map(Field::type)).contains(DataType.INTEGER);
                w.write(batch(scoreAsText, 3, new Object[] {3L, "Edsger", null, "high"}));
                w.commit(Optional.of(state(3)));
            }
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                assertThat(w.tableSchema().get().field("score").map(Field::type)).contains(DataType.TEXT);
                assertThat(w.tableSchema().get().fieldNames()).containsSubsequence("id", "name", "amount", "score");
                w.abort();
            }
            List<Map<String, Object>> rows = readTable(session, s);
            assertThat(rows).hasSize(3);
            assertThat(rows).extracting(r -> r.get("score") == null ? null : r.get("score").toString()).containsExactlyInAnyOrder(null, "42", "high");
        }
    }

    @Test
    void statesOfStreamsAndConnectionsAreIndependentAndResettable() {
        ConfiguredStream s = stream(WriteMode.APPEND);
        ConfiguredStream other = new ConfiguredStream("other", s.descriptor(), SyncMode.INCREMENTAL, WriteMode.APPEND, List.of(),
                ErrorPolicy.FAIL, "other", "people");
        try (DestinationSession session = destination().open(config())) {
            writeAndCommit(session, s, batch(SCHEMA, 5, row(1, "Ada", "1")));
            writeAndCommit(session, other, batch(SCHEMA, 9, row(1, "Ada", "1")));
            assertThat(session.committedState("contract", STREAM)).contains(state(5));
            assertThat(session.committedState("other", STREAM)).contains(state(9));
            assertThat(session.states()).hasSize(2);
            assertThat(session.resetState("contract", Optional.empty())).isEqualTo(1);
            assertThat(session.committedState("contract", STREAM)).isEmpty();
            assertThat(session.committedState("other", STREAM)).contains(state(9));
            assertThat(readTable(session, s)).as("reset keeps data").hasSize(1);
        }
    }

    @Test
    void stateValueRoundTripsExactly() throws Exception {
        ConfiguredStream s = stream(WriteMode.APPEND);
        StreamState complex = new StreamState(STREAM, 3, new ObjectMapper().readTree(
                "{\"cursor\":\"2026-01-01T00:00:00.123Z\",\"ids\":[1,2,3],\"nested\":{\"名前\":\"ü'\\\"\",\"big\":12345678901234567}}"));
        try (DestinationSession session = destination().open(config())) {
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(batch(SCHEMA, 1, row(1, "Ada", "1")));
                w.commit(Optional.of(complex));
            }
        }
        try (DestinationSession session = destination().open(config())) {
            assertThat(session.committedState("contract", STREAM)).contains(complex);
        }
    }

    @Test
    void rejectionsAreStoredWithTheirReasonWhenCommitted() {
        if (!destination().spec().has(Capability.REJECTS)) return;
        ConfiguredStream s = stream(WriteMode.APPEND).withOnError(ErrorPolicy.REJECT);
        try (DestinationSession session = destination().open(config())) {
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(SCHEMA, List.of(new Record(row(1, "Ada", "1"), "f.csv:2")),
                        List.of(new Rejection("f.csv:3", "amount: 'abc' is not a decimal", "3,Bob,abc")), Optional.of(state(1))));
                w.commit(Optional.of(state(1)));
            }
            assertThat(readTable(session, s)).hasSize(1);
            List<Map<String, Object>> rejects = readRejects(session, s);
            assertThat(rejects).hasSize(1);
            assertThat(rejects.get(0).get("origin")).isEqualTo("f.csv:3");
            assertThat(rejects.get(0).get("reason").toString()).contains("not a decimal");
        }
    }
}
