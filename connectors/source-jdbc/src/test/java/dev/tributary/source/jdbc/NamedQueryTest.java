package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.Catalog;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.SyncMode;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streams defined by a SELECT: described without running them, read like tables, guarded against mistakes. */
class NamedQueryTest {
    private TestDb db;

    @BeforeEach
    void createTables() {
        db = TestDb.postgres("jdbc_queries");
        db.execute("CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL, team text)",
                "CREATE TABLE transactions (id bigint PRIMARY KEY, user_id int, amount numeric(12,2), at timestamptz NOT NULL)",
                "INSERT INTO users SELECT g, 'user' || g || '@example.com', 'team ' || (g % 3) FROM generate_series(1, 9) g",
                "INSERT INTO transactions SELECT g, g % 9 + 1, g * 1.5, timestamptz '2024-05-01 00:00:00+00' + (g / 4) * interval '1 hour'"
                        + " FROM generate_series(1, 40) g");
    }

    @AfterEach
    void dropSchema() {
        if (db != null) db.close();
    }

    private Config config(String queries) {
        return db.config("{'batch_size': 4, 'tables': ['users'], 'queries': " + queries.replace("$s", db.schema()).replace('\n', ' ') + "}");
    }

    private static final String SPEND = """
            [{'name': 'lifetime_spend', 'primary_key': ['user_id'],
              'sql': 'select u.id as user_id, u.email, sum(t.amount) as spend, count(*) as purchases, array_agg(t.id order by t.id) as ids,
                      max(t.at) as last_at from $s.users u join $s.transactions t on t.user_id = u.id group by u.id, u.email'}]""";

    @Test
    void aQueryIsDescribedByItsResultColumnsAndReadLikeATable() {
        Config config = config(SPEND);
        Catalog catalog = new PostgresSource().discover(config);
        assertThat(catalog.streams().stream().map(StreamDescriptor::id).toList())
                .containsExactly(StreamId.of("lifetime_spend"), new StreamId(db.schema(), "users"));
        StreamDescriptor d = catalog.stream("lifetime_spend").orElseThrow();
        assertThat(d.schema().fields()).containsExactly(new Field("user_id", DataType.INTEGER, false), new Field("email", DataType.TEXT, false),
                new Field("spend", DataType.DECIMAL, true), new Field("purchases", DataType.INTEGER, true),
                new Field("ids", DataType.JSON, true), new Field("last_at", DataType.TIMESTAMP_TZ, true));
        assertThat(d.schema().primaryKey()).containsExactly("user_id");
        assertThat(d.modes()).containsExactly(SyncMode.FULL_REFRESH);

        Reads r = Reads.read(new PostgresSource(), config, "lifetime_spend", SyncMode.FULL_REFRESH);
        assertThat(r.column("user_id")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(r.batches()).hasSize(3);
        assertThat(r.rows().get(0).get("spend")).isEqualTo(new BigDecimal("135.00"));
        assertThat(r.rows().get(0).get("ids")).isEqualTo(new JsonText("[9,18,27,36]"));
        assertThat(r.records().get(0).origin()).isEqualTo("lifetime_spend:user_id=1");
    }

    @Test
    void aQueryWithACursorReadsIncrementallyWithTies() {
        Config config = config("[{'name': 'big_purchases', 'primary_key': 'id', 'cursor': 'at',"
                + " 'sql': 'select id, user_id, amount, at from $s.transactions where amount >= 3'}]");
        var source = new PostgresSource();
        var stream = Reads.configured(source, config, "big_purchases", SyncMode.INCREMENTAL);
        assertThat(stream.descriptor().cursorField()).contains("at");
        Reads first = Reads.readSome(source, config, stream, Optional.empty(), 2);
        Reads rest = Reads.read(source, config, stream, first.lastCheckpoint());
        assertThat(first.records().size() + rest.records().size()).isEqualTo(39);
        db.execute("INSERT INTO transactions VALUES (41, 1, 100, timestamptz '2024-06-01 00:00:00+00'), (42, 1, 1, timestamptz '2024-06-01 00:00:00+00')");
        assertThat(Reads.read(source, config, stream, rest.lastCheckpoint()).column("id")).containsExactly(41L);
    }

    @Test
    void describingAQueryDoesNotRunIt() {
        // Dividing by zero for id 3 fails only when rows are produced; LIMIT 0 produces none.
        Config config = config("[{'name': 'fragile', 'sql': 'select id, 1 / (id - 3) as q from $s.users'}]");
        assertThat(new PostgresSource().discover(config).stream("fragile")).isPresent();
        assertThatThrownBy(() -> Reads.read(new PostgresSource(), config, "fragile", SyncMode.FULL_REFRESH))
                .isInstanceOf(DataException.class).hasMessageContaining("reading fragile").hasMessageContaining("division by zero");
    }

    @Test
    void mistakesInQueriesAreConfigurationErrors() {
        assertThatThrownBy(() -> new PostgresSource().discover(config("[{'name': 'broken', 'sql': 'select nope from $s.users'}]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("queries[0].sql: does not run as a SELECT")
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> new PostgresSource().discover(config("[{'name': 'wipe', 'sql': 'delete from $s.users returning id'}]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("queries[0].sql: does not run as a SELECT");
        assertThat(Reads.read(new PostgresSource(), config("[]"), db.stream("users"), SyncMode.FULL_REFRESH).records()).hasSize(9);
        assertThatThrownBy(() -> new PostgresSource().discover(config("[{'name': 'twice', 'sql': 'select id, id from $s.users'}]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("returns two columns named 'id'");
        assertThatThrownBy(() -> new PostgresSource().discover(config("[{'name': 'users', 'sql': 'select id from $s.users'}]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("has the name of a table");
        assertThatThrownBy(() -> new PostgresSource().discover(config("[{'name': 'k', 'primary_key': 'idd', 'sql': 'select id from $s.users'}]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("queries[0].primary_key: no column 'idd' in k (did you mean 'id'?)");
        assertThatThrownBy(() -> new PostgresSource().discover(config("[{'name': 'c', 'cursor': 'ids', 'sql': 'select array[id] as ids from $s.users'}]")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("queries[0].cursor: column 'ids' of c is _int4");
    }

    @Test
    void queriesRunOnMariaDbToo() {
        try (TestDb maria = TestDb.mariadb("jdbc_queries")) {
            maria.execute("CREATE TABLE items (id int PRIMARY KEY, price decimal(8,2), tags json)",
                    "INSERT INTO items VALUES (1, 9.99, '[\"a\"]'), (2, 19.99, '[]'), (3, 0.50, NULL)");
            Config config = maria.config("{'queries': [{'name': 'pricey', 'primary_key': ['id'],"
                    + " 'sql': 'select id, price * 2 as doubled, tags, json_extract(tags, \\'$[0]\\') as first_tag from " + maria.schema()
                    + ".items where price > 1'}]}");
            var d = new MySqlSource().discover(config).stream("pricey").orElseThrow();
            assertThat(d.schema().fields().stream().map(Field::type).toList())
                    .as("json_extract returns JSON").containsExactly(DataType.INTEGER, DataType.DECIMAL, DataType.JSON, DataType.JSON);
            Reads r = Reads.read(new MySqlSource(), config, "pricey", SyncMode.FULL_REFRESH);
            assertThat(r.column("doubled")).containsExactly(new BigDecimal("19.98"), new BigDecimal("39.98"));
            assertThat(r.column("tags")).containsExactly(new JsonText("[\"a\"]"), new JsonText("[]"));
            assertThat(r.column("first_tag")).containsExactly(new JsonText("\"a\""), null);
        }
    }
}
