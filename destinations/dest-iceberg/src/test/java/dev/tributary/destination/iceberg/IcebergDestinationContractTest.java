package dev.tributary.destination.iceberg;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.testkit.DestinationContractTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The destination contract on a local folder with the embedded (SQLite) catalog. */
class IcebergDestinationContractTest extends DestinationContractTest {
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

    @Override
    protected List<Map<String, Object>> readRejects(DestinationSession session, ConfiguredStream stream) {
        IcebergSession s = (IcebergSession) session;
        return Rows.table(s, RejectsTable.of(s.tableId(stream).namespace())).stream()
                .filter(r -> r.get("stream").equals(stream.id().toString())).toList();
    }
}
