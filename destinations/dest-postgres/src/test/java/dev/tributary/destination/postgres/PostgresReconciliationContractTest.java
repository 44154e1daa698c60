package dev.tributary.destination.postgres;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.testkit.ReconciliationContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The testkit's reconciliation contract, on the real server, each test in a warehouse (schema prefix) of its own. */
class PostgresReconciliationContractTest extends ReconciliationContractTest {
    private TestWarehouse warehouse;

    @BeforeEach
    void createWarehouse() {
        warehouse = TestWarehouse.create();
    }

    @AfterEach
    void dropWarehouse() {
        if (warehouse != null) warehouse.close();
    }

    @Override
    protected Destination destination() {
        return new PostgresDestination();
    }

    @Override
    protected Config config() {
        return warehouse.config();
    }

    @Override
    protected List<Map<String, Object>> readTable(DestinationSession session, ConfiguredStream stream) {
        return Rows.table(session, ((PostgresSession) session).tableName(stream));
    }
}
