package dev.tributary.destination.iceberg;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.testkit.ReconciliationContractTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Reconciled deletions on S3 (embedded s3proxy): the pass's key files live in the bucket. */
class IcebergS3ReconciliationContractTest extends ReconciliationContractTest {
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
        prefix = "reconcile-" + UUID.randomUUID();
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
}
