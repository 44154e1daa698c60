package dev.tributary.destination.postgres;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.testkit.DestinationContractTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The testkit's contract, on the real server, each test in a warehouse (schema prefix) of its own. */
class PostgresDestinationContractTest extends DestinationContractTest {
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

    @Override
    protected List<Map<String, Object>> readRejects(DestinationSession session, ConfiguredStream stream) {
        return Rows.table(session, RejectsTable.of(((PostgresSession) session).tableName(stream))).stream()
                .filter(r -> r.get("stream").equals(stream.id().toString()))
                .toList();
    }
}
