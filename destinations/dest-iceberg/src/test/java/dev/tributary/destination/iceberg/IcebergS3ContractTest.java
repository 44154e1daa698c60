package dev.tributary.destination.iceberg;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.testkit.DestinationContractTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The destination contract on S3 (an embedded s3proxy checking signatures; Iceberg's S3FileIO, path-style). */
class IcebergS3ContractTest extends DestinationContractTest {
    private static S3ProxyServer s3;

    @TempDir
    Path dir;
    private String prefix;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket("lake");
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) s3.close();
    }

    @BeforeEach
    void freshPrefix() {
        prefix = "contract-" + UUID.randomUUID();
    }

    @Override
    protected Destination destination() {
        return new IcebergDestination();
    }

    @Override
    protected Config config() {
        return Config.of(s3.config("lake", prefix, dir));
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
