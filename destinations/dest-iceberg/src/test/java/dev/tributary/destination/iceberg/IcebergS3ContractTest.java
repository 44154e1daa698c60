package dev.tributary.destination.iceberg;

import dev.tributary.spi.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The destination contract on S3 (an embedded s3proxy checking signatures; Iceberg's S3FileIO, path-style). */
class IcebergS3ContractTest extends IcebergContractBase {
    @TempDir
    Path dir;
    private Config config;

    @BeforeEach
    void freshPrefix() throws Exception {
        config = S3ProxyServer.freshConfig("contract", dir);
    }

    @Override
    protected Config config() {
        return config;
    }
}
