package dev.tributary.destination.iceberg;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The destination contract on a local folder with the embedded (SQLite) catalog. */
class IcebergDestinationContractTest extends IcebergContractBase {
    @TempDir
    Path dir;

    @Override
    protected Config config() {
        return Config.of(JsonNodeFactory.instance.objectNode().put("warehouse", dir.resolve("lakehouse").toString()));
    }
}
