package dev.tributary.destination.iceberg;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.testkit.ReconciliationContractTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Reconciled deletions (passes of seen keys, scoped completions) on a local folder. */
class IcebergReconciliationContractTest extends ReconciliationContractTest {
    @TempDir
    Path dir;

    @Override
    protected Destination destination() {
        return new IcebergDestination();
    }

    @Override
    protected Config config() {
        return Config.of(JsonNodeFactory.instance.objectNode().put("warehouse", dir.resolve("lakehouse").toString()));
    }

    @Override
    protected List<Map<String, Object>> readTable(DestinationSession session, ConfiguredStream stream) {
        return Rows.table(session, stream);
    }
}
