package dev.tributary.destination.duckdb;

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

class DuckDbDestinationContractTest extends DestinationContractTest {
    @TempDir
    Path dir;

    @Override
    protected Destination destination() {
        return new DuckDbDestination();
    }

    @Override
    protected Config config() {
        return Config.of(JsonNodeFactory.instance.objectNode().put("path", dir.resolve("warehouse.duckdb").toString()));
    }

    @Override
    protected List<Map<String, Object>> readTable(DestinationSession session, ConfiguredStream stream) {
        return Rows.table(session, ((DuckDbSession) session).tableName(stream));
    }

    @Override
    protected List<Map<String, Object>> readRejects(DestinationSession session, ConfiguredStream stream) {
        return Rows.table(session, RejectsTable.of(((DuckDbSession) session).tableName(stream))).stream()
                .filter(r -> r.get("stream").equals(stream.id().toString()))
                .toList();
    }
}
