package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Full reads in key order, page by page, resumed after the last key stored. */
class KeysetReadTest {
    private static void createTable(TestDb db) {
        db.execute("CREATE TABLE members (team varchar(10), seq int, name varchar(20), PRIMARY KEY (team, seq))");
        List<String> values = new ArrayList<>();
        // Mixed case: the order is the server's collation (case-insensitive in MariaDB), which the source never second-guesses.
        String[] teams = {"alpha", "Beta", "gamma", "Delta", "epsilon"};
        for (int i = 0; i < 25; i++) values.add("('" + teams[i % teams.length] + "', " + (i / 5) + ", 'member " + i + "')");
        db.execute("INSERT INTO members VALUES " + String.join(", ", values));
    }

    /** The keys in the server's own order (its collation), as the source must read them. */
    private static List<String> keysInServerOrder(TestDb db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT team, seq FROM " + db.schema() + ".members ORDER BY team, seq")) {
            while (rs.next()) out.add(rs.getString(1) + "/" + rs.getLong(2));
        }
        return out;
    }

    private static List<String> keys(Reads r) {
        return r.rows().stream().map(row -> row.get("team") + "/" + row.get("seq")).toList();
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aStoppedFullReadResumesAfterTheLastKey(TestDb.Kind kind) throws Exception {
        try (TestDb db = TestDb.of(kind, "jdbc_keyset")) {
            createTable(db);
            Source source = db.source();
            Config config = db.config("{'batch_size': 4, 'fetch_size': 2}");
            ConfiguredStream stream = Reads.configured(source, config, db.stream("members"), SyncMode.FULL_REFRESH);
            Reads all = Reads.read(source, config, stream, Optional.empty());
            assertThat(keys(all)).isEqualTo(keysInServerOrder(db));
            assertThat(all.batches()).hasSize(7);
            assertThat(all.batches().subList(0, 6)).allMatch(b -> b.size() == 4 && b.checkpoint().isPresent());
            assertThat(all.lastCheckpoint().orElseThrow().value().toString()).isEqualTo("{\"mode\":\"full\",\"complete\":true}");

            Reads first = Reads.readSome(source, config, stream, Optional.empty(), 3);
            StreamState checkpoint = first.lastCheckpoint().orElseThrow();
            assertThat(checkpoint.value().get("position").toString()).isEqualTo("[{\"column\":\"team\",\"type\":\"text\",\"value\":\""
                    + first.rows().get(11).get("team") + "\"},{\"column\":\"seq\",\"type\":\"integer\",\"value\":" + first.rows().get(11).get("seq") + "}]");
            Reads rest = Reads.read(source, config, stream, Optional.of(checkpoint));
            List<String> combined = new ArrayList<>(keys(first));
            combined.addAll(keys(rest));
            assertThat(combined).isEqualTo(keys(all));

            Reads again = Reads.read(source, config, stream, all.lastCheckpoint());
            assertThat(again.records()).as("a complete full read starts over").hasSize(25);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void anEmptyTableIsOneEmptyBatchThatCompletes(TestDb.Kind kind) {
        try (TestDb db = TestDb.of(kind, "jdbc_keyset")) {
            db.execute("CREATE TABLE nothing (id int PRIMARY KEY)");
            Source source = db.source();
            Reads full = Reads.read(source, db.config(), db.stream("nothing"), SyncMode.FULL_REFRESH);
            assertThat(full.batches()).hasSize(1);
            RecordBatch b = full.batches().get(0);
            assertThat(b.records()).isEmpty();
            assertThat(b.checkpoint().orElseThrow().value().toString()).contains("complete");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aTableWithoutKeyIsStreamedAndCheckpointedAtTheEnd(TestDb.Kind kind) {
        try (TestDb db = TestDb.of(kind, "jdbc_keyset")) {
            db.execute("CREATE TABLE loose (v int)", "INSERT INTO loose VALUES (1), (2), (3), (4), (5)");
            Reads r = Reads.read(db.source(), db.config("{'batch_size': 2}"), db.stream("loose"), SyncMode.FULL_REFRESH);
            assertThat(r.column("v")).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
            assertThat(r.batches().stream().map(b -> b.checkpoint().isPresent()).toList()).containsExactly(false, false, true);
            assertThat(r.records().get(0).origin()).isEqualTo(db.stream("loose") + ":row 1");

            // Stopping inside a streamed result drops the connection instead of draining the rest; nothing is left behind.
            String many = kind == TestDb.Kind.POSTGRES ? "INSERT INTO loose SELECT generate_series(1, 50000)" : "INSERT INTO loose SELECT seq FROM seq_1_to_50000";
            db.execute(many);
            Config config = db.config("{'batch_size': 10, 'fetch_size': 1000}");
            var stream = Reads.configured(db.source(), config, db.stream("loose"), SyncMode.FULL_REFRESH);
            assertThat(Reads.readSome(db.source(), config, stream, Optional.empty(), 1).records()).hasSize(10);
            assertThat(Reads.read(db.source(), db.config(), db.stream("loose"), SyncMode.FULL_REFRESH).records()).hasSize(50005);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void aViewReadsByTheKeyTheSettingsGiveIt(TestDb.Kind kind) {
        try (TestDb db = TestDb.of(kind, "jdbc_keyset")) {
            createTable(db);
            db.execute("CREATE VIEW team_members AS SELECT team, seq, name FROM members WHERE seq < 3");
            Source source = db.source();
            Config config = db.config("{'batch_size': 4, 'overrides': {'team_members': {'primary_key': ['team', 'seq']}}}");
            var d = source.discover(config).stream(db.stream("team_members")).orElseThrow();
            assertThat(d.schema().primaryKey()).containsExactly("team", "seq");
            Reads r = Reads.read(source, config, db.stream("team_members"), SyncMode.FULL_REFRESH);
            assertThat(r.records()).hasSize(15);
            assertThat(r.batches()).hasSize(4);
            assertThat(r.records().get(0).origin()).startsWith(db.stream("team_members") + ":team=");

            db.execute("CREATE VIEW with_nulls AS SELECT CASE WHEN seq = 1 THEN NULL ELSE name END AS name FROM members");
            Config nullable = db.config("{'overrides': {'with_nulls': {'primary_key': 'name'}}}");
            assertThatThrownBy(() -> Reads.read(source, nullable, db.stream("with_nulls"), SyncMode.FULL_REFRESH))
                    .isInstanceOf(DataException.class).hasMessageContaining("column 'name' is NULL; a key column must be unique and never NULL");
        }
    }
}
