package dev.tributary.destination.iceberg;

import dev.tributary.spi.Config;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The destination contract on S3 (an embedded s3proxy checking signatures; Iceberg's S3FileIO, path-style). */
class IcebergS3ContractTest extends IcebergContractBase {
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
    protected Config config() {
        return Config.of(s3.config("lake", prefix, dir));
    }
}
