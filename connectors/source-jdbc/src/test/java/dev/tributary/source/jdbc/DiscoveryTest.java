package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.SyncMode;
import dev.tributary.testkit.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What discovery offers: schemas, tables and views, columns, keys, modes and cursors, in a stable order. */
class DiscoveryTest {
    @Test
    void postgresTablesViewsAndKeysAcrossSchemas() {
        try (TestDb db = TestDb.postgres("jdbc_disc"); TestDb other = TestDb.postgres("jdbc_disc2")) {
            db.execute("CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, updated_at timestamptz, \"Mixed Case\" int)",
                    "CREATE TABLE memberships (team_id int, user_id int, role text, PRIMARY KEY (user_id, team_id))",
                    "CREATE VIEW active_users AS SELECT id, email FROM users",
                    "CREATE MATERIALIZED VIEW user_count AS SELECT count(*) AS n FROM users",
                    "CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at)",
                    "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                    "CREATE SEQUENCE not_a_table");
            other.execute("CREATE TABLE invoices (number text PRIMARY KEY, total numeric(12,2))");
            Config config = db.config("{'schemas': ['" + db.schema() + "', '" + other.schema() + "'],"
                    + " 'overrides': {'users': {'cursor': 'updated_at'}, '" + other.schema() + ".invoices': {'primary_key': []}}}");
            PostgresSource source = new PostgresSource();
            Catalog catalog = source.discover(config);
            assertThat(catalog.streams().stream().map(StreamDescriptor::id).toList()).as("partitions, sequences left out; sorted").containsExactly(
                    java.util.stream.Stream.of(new StreamId(db.schema(), "active_users"), new StreamId(db.schema(), "events"),
                            new StreamId(db.schema(), "memberships"), new StreamId(db.schema(), "user_count"), new StreamId(db.schema(), "users"),
                            new StreamId(other.schema(), "invoices")).sorted().toArray(StreamId[]::new));
            assertThat(catalog.stream(db.stream("users")).orElseThrow()).isEqualTo(new StreamDescriptor(new StreamId(db.schema(), "users"),
                    new Schema(List.of(new Field("id", DataType.INTEGER, false), new Field("email", DataType.TEXT, false),
                            new Field("updated_at", DataType.TIMESTAMP_TZ, true), new Field("Mixed Case", DataType.INTEGER, true)), List.of("id")),
                    Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), Optional.of("updated_at")));
            assertThat(catalog.stream(db.stream("memberships")).orElseThrow().schema().primaryKey()).as("the key's own order")
                    .containsExactly("user_id", "team_id");
            StreamDescriptor view = catalog.stream(db.stream("active_users")).orElseThrow();
            assertThat(view.schema().primaryKey()).isEmpty();
            assertThat(view.modes()).containsExactly(SyncMode.FULL_REFRESH);
            assertThat(catalog.stream(other.stream("invoices")).orElseThrow().schema().primaryKey()).as("a key overridden to none").isEmpty();
            assertThat(source.discover(config)).isEqualTo(catalog);

            CheckResult check = source.check(config);
            assertThat(check.ok()).isTrue();
            assertThat(check.message()).startsWith("connected to PostgreSQL 1").contains("6 tables and views visible in schemas " + db.schema());
        }
    }

    @Test
    void tablesSelectsByNameOrGlobAndTyposAreErrors() {
        try (TestDb db = TestDb.postgres("jdbc_disc")) {
            db.execute("CREATE TABLE users (id int)", "CREATE TABLE user_teams (id int)", "CREATE TABLE teams (id int)", "CREATE TABLE deals (id int)");
            PostgresSource source = new PostgresSource();
            assertThat(names(source.discover(db.config("{'tables': ['user*', 'deals']}"))))
                    .containsExactly(db.stream("deals"), db.stream("user_teams"), db.stream("users"));
            assertThat(names(source.discover(db.config("{'tables': ['" + db.schema() + ".t?ams']}")))).containsExactly(db.stream("teams"));
            CheckResult check = source.check(db.config("{'tables': ['users']}"));
            assertThat(check.message()).contains("4 tables and views visible in schema " + db.schema() + ", 1 selected");

            assertThatThrownBy(() -> source.discover(db.config("{'tables': ['usres']}"))).isInstanceOf(ConfigException.class)
                    .hasMessage("tables: no table or view 'usres' in the schemas read (did you mean 'users'?)");
            assertThatThrownBy(() -> source.discover(db.config("{'overrides': {'dealz': {'cursor': 'id'}}}")))
                    .isInstanceOf(ConfigException.class).hasMessage("overrides: no selected table 'dealz' (did you mean 'deals'?)");
            assertThatThrownBy(() -> source.discover(db.config("{'overrides': {'deals': {'cursor': 'idd'}}}")))
                    .isInstanceOf(ConfigException.class).hasMessage("overrides.deals.cursor: no column 'idd' in " + db.stream("deals") + " (did you mean 'id'?)");
            assertThatThrownBy(() -> source.discover(db.config("{'schemas': ['" + db.schema() + "x']}")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("schemas: schema '" + db.schema() + "x' does not exist");
            CheckResult failed = source.check(db.config("{'tables': ['usres']}"));
            assertThat(failed.ok()).isFalse();
            assertThat(failed.message()).contains("did you mean 'users'");
        }
    }

    @Test
    void postgresReadsSchemaPublicWhenNoneIsConfigured() throws Exception {
        String url = TestDatabases.postgresUrl();
        JdbcConfig config = JdbcConfig.from(TestDb.config(Map.of("url", url)), new PostgresDialect());
        try (JdbcSession session = JdbcSession.open(new PostgresDialect(), config.connection())) {
            assertThat(new JdbcDiscovery(config, session).schemas()).containsExactly("public");
        }
    }

    @Test
    void mariaDbReadsTheUrlsDatabaseWhenNoSchemaIsConfigured() {
        try (TestDb db = TestDb.mariadb("jdbc_disc")) {
            db.execute("CREATE TABLE products (sku varchar(20) PRIMARY KEY, price decimal(8,2) NOT NULL, updated_at timestamp(6) NULL)",
                    "CREATE TABLE `lines` (`order` int, line int, sku varchar(20), PRIMARY KEY (`order`, line))",
                    "INSERT INTO `lines` VALUES (1, 1, 'a'), (1, 2, 'b'), (2, 1, 'a')",
                    "CREATE VIEW cheap AS SELECT sku FROM products WHERE price < 10", "CREATE SEQUENCE counter");
            String url = db.url().replace("/test?", "/" + db.schema() + "?");
            Config config = TestDb.config(Map.of("url", url, "overrides", Map.of("products", Map.of("cursor", "updated_at", "cursor_lag", "30s"))));
            Catalog catalog = new MySqlSource().discover(config);
            assertThat(names(catalog)).as("the sequence is not a table").containsExactly(db.stream("cheap"), db.stream("lines"), db.stream("products"));
            assertThat(catalog.stream(db.stream("products")).orElseThrow()).isEqualTo(new StreamDescriptor(new StreamId(db.schema(), "products"),
                    new Schema(List.of(new Field("sku", DataType.TEXT, false), new Field("price", DataType.DECIMAL, false),
                            new Field("updated_at", DataType.TIMESTAMP_TZ, true)), List.of("sku")),
                    Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), Optional.of("updated_at")));
            assertThat(catalog.stream(db.stream("lines")).orElseThrow().schema().primaryKey()).containsExactly("order", "line");
            Reads lines = Reads.read(new MySqlSource(), TestDb.config(Map.of("url", url, "batch_size", 2)), db.stream("lines"), SyncMode.FULL_REFRESH);
            assertThat(lines.column("sku")).as("reserved words quoted everywhere").containsExactly("a", "b", "a");
            CheckResult check = new MySqlSource().check(config);
            assertThat(check.ok()).isTrue();
            assertThat(check.message()).contains("MariaDB").contains("3 tables and views visible in schema " + db.schema());

            Config lagOnText = TestDb.config(Map.of("url", url, "overrides", Map.of("products", Map.of("cursor", "sku", "cursor_lag", "30s"))));
            assertThatThrownBy(() -> new MySqlSource().discover(lagOnText)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("overrides.products.cursor_lag: applies to date and time cursors");
            Config noDatabase = TestDb.config(Map.of("url", db.url().replace("/test?", "/?")));
            assertThatThrownBy(() -> new MySqlSource().discover(noDatabase)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("schemas: is required");
        }
    }

    @Test
    void anIncrementalReadOfAStreamWithoutCursorSaysHowToFixIt() {
        try (TestDb db = TestDb.postgres("jdbc_disc")) {
            db.execute("CREATE TABLE plain (id int PRIMARY KEY)");
            PostgresSource source = new PostgresSource();
            var stream = Reads.configured(source, db.config(), db.stream("plain"), SyncMode.FULL_REFRESH).withModes(SyncMode.INCREMENTAL,
                    dev.tributary.spi.WriteMode.MERGE);
            assertThatThrownBy(() -> Reads.read(source, db.config(), stream, Optional.empty())).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cursor: is needed to read " + db.stream("plain") + " incrementally");
        }
    }

    private static List<String> names(Catalog c) {
        return c.streams().stream().map(d -> d.id().toString()).toList();
    }
}
