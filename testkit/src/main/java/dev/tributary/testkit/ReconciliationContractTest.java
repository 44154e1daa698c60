package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.Completion;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec.Capability;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Completion}s for destinations that declare {@link Capability#RECONCILE}: a full pass of
 * seen keys deletes (softly) only in the commit that ends it, survives commits and a crash, and a restarted pass
 * forgets the keys of the one it replaces; scoped completions delete the rows of a scope that a batch no longer
 * holds. A destination without the capability must say so through its writers. Same warehouse rules as
 * {@link DestinationContractTest}.
 */
public abstract class ReconciliationContractTest {
    private static final StreamId PEOPLE = StreamId.of("people");
    private static final StreamId LINKS = StreamId.of("links");
    private static final Schema PEOPLE_SCHEMA = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT)),
            List.of("id"));
    private static final Schema LINK_SCHEMA = new Schema(List.of(new Field("from_id", DataType.TEXT, false),
            new Field("to_id", DataType.TEXT, false), Field.of("label", DataType.TEXT)), List.of("from_id", "to_id"));
    private static final Instant GONE_AT = Instant.parse("2026-03-04T05:06:07Z");

    protected abstract Destination destination();

    /** The same warehouse for the whole test: opening it twice must show the same committed data. */
    protected abstract Config config();

    /** Rows of the stream's table, keyed by column name (metadata columns included), in any order. */
    protected abstract List<Map<String, Object>> readTable(DestinationSession session, ConfiguredStream stream);

    private boolean reconciles() {
        return destination().spec().has(Capability.RECONCILE);
    }

    private static ConfiguredStream stream(StreamId id, Schema schema) {
        StreamDescriptor d = new StreamDescriptor(id, schema, Set.of(SyncMode.INCREMENTAL), Optional.empty());
        return new ConfiguredStream("contract", d, SyncMode.INCREMENTAL, WriteMode.MERGE, schema.primaryKey(), ErrorPolicy.FAIL,
                "contract", id.name());
    }

    private static StreamState state(StreamId id, int position) {
        return new StreamState(id, 1, new ObjectMapper().createObjectNode().put("position", position));
    }

    private static RecordBatch people(int position, long... ids) {
        List<Record> records = new ArrayList<>();
        for (long id : ids) records.add(new Record(new Object[] {id, "person " + id}, "test:" + id));
        return new RecordBatch(PEOPLE_SCHEMA, records, List.of(), Optional.of(state(PEOPLE, position)));
    }

    private static RecordBatch seen(int position, String pass, boolean ends, long... ids) {
        List<List<Object>> keys = new ArrayList<>();
        for (long id : ids) keys.add(List.of(id));
        return people(position).withCompletions(List.of(new Completion.KeysSeen(pass, keys, ends, GONE_AT)));
    }

    private static void commit(DestinationSession session, ConfiguredStream s, RecordBatch... batches) {
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            for (RecordBatch b : batches) w.write(b);
            w.commit(batches[batches.length - 1].checkpoint());
        }
    }

    /** Ids of live (not deleted) rows. */
    private Set<Long> liveIds(DestinationSession session, ConfiguredStream s) {
        Set<Long> out = new TreeSet<>();
        for (Map<String, Object> r : readTable(session, s)) {
            if (r.get("_tributary_deleted_at") == null) out.add(((Number) r.get("id")).longValue());
        }
        return out;
    }

    private Set<String> liveLinks(DestinationSession session, ConfiguredStream s) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> r : readTable(session, s)) {
            if (r.get("_tributary_deleted_at") == null) out.add(r.get("from_id") + "->" + r.get("to_id"));
        }
        return out;
    }

    @Test
    void writersSayWhetherTheyReconcile() {
        try (DestinationSession session = destination().open(config()); StreamWriter w = session.writer(stream(PEOPLE, PEOPLE_SCHEMA), RunId.generate())) {
            assertThat(w.reconciles()).as("writers reconcile exactly when the destination declares RECONCILE").isEqualTo(reconciles());
            w.abort();
        }
    }

    @Test
    void aPassDeletesUnseenRowsOnlyInTheCommitThatEndsIt() {
        if (!reconciles()) return;
        ConfiguredStream s = stream(PEOPLE, PEOPLE_SCHEMA);
        try (DestinationSession session = destination().open(config())) {
            commit(session, s, people(1, 1, 2, 3, 4, 5));
            commit(session, s, seen(2, "pass-1", false, 1, 2));
            assertThat(liveIds(session, s)).as("nothing is deleted before the pass ends").containsExactly(1L, 2L, 3L, 4L, 5L);
            // A row written after the pass began, and not listed by it, is newer than the listing: it stays.
            commit(session, s, people(3, 6), seen(4, "pass-1", true, 4));
            assertThat(liveIds(session, s)).containsExactly(1L, 2L, 4L, 6L);
            List<Map<String, Object>> rows = readTable(session, s);
            assertThat(rows).as("soft deletes keep the row").hasSize(6);
            assertThat(rows).filteredOn(r -> ((Number) r.get("id")).longValue() == 3L).singleElement()
                    .satisfies(r -> assertThat(r.get("_tributary_deleted_at")).isNotNull());
            assertThat(session.committedState("contract", PEOPLE)).contains(state(PEOPLE, 4));
            // The next pass starts from nothing: the keys of the finished one are gone.
            commit(session, s, seen(5, "pass-2", true, 1, 2, 4));
            assertThat(liveIds(session, s)).containsExactly(1L, 2L, 4L);
        }
    }

    @Test
    void aPassSurvivesACrashAndARestartedPassForgetsTheOldKeys() {
        if (!reconciles()) return;
        ConfiguredStream s = stream(PEOPLE, PEOPLE_SCHEMA);
        DestinationSession session = destination().open(config());
        commit(session, s, people(1, 1, 2, 3, 4, 5));
        commit(session, s, seen(2, "pass-1", false, 1, 2));
        StreamWriter w = session.writer(s, RunId.generate());
        w.write(seen(3, "pass-1", false, 3));
        w.write(seen(4, "pass-1", true, 4));
        // The process dies here: the end of the pass was staged, never committed.
        session.close();
        try (DestinationSession reopened = destination().open(config())) {
            assertThat(reopened.committedState("contract", PEOPLE)).contains(state(PEOPLE, 2));
            assertThat(liveIds(reopened, s)).as("a killed pass deletes nothing").containsExactly(1L, 2L, 3L, 4L, 5L);
            // Resumed from its last commit, the pass goes on with the keys committed before the crash.
            commit(reopened, s, seen(3, "pass-1", false, 3), seen(4, "pass-1", true, 5));
            assertThat(liveIds(reopened, s)).containsExactly(1L, 2L, 3L, 5L);
        }
        try (DestinationSession again = destination().open(config())) {
            commit(again, s, people(5, 4));
            commit(again, s, seen(6, "pass-2", false, 1, 2));
            // Restarted under a new id: pass-2's keys 1 and 2 are forgotten, only what pass-3 sees stays.
            commit(again, s, seen(7, "pass-3", true, 3, 4, 5));
            assertThat(liveIds(again, s)).containsExactly(3L, 4L, 5L);
        }
    }

    @Test
    void anAbortedEndOfPassDeletesNothing() {
        if (!reconciles()) return;
        ConfiguredStream s = stream(PEOPLE, PEOPLE_SCHEMA);
        try (DestinationSession session = destination().open(config())) {
            commit(session, s, people(1, 1, 2, 3));
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(seen(2, "pass-1", true, 1));
                w.abort();
                w.write(people(2, 3));
                w.commit(Optional.of(state(PEOPLE, 2)));
            }
            assertThat(liveIds(session, s)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aScopedBatchDeletesTheRowsOfItsScopesThatItNoLongerHolds() {
        if (!reconciles()) return;
        ConfiguredStream s = stream(LINKS, LINK_SCHEMA);
        try (DestinationSession session = destination().open(config())) {
            commit(session, s, links(1, List.of(), "a:x", "a:y", "b:z", "c:w"));
            commit(session, s, links(2, List.of("a", "b"), "a:x"));
            assertThat(liveLinks(session, s)).as("a lost y, b lost everything, c was not in scope").containsExactly("a->x", "c->w");
            // Two batches of one commit cover c: the later one is the complete set.
            commit(session, s, links(3, List.of("c"), "c:w", "c:v"), links(4, List.of("c"), "c:v"), links(5, List.of(), "b:z"));
            assertThat(liveLinks(session, s)).containsExactly("a->x", "b->z", "c->v");
            assertThat(readTable(session, s)).as("a row that comes back is live again, with one row per key").hasSize(5);
        }
    }

    private static RecordBatch links(int position, List<String> scopes, String... pairs) {
        List<Record> records = new ArrayList<>();
        for (String p : pairs) records.add(new Record(new Object[] {p.split(":")[0], p.split(":")[1], null}, "test:" + p));
        RecordBatch b = new RecordBatch(LINK_SCHEMA, records, List.of(), Optional.of(state(LINKS, position)));
        if (scopes.isEmpty()) return b;
        List<List<Object>> values = scopes.stream().map(v -> List.<Object>of(v)).toList();
        return b.withCompletions(List.of(new Completion.Scopes(List.of("from_id"), values, GONE_AT)));
    }
}
