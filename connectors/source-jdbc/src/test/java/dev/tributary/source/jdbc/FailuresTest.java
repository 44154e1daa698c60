package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.DataException;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.TransientException;
import dev.tributary.testkit.TestDatabases;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How failures come out: without the password, and as transient when retrying from the last commit may help. */
class FailuresTest {
    @Test
    void aRefusedPasswordFailsTheCheckWithoutShowingIt() {
        String url = TestDatabases.mariadbUrl();
        Config config = TestDb.config(Map.of("url", url.replace("&password=", ""), "user", "root", "password", "Wr0ng-Secret"));
        CheckResult r = new MySqlSource().check(config);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("cannot connect to MySQL at jdbc:mariadb://127.0.0.1:3306/test").contains("Access denied")
                .doesNotContain("Wr0ng-Secret");
        assertThatThrownBy(() -> new MySqlSource().discover(config)).isInstanceOf(DataException.class)
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) assertThat(String.valueOf(t.getMessage())).doesNotContain("Wr0ng-Secret");
                });
    }

    @Test
    void aPasswordInTheUrlIsNotShownEither() {
        String url = TestDatabases.mariadbUrl().replace("password=", "password=Wr0ng-Secret");
        CheckResult r = new MySqlSource().check(TestDb.config(Map.of("url", url)));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).doesNotContain("Wr0ng-Secret");
    }

    @Test
    void aLostConnectionIsTransient() {
        try (TestDb db = TestDb.postgres("jdbc_fail")) {
            db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 10)");
            Source source = new PostgresSource();
            Config config = db.config("{'batch_size': 2, 'properties': {'ApplicationName': '" + db.schema() + "'}}");
            var stream = Reads.configured(source, config, db.stream("t"), SyncMode.FULL_REFRESH);
            try (StreamReader reader = source.read(config, stream, Optional.empty())) {
                assertThat(reader.next()).isPresent();
                TestDatabases.execute(db.url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + db.schema() + "'");
                assertThatThrownBy(reader::next).isInstanceOf(TransientException.class).hasMessageContaining("reading " + db.stream("t"));
            }
        }
    }
}
