package dev.tributary.destination.iceberg;

import dev.tributary.spi.Config;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The destination contract on S3 (an embedded s3proxy checking signatures; Iceberg's S3FileIO, path-style). */
class IcebergS3ContractTest extends IcebergContractBase {
    @TempDir
    Path dir;
    private String prefix;

    private S3ProxyServer s3;

    @BeforeEach
    void freshPrefix() throws Exception {
        s3 = S3ProxyServer.shared();
        prefix = "contract-" + UUID.randomUUID();
    }

    @Override
    protected Config config() {
        return Config.of(s3.config("lake", prefix, dir));
    }
}
