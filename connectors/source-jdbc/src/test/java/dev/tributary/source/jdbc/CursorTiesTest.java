package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Incremental reads by a cursor that many rows share: ordered by (cursor, key) and resumed with
 * {@code cursor > c OR (cursor = c AND key > k)}, nothing is skipped and nothing read twice, however the
 * batches fall. Without a key, the last cursor value is read again ({@code >=}).
 */
class CursorTiesTest {
    private static final String TS = "TIMESTAMP '2024-05-01 10:00:00.123456'";

    private static String table(TestDb db, boolean key) {
        String ts = db.kind() == TestDb.Kind.POSTGRES ? "timestamp(6)" : "datetime(6)";
        return "CREATE TABLE events (id bigint" + (key ? " PRIMARY KEY" : " NOT NULL") + ", payload varchar(20), updated_at " + ts + ")";
    }

    private static String rows(TestDb db, int from, int to, String ts) {
        List<String> values = new ArrayList<>();
        for (int i = from; i <= to; i++) values.add("(" + i + ", 'row " + i + "', " + ts + ")");
        return "INSERT INTO events VALUES " + String.join(", ", values);
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void rowsSharingOneCursorValueAcrossBatchesAreReadOnce(TestDb.Kind kind) {
        try (TestDb db = TestDb.of(kind, "jdbc_ties")) {
            db.execute(table(db, true), rows(db, 1, 10, TS));
            Source source = db.source();
            Config config = db.config("{'batch_size': 3, 'overrides': {'events': {'cursor': 'updated_at'}}}");
            ConfiguredStream stream = Reads.configured(source, config, db.stream("events"), SyncMode.INCREMENTAL);

            Reads all = Reads.read(source, config, stream, Optional.empty());
            assertThat(all.column("id")).containsExactly(LongStream.rangeClosed(1, 10).boxed().toArray());
            assertThat(all.batches()).hasSize(4).allMatch(b -> b.checkpoint().isPresent());

            for (int stopAfter = 1; stopAfter <= 3; stopAfter++) {
                Reads first = Reads.readSome(source, config, stream, Optional.empty(), stopAfter);
                Reads rest = Reads.read(source, config, stream, first.lastCheckpoint());
                List<Object> ids = new ArrayList<>(first.column("id"));
                ids.addAll(rest.column("id"));
                assertThat(ids).as("stopped after %d batches of rows that all share updated_at", stopAfter)
                        .containsExactly(LongStream.rangeClosed(1, 10).boxed().toArray());
            }

            StreamState end = all.lastCheckpoint().orElseThrow();
            assertThat(end.value().toString()).contains("\"value\":10}").doesNotContain("inclusive");
            db.execute(rows(db, 11, 11, TS), rows(db, 12, 12, "TIMESTAMP '2024-05-01 10:00:01'"));
            Reads next = Reads.read(source, config, stream, Optional.of(end));
            assertThat(next.column("id")).as("a later row at the same time, and a newer row").containsExactly(11L, 12L);
            assertThat(Reads.read(source, config, stream, next.lastCheckpoint()).batches()).as("nothing new: no batch").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void updatedRowsComeBackAndRowsWithoutACursorValueWaitForAFullRefresh(TestDb.Kind kind) {
        try (TestDb db = TestDb.of(kind, "jdbc_ties")) {
            db.execute(table(db, true), rows(db, 1, 4, TS), "INSERT INTO events VALUES (5, 'no cursor', NULL)");
            Source source = db.source();
            Config config = db.config("{'batch_size': 2, 'overrides': {'events': {'cursor': 'updated_at'}}}");
            ConfiguredStream stream = Reads.configured(source, config, db.stream("events"), SyncMode.INCREMENTAL);
            Reads first = Reads.read(source, config, stream, Optional.empty());
            assertThat(first.column("id")).containsExactly(1L, 2L, 3L, 4L);
            db.execute("UPDATE events SET payload = 'changed', updated_at = TIMESTAMP '2024-05-02 00:00:00' WHERE id = 2");
            Reads second = Reads.read(source, config, stream, first.lastCheckpoint());
            assertThat(second.column("payload")).containsExactly("changed");
            assertThat(Reads.read(source, config, db.stream("events"), SyncMode.FULL_REFRESH).column("id")).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void withoutAKeyTheLastCursorValueIsReadAgain(TestDb.Kind kind) {
        try (TestDb db = TestDb.of(kind, "jdbc_ties")) {
            db.execute(table(db, false), rows(db, 1, 5, TS), rows(db, 6, 7, "TIMESTAMP '2024-05-01 11:00:00'"));
            Source source = db.source();
            Config config = db.config("{'batch_size': 3, 'overrides': {'events': {'cursor': 'updated_at'}}}");
            ConfiguredStream stream = Reads.configured(source, config, db.stream("events"), SyncMode.INCREMENTAL);
            Reads all = Reads.read(source, config, stream, Optional.empty());
            assertThat(all.records()).hasSize(7);
            assertThat(all.lastCheckpoint().orElseThrow().value().toString()).contains("\"inclusive\":true");

            Reads again = Reads.read(source, config, stream, all.lastCheckpoint());
            assertThat(again.column("id")).as("the rows at the last cursor value, once more").containsExactlyInAnyOrder(6L, 7L);

            Reads first = Reads.readSome(source, config, stream, Optional.empty(), 1);
            Reads rest = Reads.read(source, config, stream, first.lastCheckpoint());
            assertThat(rest.column("id")).as("a stop inside the first timestamp reads all of it again, skipping nothing")
                    .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aCursorLagLeavesTheNewestRowsForTheNextRead(TestDb.Kind kind) {
        try (TestDb db = TestDb.of(kind, "jdbc_ties")) {
            String now = kind == TestDb.Kind.POSTGRES ? "now() AT TIME ZONE 'UTC'" : "UTC_TIMESTAMP(6)";
            db.execute(table(db, true), rows(db, 1, 2, TS), rows(db, 3, 3, now));
            Source source = db.source();
            Config lagged = db.config("{'overrides': {'events': {'cursor': 'updated_at', 'cursor_lag': '1h'}}}");
            ConfiguredStream stream = Reads.configured(source, lagged, db.stream("events"), SyncMode.INCREMENTAL);
            Reads first = Reads.read(source, lagged, stream, Optional.empty());
            assertThat(first.column("id")).containsExactly(1L, 2L);
            Config unlagged = db.config("{'overrides': {'events': {'cursor': 'updated_at'}}}");
            assertThat(Reads.read(source, unlagged, stream, first.lastCheckpoint()).column("id")).containsExactly(3L);
        }
    }
}
