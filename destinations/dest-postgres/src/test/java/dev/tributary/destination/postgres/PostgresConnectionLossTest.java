package dev.tributary.destination.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
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
import dev.tributary.spi.TransientException;
import dev.tributary.spi.WriteMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server process behind a writer is terminated ({@code pg_terminate_backend}) while it stages or commits: the
 * writer fails with a {@link TransientException} in the cause chain, and a new writer finds exactly the data and
 * state of the last commit, so the engine's retry from there neither loses nor doubles anything.
 */
class PostgresConnectionLossTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("name", DataType.TEXT)), List.of("id"));
    private static final Schema WITH_SCORE = SCHEMA.merge(Schema.of(List.of(Field.of("score", DataType.INTEGER))));

    private final PostgresDestination destination = new PostgresDestination();
    private TestWarehouse warehouse;

    @BeforeEach
    void createWarehouse() {
        warehouse = TestWarehouse.create();
    }

    @AfterEach
    void dropWarehouse() {
        if (warehouse != null) warehouse.close();
    }

    @Test
    void terminatedDuringCopyTheWriteFailsTransientlyAndNothingIsLost() {
        ConfiguredStream s = stream(WriteMode.APPEND);
        try (PostgresSession session = destination.open(warehouse.config())) {
            commitFirstBatch(session, s);
            PostgresStreamWriter w = (PostgresStreamWriter) session.writer(s, RunId.generate());
            int pid = w.backendPid();
            // Thousands of rows go out first; the COPY is under way on the server when a value cuts the connection.
            List<Record> records = new ArrayList<>();
            for (long i = 100; i < 5100; i++) records.add(new Record(new Object[] {i, "row " + i}, "t:" + i));
            records.add(new Record(new Object[] {9999L, new Object() {
                @Override
                public String toString() {
                    terminate(pid);
                    return "too late";
                }
            }}, "t:kill"));
            for (long i = 10_000; i < 15_000; i++) records.add(new Record(new Object[] {i, "row " + i}, "t:" + i));
            Throwable failure = catchThrowable(() -> w.write(new RecordBatch(SCHEMA, records, state(2))));
            assertTransient(failure);
            assertThat(failure).hasMessageContaining("a batch of people"); // straight into the target: append copies directly
            assertTransient(catchThrowable(() -> w.commit(Optional.of(state(2)))));
            w.close();
            assertOnlyTheFirstCommitIsThere(session, s, SCHEMA);
            retrySucceeds(session, s, SCHEMA);
        }
    }

    @Test
    void terminatedBetweenWriteAndCommitTheCommitFailsTransientlyAndNothingIsLost() {
        ConfiguredStream s = stream(WriteMode.MERGE);
        try (PostgresSession session = destination.open(warehouse.config())) {
            commitFirstBatch(session, s);
            try (PostgresStreamWriter w = (PostgresStreamWriter) session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(SCHEMA, List.of(new Record(new Object[] {1L, "changed"}, "t:1"), new Record(new Object[] {3L, "new"}, "t:2")),
                        state(2)));
                terminate(w.backendPid());
                assertTransient(catchThrowable(() -> w.commit(Optional.of(state(2)))));
                assertTransient(catchThrowable(w::abort));
            }
            assertOnlyTheFirstCommitIsThere(session, s, SCHEMA);
            retrySucceeds(session, s, SCHEMA);
        }
    }

    @Test
    void terminatedInTheMiddleOfTheCommitTransactionEverythingRollsBack() throws Exception {
        ConfiguredStream s = stream(WriteMode.MERGE);
        try (PostgresSession session = destination.open(warehouse.config())) {
            commitFirstBatch(session, s);
            TableName table = session.tableName(s);
            // A trigger holds the commit inside its INSERT, after the new column, the widening and the merge's DELETE.
            warehouse.execute("CREATE FUNCTION " + Identifiers.quote(table.schema()) + ".hold() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN PERFORM pg_sleep(60); RETURN NULL; END $$");
            warehouse.execute("CREATE TRIGGER hold BEFORE INSERT ON " + table.quoted() + " FOR EACH STATEMENT EXECUTE FUNCTION "
                    + Identifiers.quote(table.schema()) + ".hold()");
            ExecutorService thread = Executors.newSingleThreadExecutor();
            try (PostgresStreamWriter w = (PostgresStreamWriter) session.writer(s, RunId.generate())) {
                w.write(new RecordBatch(WITH_SCORE, List.of(new Record(new Object[] {1L, "changed", 10L}, "t:1"),
                        new Record(new Object[] {3L, "new", 30L}, "t:2")), state(2)));
                Future<?> commit = thread.submit(() -> w.commit(Optional.of(state(2))));
                waitUntil(w.backendPid(), "wait_event = 'PgSleep'");
                assertThat(rows(warehouse, "SELECT count(*) AS n FROM pg_attribute WHERE attrelid = '" + table.quoted() + "'::regclass AND attname = 'score'"))
                        .as("the new column is not visible outside the transaction").containsExactly(Map.of("n", 0L));
                terminate(w.backendPid());
                Throwable failure = catchThrowable(() -> commit.get(30, TimeUnit.SECONDS));
                assertTransient(failure);
                assertThat(failure.getCause()).hasMessageContaining("committing people");
            } finally {
                thread.shutdownNow();
            }
            warehouse.execute("DROP TRIGGER hold ON " + table.quoted());
            assertOnlyTheFirstCommitIsThere(session, s, SCHEMA);
            retrySucceeds(session, s, WITH_SCORE);
        }
    }

    private static void commitFirstBatch(PostgresSession session, ConfiguredStream s) {
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(new RecordBatch(SCHEMA, List.of(new Record(new Object[] {1L, "Ada"}, "t:1"), new Record(new Object[] {2L, "Grace"}, "t:2")),
                    state(1)));
            w.commit(Optional.of(state(1)));
        }
    }

    /** A new writer, as the engine's retry opens it, finds the first commit exactly: its rows, its state, its columns. */
    private static void assertOnlyTheFirstCommitIsThere(PostgresSession session, ConfiguredStream s, Schema schema) {
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            assertThat(w.committedState()).contains(state(1));
            assertThat(w.tableSchema().orElseThrow().fieldNames()).containsExactlyElementsOf(schema.fieldNames());
            w.abort();
        }
        assertThat(session.committedState("c", s.id())).contains(state(1));
        assertThat(Rows.query(session, "SELECT id, name FROM " + session.tableName(s).quoted() + " ORDER BY id"))
                .containsExactly(Map.of("id", 1L, "name", "Ada"), Map.of("id", 2L, "name", "Grace"));
    }

    private static void retrySucceeds(PostgresSession session, ConfiguredStream s, Schema schema) {
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            Object[] changed = schema.fields().size() == 3 ? new Object[] {1L, "changed", 10L} : new Object[] {1L, "changed"};
            Object[] added = schema.fields().size() == 3 ? new Object[] {3L, "new", 30L} : new Object[] {3L, "new"};
            w.write(new RecordBatch(schema, List.of(new Record(changed, "t:1"), new Record(added, "t:2")), state(2)));
            w.commit(Optional.of(state(2)));
        }
        assertThat(session.committedState("c", s.id())).contains(state(2));
        List<Map<String, Object>> rows = Rows.query(session, "SELECT id, name FROM " + session.tableName(s).quoted() + " ORDER BY id, name");
        if (s.writeMode() == WriteMode.MERGE) {
            assertThat(rows).containsExactly(Map.of("id", 1L, "name", "changed"), Map.of("id", 2L, "name", "Grace"), Map.of("id", 3L, "name", "new"));
        } else {
            assertThat(rows).containsExactly(Map.of("id", 1L, "name", "Ada"), Map.of("id", 1L, "name", "changed"), Map.of("id", 2L, "name", "Grace"),
                    Map.of("id", 3L, "name", "new"));
        }
    }

    private static void assertTransient(Throwable failure) {
        assertThat(failure).as("the writer fails").isNotNull();
        assertThat(TransientException.isTransient(failure)).as("a TransientException in the cause chain of %s", failure).isTrue();
    }

    /** Terminates a backend from another connection and waits until it is gone. */
    private void terminate(int pid) {
        try (Connection c = warehouse.connect(); PreparedStatement p = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            p.setInt(1, pid);
            p.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        waitUntil(pid, null);
    }

    /** Waits until the backend shows {@code condition} in pg_stat_activity, or (condition null) is gone. */
    private void waitUntil(int pid, String condition) {
        String sql = "SELECT 1 FROM pg_stat_activity WHERE pid = ?" + (condition == null ? "" : " AND " + condition);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Connection c = warehouse.connect(); PreparedStatement p = c.prepareStatement(sql)) {
                p.setInt(1, pid);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next() == (condition != null)) return;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll pg_stat_activity again
        }
        throw new AssertionError("backend " + pid + (condition == null ? " did not go away" : " never showed " + condition));
    }

    private static List<Map<String, Object>> rows(TestWarehouse warehouse, String sql) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = warehouse.connect(); PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
            while (rs.next()) out.add(Map.of(rs.getMetaData().getColumnLabel(1), rs.getObject(1)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static ConfiguredStream stream(WriteMode mode) {
        StreamDescriptor d = new StreamDescriptor(StreamId.of("people"), SCHEMA, Set.of(SyncMode.INCREMENTAL), Optional.empty());
        return new ConfiguredStream("c", d, SyncMode.INCREMENTAL, mode, mode == WriteMode.MERGE ? List.of("id") : List.of(), ErrorPolicy.FAIL,
                "crm", "people");
    }

    private static StreamState state(int position) {
        return new StreamState(StreamId.of("people"), 1, JSON.createObjectNode().put("position", position));
    }
}
