package dev.tributary.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Partitioned exports to an embedded S3 proxy (signatures checked): keys, manifests, a rerun without doubles. */
class S3PartitionedExportTest {
    private static S3Proxy proxy;
    private static S3Settings settings;

    @TempDir
    Path dir;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", new Properties())).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "export-key", "export-secret").build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) Thread.sleep(10); // Jetty reports its state; there is no start future to wait on
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "export-key", "AWS_SECRET_ACCESS_KEY", "export-secret");
        settings = S3Settings.from(name -> Optional.ofNullable(env.get(name)), "http://127.0.0.1:" + proxy.getPort(), "us-east-1", null);
        try (S3Client s3 = settings.client()) {
            s3.createBucket(b -> b.bucket("lake"));
        }
    }

    @AfterAll
    static void stopProxy() throws Exception {
        proxy.stop();
    }

    @Test
    void writesPartitionsUnderThePrefixAndAReRunReplacesThemWithoutDoubles() throws Exception {
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duckdb.createStatement()) {
            s.execute("CREATE TABLE answers AS SELECT 'hub' || (i % 2) AS tenant, 'contacts' AS stream, i AS id FROM range(0, 100) t(i)");
            ExportLocation location = ExportLocation.parse("s3://lake/exports/answers", dir);
            PartitionedExport.Options options = new PartitionedExport.Options(List.of("tenant", "stream"), false, settings, dir);

            ExportResult first = new PartitionedExport(duckdb, line -> { }).run("answers", "answers", location, options);
            s.execute("UPDATE answers SET id = id + 1000 WHERE tenant = 'hub1'");
            ExportResult second = new PartitionedExport(duckdb, line -> { }).run("answers", "answers", location, options);

            assertThat(second.rows()).isEqualTo(100);
            List<String> keys = keys();
            assertThat(keys).containsExactlyInAnyOrder(
                    "exports/answers/tenant=hub0/stream=contacts/_SUCCESS", "exports/answers/tenant=hub0/stream=contacts/part-" + second.exportId() + "-0.parquet",
                    "exports/answers/tenant=hub1/stream=contacts/_SUCCESS", "exports/answers/tenant=hub1/stream=contacts/part-" + second.exportId() + "-0.parquet");
            assertThat(keys).noneMatch(k -> k.contains(first.exportId()));
            assertThat(new String(object("exports/answers/tenant=hub1/stream=contacts/_SUCCESS"), StandardCharsets.UTF_8))
                    .contains("\"export_id\" : \"" + second.exportId() + "\"").contains("\"rows\" : 50");

            Path copy = dir.resolve("copy/tenant=hub1/stream=contacts");
            Files.createDirectories(copy);
            Files.write(copy.resolve("part.parquet"), object("exports/answers/tenant=hub1/stream=contacts/part-" + second.exportId() + "-0.parquet"));
            try (ResultSet rs = s.executeQuery("SELECT min(id), count(*) FROM read_parquet('" + dir.resolve("copy") + "/*/*/*.parquet', hive_partitioning=true)")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1001);
                assertThat(rs.getLong(2)).isEqualTo(50);
            }
            assertThat(dir.resolve(".tributary")).as("local staging removed").satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                    p -> assertThat(Files.walk(p).filter(Files::isRegularFile)).isEmpty());
        }
    }

    @Test
    void theSecretIsNeverPrinted() {
        assertThat(settings.toString()).contains("export-key").doesNotContain("export-secret");
    }

    private static List<String> keys() {
        try (S3Client s3 = settings.client()) {
            List<String> out = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket("lake")).contents()) out.add(o.key());
            return out;
        }
    }

    private static byte[] object(String key) {
        try (S3Client s3 = settings.client()) {
            return s3.getObjectAsBytes(b -> b.bucket("lake").key(key)).asByteArray();
        }
    }
}
