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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Reconciled deletions on S3 (embedded s3proxy): the pass's key files live in the bucket. */
class IcebergS3ReconciliationContractTest extends ReconciliationContractTest {
    @TempDir
    Path dir;
    private String prefix;

    private S3ProxyServer s3;

    @BeforeEach
    void freshPrefix() throws Exception {
        s3 = S3ProxyServer.shared();
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
