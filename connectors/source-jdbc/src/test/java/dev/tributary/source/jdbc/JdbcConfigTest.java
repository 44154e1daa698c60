package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.Source;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Settings and their errors; nothing here needs a server. */
class JdbcConfigTest {
    private static final PostgresDialect PG = new PostgresDialect();

    private static Config config(Map<String, ?> settings) {
        return TestDb.config(settings);
    }

    private static Map<String, Object> settings(Object... keysAndValues) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }

    @Test
    void theThreeSourcesAreFoundByType() {
        Map<String, Source> found = ServiceLoader.load(Source.class).stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(s -> s.spec().type(), s -> s));
        assertThat(found).containsKeys("postgres", "redshift", "mysql");
        assertThat(found.get("postgres").spec().isSecret("password")).isTrue();
        assertThat(found.get("mysql").spec().isSecret("url")).as("a URL may hold a password").isTrue();
        assertThat(found.get("redshift").spec().isSecret("schemas")).isFalse();
    }

    @Test
    void readsEverySetting() {
        JdbcConfig c = JdbcConfig.from(config(settings(
                "host", "db.internal", "port", 6543, "database", "app", "user", "etl", "password", "s3cret",
                "schemas", List.of("public", "billing"), "tables", List.of("users", "billing.*"), "batch_size", 500, "fetch_size", 100,
                "properties", Map.of("sslmode", "require"),
                "overrides", Map.of("billing.invoices", Map.of("cursor", "updated_at", "primary_key", List.of("id"), "batch_size", 50,
                        "cursor_lag", "5m")),
                "queries", List.of(Map.of("name", "recent_orders", "sql", "select * from orders where created_at > now() - interval '7 days';",
                        "primary_key", "id", "cursor", "updated_at")))), PG);
        assertThat(c.connection().url()).isEqualTo("jdbc:postgresql://db.internal:6543/app");
        assertThat(c.connection().properties()).containsEntry("user", "etl").containsEntry("password", "s3cret").containsEntry("sslmode", "require");
        assertThat(c.connection().toString()).doesNotContain("s3cret");
        assertThat(c.schemas()).containsExactly("public", "billing");
        assertThat(c.selects("public", "users")).isTrue();
        assertThat(c.selects("billing", "anything")).isTrue();
        assertThat(c.selects("public", "teams")).isFalse();
        JdbcConfig.StreamOptions invoices = c.optionsFor("billing", "invoices");
        assertThat(invoices.cursor()).contains("updated_at");
        assertThat(invoices.primaryKey()).contains(List.of("id"));
        assertThat(invoices.batchSize()).isEqualTo(50);
        assertThat(invoices.fetchSize()).as("inherited").isEqualTo(100);
        assertThat(invoices.cursorLag()).contains(Duration.ofMinutes(5));
        assertThat(c.optionsFor("public", "users").batchSize()).isEqualTo(500);
        JdbcConfig.NamedQuery q = c.queries().get(0);
        assertThat(q.sql()).as("trailing semicolon dropped").isEqualTo("select * from orders where created_at > now() - interval '7 days'");
        assertThat(q.options().primaryKey()).contains(List.of("id"));
    }

    @Test
    void defaultsAndUrls() {
        JdbcConfig c = JdbcConfig.from(config(Map.of("url", "jdbc:postgresql://h/db?user=u&password=pw")), PG);
        assertThat(c.defaults().batchSize()).isEqualTo(10_000);
        assertThat(c.defaults().fetchSize()).isEqualTo(10_000);
        assertThat(c.schemas()).isEmpty();
        assertThat(c.connection().location()).isEqualTo("jdbc:postgresql://h/db");
        assertThat(c.connection().toString()).isEqualTo("jdbc:postgresql://h/db?user=u&password=***");
        assertThat(JdbcConfig.from(config(Map.of("url", "jdbc:mysql://u:pw@h:3306/shop")), new MySqlDialect()).connection().url())
                .as("jdbc:mysql is read by the MariaDB driver").isEqualTo("jdbc:mariadb://u:pw@h:3306/shop");
        assertThat(JdbcConfig.from(config(Map.of("url", "jdbc:mysql://u:pw@h:3306/shop")), new MySqlDialect()).connection().location())
                .isEqualTo("jdbc:mariadb://h:3306/shop");
        assertThat(JdbcConfig.from(config(Map.of("url", "jdbc:redshift://cluster:5439/dev")), new RedshiftDialect()).connection().url())
                .isEqualTo("jdbc:postgresql://cluster:5439/dev");
        assertThat(JdbcConfig.from(config(Map.of("host", "cluster", "database", "dev")), new RedshiftDialect()).connection().url())
                .isEqualTo("jdbc:postgresql://cluster:5439/dev");
        assertThat(JdbcConfig.from(config(Map.of("host", "db")), new MySqlDialect()).connection().url()).isEqualTo("jdbc:mariadb://db:3306/");
    }

    @Test
    void badSettingsSayWhichKeyAndWhy() {
        assertError(Map.of(), "url: is required");
        assertError(Map.of("url", "jdbc:postgresql://h/db", "host", "h"), "url: set either url, or host, port and database; not both");
        assertError(Map.of("url", "jdbc:mysql://h:3306/db?password=hunter2"), "must start with jdbc:postgresql://");
        assertError(Map.of("url", "postgres://u:hunter2@h/db"), "is a libpq URL");
        assertError(Map.of("host", "h"), "database: is required with host");
        assertError(Map.of("host", "h", "database", "d", "port", 70000), "port: must be between 1 and 65535");
        assertError(Map.of("url", "jdbc:postgresql://h/d", "batch_size", 0), "batch_size: must be at least 1, got 0");
        assertError(Map.of("url", "jdbc:postgresql://h/d", "fetch_size", "many"), "fetch_size: expected a whole number");
        assertError(Map.of("url", "jdbc:postgresql://h/d", "queries", List.of(Map.of("name", "public.orders", "sql", "select 1"))),
                "queries[0].name: 'public.orders' must be letters, digits and underscores");
        assertError(Map.of("url", "jdbc:postgresql://h/d", "queries", List.of(Map.of("name", "q", "sql", "select 1"), Map.of("name", "q", "sql", "select 2"))),
                "queries[1].name: query 'q' is defined twice");
        assertError(Map.of("url", "jdbc:postgresql://h/d", "queries", List.of(Map.of("name", "q"))), "queries[0].sql: is required");
        assertError(Map.of("url", "jdbc:postgresql://h/d", "overrides", Map.of("t", Map.of("cursor_lag", "5m"))), "overrides.t.cursor_lag: needs a cursor");
        assertError(Map.of("url", "jdbc:postgresql://h/d", "overrides", Map.of("t", Map.of("cursor", "c", "cursor_lag", "soon"))),
                "overrides.t.cursor_lag: expected a duration");
        assertError(Map.of("url", "jdbc:postgresql://h/d", "schemas", List.of("a", "a")), "schemas: names a schema twice");
    }

    private static void assertError(Map<String, ?> settings, String message) {
        assertThatThrownBy(() -> JdbcConfig.from(config(settings), PG)).isInstanceOf(ConfigException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void unknownKeysAreLeftForTheCallerWithADidYouMean() {
        Config c = config(Map.of("url", "jdbc:postgresql://h/d", "shemas", List.of("x"), "overrides", Map.of("t", Map.of("cusor", "x"))));
        JdbcConfig.from(c, PG);
        assertThat(c.unknownKeys()).extracting(Throwable::getMessage)
                .containsExactlyInAnyOrder("shemas: unknown key (did you mean 'schemas'?)", "overrides.t.cusor: unknown key (did you mean 'cursor'?)");
    }

    @Test
    void checkFailsClearlyWithoutThePasswordWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        for (Source source : List.of(new PostgresSource(), new MySqlSource(), new RedshiftSource())) {
            CheckResult r = source.check(config(Map.of("host", "127.0.0.1", "port", port, "database", "app", "user", "etl",
                    "password", "hunter2")));
            assertThat(r.ok()).isFalse();
            assertThat(r.message()).contains("cannot connect to").contains("127.0.0.1:" + port).doesNotContain("hunter2");
        }
        CheckResult bad = new PostgresSource().check(config(Map.of("url", "mysql://x")));
        assertThat(bad.ok()).isFalse();
        assertThat(bad.message()).contains("url: 'mysql://x' must start with jdbc:postgresql://");
    }

    @Test
    void redactionCoversUrlsAndTheLiteralPassword() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("password", "p@ss");
        ConnectionSettings s = new ConnectionSettings("jdbc:mariadb://u:other@h/db?password=third&ssl=true", p, "p@ss");
        assertThat(s.redact("failed for jdbc:mariadb://u:other@h/db?password=third&ssl=true with p@ss"))
                .isEqualTo("failed for jdbc:mariadb://u:***@h/db?password=***&ssl=true with ***");
        assertThat(s.location()).isEqualTo("jdbc:mariadb://h/db");
    }

    @Test
    void globsMatchTablesOrSchemaQualifiedNames() {
        JdbcConfig.TablePattern p = JdbcConfig.TablePattern.of("user?_*");
        assertThat(p.matches("public", "users_2024")).isTrue();
        assertThat(p.matches("public", "user_2024")).isFalse();
        JdbcConfig.TablePattern q = JdbcConfig.TablePattern.of("billing.inv*");
        assertThat(q.matches("billing", "invoices")).isTrue();
        assertThat(q.matches("public", "invoices")).isFalse();
        assertThat(Optional.of(JdbcConfig.TablePattern.of("a.b")).map(JdbcConfig.TablePattern::isGlob)).contains(false);
    }
}
