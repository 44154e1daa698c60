package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriterLock;
import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog shared in PostgreSQL ({@code catalog: {type: jdbc}}): tables and states seen by every session, and the
 * writer lock as a PostgreSQL advisory lock. Each test uses a catalog name of its own and removes its rows after.
 */
class IcebergJdbcCatalogTest {
    @TempDir
    Path dir;
    private String url;
    private final String catalogName = "ice_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private Config config() {
        url = TestDatabases.postgresUrl();
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("warehouse", dir.resolve("lakehouse").toString());
        c.putObject("catalog").put("type", "jdbc").put("url", url).put("user", "postgres").put("name", catalogName);
        return Config.of(c);
    }

    @AfterEach
    void dropRows() {
        if (url == null) return;
        TestDatabases.execute(url, "delete from iceberg_tables where catalog_name = '" + catalogName + "'");
        TestDatabases.execute(url, "delete from iceberg_namespace_properties where catalog_name = '" + catalogName + "'");
    }

    @Test
    void namespacesAndTablesCreatedAndRemovedAtOnceByTwoProcesses() throws Exception {
        IcebergConfig parsed = IcebergConfig.parse(config(), dir);
        IcebergCatalogRaceTest.createAtOnce(parsed, dir);
        IcebergCatalogRaceTest.dropAtOnce(parsed, dir);
    }

    @Test
    void tablesAndStatesAreSharedAndTheWriterLockIsAnAdvisoryLock() {
        Config config = config();
        try (IcebergSession first = new IcebergDestination().open(config); IcebergSession second = new IcebergDestination().open(config)) {
            KillableWriter.sync(first, 5_000, 1_000, 2_000, 0, false);
            assertThat(second.committedState("killable", KillableWriter.STREAM).orElseThrow().value().get("position").asLong()).isEqualTo(5_000);
            assertThat(Rows.table(second, TableIdentifier.of("killable", "big"))).hasSize(5_000);
            try (WriterLock held = first.lockWriter("shared", LockHolder.thisProcess("tributary sync shared"))) {
                assertThatThrownBy(() -> second.lockWriter("shared", LockHolder.thisProcess("tributary sync other")))
                        .isInstanceOf(WarehouseBusyException.class).hasMessageContaining("shared").hasMessageContaining("tributary sync shared");
            }
            try (WriterLock next = second.lockWriter("shared", LockHolder.thisProcess("tributary sync other"))) {
                assertThat(next.connection()).isEqualTo("shared");
            }
        }
    }
}
