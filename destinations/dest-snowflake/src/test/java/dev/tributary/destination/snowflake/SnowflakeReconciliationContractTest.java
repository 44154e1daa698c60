package dev.tributary.destination.snowflake;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.testkit.ReconciliationContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The testkit's completion contract (RECONCILE) through the real Snowflake JDBC driver against the sandbox, each test under its own schema prefix. */
class SnowflakeReconciliationContractTest extends ReconciliationContractTest {
    private Config config;

    @BeforeEach
    void newPrefix() {
        config = SnowflakeSandboxWarehouse.config();
    }

    @Override
    protected Destination destination() {
        return new SnowflakeDestination();
    }

    @Override
    protected Config config() {
        return config;
    }

    @Override
    protected List<Map<String, Object>> readTable(DestinationSession session, ConfiguredStream stream) {
        return SnowflakeSandboxWarehouse.rows((SnowflakeSession) session, ((SnowflakeSession) session).tableName(stream));
    }
}
