package dev.tributary.destination.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.ConnectorSpec.Capability;
import dev.tributary.spi.Destination;
import dev.tributary.spi.TransientException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Settings and secrets; needs no server. */
class PostgresSettingsTest {
    private static final String SECRET = "hunter2-Secret!";

    @Test
    void isFoundThroughServiceLoaderAsPostgresWithItsCapabilities() {
        assertThat(ServiceLoader.load(Destination.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(d -> {
                    assertThat(d).isInstanceOf(PostgresDestination.class);
                    assertThat(d.spec().type()).isEqualTo("postgres");
                    assertThat(d.spec().capabilities()).containsExactlyInAnyOrder(Capability.MERGE, Capability.OVERWRITE,
                            Capability.SOFT_DELETE, Capability.SCHEMA_EVOLUTION, Capability.REJECTS, Capability.RECONCILE);
                });
    }

    @Test
    void specDeclaresEverySettingAndOnlyThePasswordIsSecret() {
        var spec = new PostgresDestination().spec();
        assertThat(spec.settings()).extracting(s -> s.name())
                .containsExactly("url", "host", "port", "database", "user", "password", "schema_prefix", "pool_size");
        assertThat(spec.isSecret("password")).isTrue();
        assertThat(spec.settings()).filteredOn(s -> s.secret()).extracting(s -> s.name()).containsExactly("password");
    }

    @Test
    void readsAUrl() {
        PostgresSettings s = read(node().put("url", "jdbc:postgresql://db.example.com:6543/warehouse?user=loader&ssl=true"));
        assertThat(s.describe()).isEqualTo("PostgreSQL database warehouse on db.example.com:6543 as loader");
        assertThat(s.poolSize()).isEqualTo(4);
        assertThat(s.schemaPrefix()).isEmpty();
    }

    @Test
    void readsHostPortDatabaseAndUser() {
        PostgresSettings s = read(node().put("host", "db").put("database", "dw").put("user", "etl").put("password", SECRET)
                .put("schema_prefix", "dev_").put("pool_size", 8));
        assertThat(s.describe()).isEqualTo("PostgreSQL database dw on db:5432 as etl (schema prefix dev_)");
        assertThat(s.poolSize()).isEqualTo(8);
        assertThat(s.dataSource().getPassword()).isEqualTo(SECRET);
        assertThat(s.dataSource().getServerNames()).containsExactly("db");
        assertThat(s.dataSource().getApplicationName()).isEqualTo("tributary");
    }

    @Test
    void thePasswordIsNeverDescribed() {
        PostgresSettings fromFields = read(node().put("host", "db").put("database", "dw").put("user", "etl").put("password", SECRET));
        PostgresSettings fromUrl = read(node().put("url", "jdbc:postgresql://db/dw?user=etl&password=" + SECRET));
        for (PostgresSettings s : new PostgresSettings[] {fromFields, fromUrl}) {
            assertThat(s.describe()).doesNotContain(SECRET);
            assertThat(s.toString()).doesNotContain(SECRET);
        }
        assertThat(fromUrl.dataSource().getPassword()).as("still used to connect").isEqualTo(SECRET);
        assertThat(fromFields.redactPassword("auth failed for " + SECRET)).isEqualTo("auth failed for ***");
    }

    @Test
    void settingsErrorsNameTheKeyAndMaskPasswords() {
        assertThatThrownBy(() -> read(node().put("url", "jdbc:mysql://db/dw?user=etl&password=" + SECRET)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("url").hasMessageContaining("password=***")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> read(node().put("url", "jdbc:postgresql://etl:" + SECRET + "@db/dw")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("//***@db/dw").hasMessageContaining("use the user and password settings")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> read(node().put("url", "jdbc:postgresql://db/dw").put("host", "db")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("either url or host");
        assertThatThrownBy(() -> read(node().put("database", "dw"))).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).path()).isEqualTo("host");
        assertThatThrownBy(() -> read(node().put("host", "db"))).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).path()).isEqualTo("database");
        assertThatThrownBy(() -> read(node().put("host", "db").put("database", "dw").put("port", 70000)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> read(node().put("host", "db").put("database", "dw").put("pool_size", 1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pool_size").hasMessageContaining("at least 2");
    }

    @Test
    void unknownKeysAreReportedWithADidYouMean() {
        Config config = Config.of(node().put("host", "db").put("database", "dw").put("pasword", SECRET).put("schema_prefx", "x"));
        PostgresSettings.read(config);
        assertThat(config.unknownKeys()).extracting(ConfigException::path).containsExactlyInAnyOrder("pasword", "schema_prefx");
        assertThat(config.unknownKeys()).extracting(Throwable::getMessage)
                .anySatisfy(m -> assertThat(m).contains("did you mean 'password'"));
    }

    @Test
    void anUnreachableServerFailsTransientlyWithoutShowingThePassword() {
        // Port 1 refuses connections: no server needed.
        Config config = Config.of(node().put("host", "127.0.0.1").put("port", 1).put("database", "dw").put("user", "etl").put("password", SECRET));
        Throwable failure = catchThrowable(() -> new PostgresDestination().open(config).close());
        assertThat(failure).isNotNull().hasMessageContaining("127.0.0.1:1").hasMessageContaining("cannot connect");
        assertThat(TransientException.isTransient(failure)).isTrue();
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).as("no message in the cause chain shows it").doesNotContain(SECRET);
    }

    private static ObjectNode node() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static PostgresSettings read(ObjectNode node) {
        return PostgresSettings.read(Config.of(node));
    }
}
