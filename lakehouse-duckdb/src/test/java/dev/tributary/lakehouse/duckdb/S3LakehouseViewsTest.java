package dev.tributary.lakehouse.duckdb;

import static dev.tributary.lakehouse.duckdb.IcebergSnapshotReadTest.SCHEMA;
import static dev.tributary.lakehouse.duckdb.IcebergSnapshotReadTest.append;
import static dev.tributary.lakehouse.duckdb.IcebergSnapshotReadTest.canonical;
import static dev.tributary.lakehouse.duckdb.IcebergSnapshotReadTest.dataFile;
import static dev.tributary.lakehouse.duckdb.IcebergSnapshotReadTest.partition;
import static dev.tributary.lakehouse.duckdb.IcebergSnapshotReadTest.positionDeletes;
import static dev.tributary.lakehouse.duckdb.IcebergSnapshotReadTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.destination.iceberg.IcebergCatalogs;
import dev.tributary.destination.iceberg.IcebergConfig;
import dev.tributary.destination.iceberg.LakehouseCatalog;
import dev.tributary.spi.Config;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models over a lakehouse on S3 (an embedded s3proxy checking signatures): the views read a local mirror of the
 * current snapshots' files and give the same rows as the same tables in a local folder; a second refresh downloads
 * only what is new and drops what no snapshot needs; an unreachable store is an error that says so.
 */
class S3LakehouseViewsTest {
    private static final String KEY = "ice-lake-key";
    private static final String SECRET = "ice-lake-secret";
    private static S3Proxy proxy;

    @TempDir
    Path dir;

    @BeforeAll
    static void startStore() throws Exception {
        proxy = startProxy();
        while (!proxy.getState().equals("STARTED")) Thread.sleep(10); // Jetty reports its state; there is no start future
    }

    @AfterAll
    static void stopStore() throws Exception {
        proxy.stop();
    }

    private static S3Proxy startProxy() throws Exception {
        var store = BlobStores.create("transient", new Properties());
        store.createContainer("lake");
        S3Proxy p = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).build();
        p.start();
        return p;
    }

    @Test
    void modelsOverAnS3LakehouseReadTheSameRowsAsOverALocalOneAndDownloadEachFileOnce() throws Exception {
        Path s3Project = dir.resolve("s3-project");
        Path localProject = dir.resolve("local-project");
        Config s3 = s3Config(proxy.getPort(), "views-" + UUID.randomUUID());
        Config local = Config.of(new ObjectMapper().valueToTree(Map.of()));
        List<String> log = new ArrayList<>();

        try (Connection s3Duck = duckdb(s3Project); Connection localDuck = duckdb(localProject)) {
            write(s3, s3Project, Step.FIRST);
            write(local, localProject, Step.FIRST);
            LakehouseViews.Refresh first = LakehouseViews.refresh(s3, s3Project, s3Duck, log::add);
            LakehouseViews.refresh(local, localProject, localDuck, m -> { });

            // contacts: 2 data files and a position delete file; deals: 2 data files (one per tenant) and an equality delete file
            assertThat(first.created()).isEqualTo(2);
            assertThat(first.downloaded()).isEqualTo(6);
            assertThat(first.downloadedBytes()).isEqualTo(sizeOfCache(s3Project));
            assertSameRows(s3Duck, localDuck, "crm.contacts", 146);
            assertSameRows(s3Duck, localDuck, "crm.deals", 59);

            LakehouseViews.Refresh again = LakehouseViews.refresh(s3, s3Project, s3Duck, log::add);
            assertThat(again.unchanged()).isEqualTo(2);
            assertThat(again.downloaded()).isZero();
            assertThat(again.evicted()).isZero();

            write(s3, s3Project, Step.SECOND);
            write(local, localProject, Step.SECOND);
            LakehouseViews.Refresh second = LakehouseViews.refresh(s3, s3Project, s3Duck, log::add);
            LakehouseViews.refresh(local, localProject, localDuck, m -> { });

            // the second step appends one file to contacts and replaces deals' first file (and its delete) by one new file
            assertThat(second.created()).isEqualTo(2);
            assertThat(second.unchanged()).isZero();
            assertThat(second.downloaded()).isEqualTo(2);
            // the replaced files stay for an hour: a view made by the first refresh (another process's) may still read them
            assertThat(second.evicted()).isZero();
            assertThat(cachedFiles(s3Project)).hasSize(8);
            assertSameRows(s3Duck, localDuck, "crm.contacts", 166);
            assertSameRows(s3Duck, localDuck, "crm.deals", 40);
            FileTime longAgo = FileTime.from(Instant.now().minus(LakehouseMirror.KEEP_UNNEEDED).minusSeconds(60));
            for (Path p : cachedFiles(s3Project)) Files.setLastModifiedTime(p, longAgo);
            LakehouseViews.Refresh third = LakehouseViews.refresh(s3, s3Project, s3Duck, log::add);
            assertThat(third.evicted()).as("no refresh needed them for an hour; the needed ones were touched").isEqualTo(2);
            assertThat(cachedFiles(s3Project)).hasSize(6);
            assertSameRows(s3Duck, localDuck, "crm.contacts", 166);
        }
        assertThat(log).as("no progress lines for small files").isEmpty();
    }

    @Test
    void aMissingOrTruncatedLocalCopyIsDownloadedAgain() throws Exception {
        Path project = dir.resolve("project");
        Config s3 = s3Config(proxy.getPort(), "repair-" + UUID.randomUUID());
        write(s3, project, Step.FIRST);
        try (Connection duck = duckdb(project)) {
            LakehouseViews.refresh(s3, project, duck, m -> { });
            List<Path> cached = cachedFiles(project);
            Files.delete(cached.get(0));
            Files.write(cached.get(1), new byte[] {1, 2, 3});

            LakehouseViews.Refresh refresh = LakehouseViews.refresh(s3, project, duck, m -> { });

            assertThat(refresh.downloaded()).isEqualTo(2);
            assertThat(refresh.unchanged()).isEqualTo(2);
            assertThat(count(duck, "crm.contacts")).isEqualTo(146);
        }
    }

    @Test
    void aRefreshWaitsWhileAnotherHoldsTheCache() throws Exception {
        Path project = dir.resolve("project");
        IcebergConfig config = firstStepOnS3(project, "wait");
        try (Connection duck = duckdb(project); LakehouseCatalog lake = IcebergCatalogs.open(config, project)) {
            Path cache = project.resolve(LakehouseViews.MIRROR_FOLDER);
            LakehouseViews views = new LakehouseViews(lake.catalog(), new LakehouseMirror(lake.io(), cache, m -> { }), config.warehouse(), m -> { });
            java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
            Thread other;
            try (AutoCloseable held = new LakehouseMirror(lake.io(), cache, m -> { }).lock()) {
                other = new Thread(() -> {
                    try {
                        outcome.set(views.refresh(duck));
                    } catch (Exception | Error e) {
                        outcome.set(e);
                    }
                });
                other.start();
                while (other.getState() != Thread.State.WAITING && other.isAlive()) Thread.onSpinWait();
                assertThat(other.isAlive()).as("the second refresh waits for the cache").isTrue();
                assertThat(outcome.get()).isNull();
            }
            other.join();
            assertThat(outcome.get()).isInstanceOf(LakehouseViews.Refresh.class);
            assertThat(((LakehouseViews.Refresh) outcome.get()).downloaded()).isEqualTo(6);
            // the same mirror again: counts are per refresh
            LakehouseViews.Refresh again = views.refresh(duck);
            assertThat(again.downloaded()).isZero();
            assertThat(again.unchanged()).isEqualTo(2);
        }
    }

    @Test
    void largeDownloadsReportTheirProgress() throws Exception {
        Path project = dir.resolve("project");
        IcebergConfig config = firstStepOnS3(project, "progress");
        List<String> log = new ArrayList<>();
        try (Connection duck = duckdb(project); LakehouseCatalog lake = IcebergCatalogs.open(config, project)) {
            LakehouseMirror mirror = new LakehouseMirror(lake.io(), project.resolve("cache"), log::add, 1024);
            new LakehouseViews(lake.catalog(), mirror, config.warehouse(), m -> { }).refresh(duck);
        }
        assertThat(log).anyMatch(l -> l.startsWith("downloading s3://lake/") && l.endsWith(" MB)"));
        assertThat(log).anyMatch(l -> l.matches("  [0-9.]+ MB of [0-9.]+ MB \\(\\d+%\\)"));
    }

    @Test
    void anUnreachableStoreIsAnErrorNamingTheWarehouse() throws Exception {
        S3Proxy other = startProxy();
        while (!other.getState().equals("STARTED")) Thread.sleep(10);
        Path project = dir.resolve("project");
        String prefix = "gone-" + UUID.randomUUID();
        Config s3 = s3Config(other.getPort(), prefix);
        write(s3, project, Step.FIRST);
        other.stop();

        try (Connection duck = duckdb(project)) {
            assertThatThrownBy(() -> LakehouseViews.refresh(s3, project, duck, m -> { }))
                    .hasMessageContaining("cannot read the lakehouse s3://lake/" + prefix + " to reach it")
                    .hasMessageContaining("is the store reachable")
                    .hasMessageNotContaining(SECRET);
        }
    }

    // ---- the same tables, written into either lakehouse

    private enum Step { FIRST, SECOND }

    /** Writes the same changes into the lakehouse {@code config} names: files, position deletes, equality deletes, a replaced file. */
    private static void write(Config config, Path project, Step step) throws Exception {
        try (LakehouseCatalog lake = IcebergCatalogs.open(IcebergConfig.parse(config, project), project)) {
            if (step == Step.FIRST) {
                ((SupportsNamespaces) lake.catalog()).createNamespace(Namespace.of("crm"));
                Table contacts = create(lake, "contacts", PartitionSpec.unpartitioned());
                DataFile a = append(contacts, null, rows(contacts, 1, 100, "a"));
                append(contacts, null, rows(contacts, 101, 150, "b"));
                contacts.newRowDelta().addDeletes(positionDeletes(contacts, null, a.location(), 0, 5, 42, 99)).commit();

                Table deals = create(lake, "deals", PartitionSpec.builderFor(SCHEMA).identity("tenant").build());
                IcebergSnapshotReadTest.twoTenantsWithAnIdDeletedInA(deals, 7L);
            } else {
                Table contacts = lake.catalog().loadTable(TableIdentifier.of("crm", "contacts"));
                append(contacts, null, rows(contacts, 151, 170, "c"));
                Table deals = lake.catalog().loadTable(TableIdentifier.of("crm", "deals"));
                List<Record> replacement = rows(deals, 1, 10, "a");
                var overwrite = deals.newOverwrite().overwriteByRowFilter(org.apache.iceberg.expressions.Expressions.equal("tenant", "a"));
                overwrite.addFile(dataFile(deals, partition(deals, replacement.get(0)), replacement)).commit();
            }
        }
    }

    /** A fresh prefix of the store with the first step written; its settings. */
    private static IcebergConfig firstStepOnS3(Path project, String label) throws Exception {
        Config s3 = s3Config(proxy.getPort(), label + "-" + UUID.randomUUID());
        write(s3, project, Step.FIRST);
        return IcebergConfig.parse(s3, project);
    }

    private static Table create(LakehouseCatalog lake, String name, PartitionSpec spec) {
        return lake.catalog().createTable(TableIdentifier.of("crm", name), SCHEMA, spec, Map.of(TableProperties.FORMAT_VERSION, "2"));
    }

    private static Config s3Config(int port, String prefix) {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.put("warehouse", "s3://lake/" + prefix);
        ObjectNode s3 = c.putObject("s3");
        s3.put("endpoint", "http://127.0.0.1:" + port);
        s3.put("region", "us-east-1");
        s3.put("path_style", true);
        s3.put("access_key_id", KEY);
        s3.put("secret_access_key", SECRET);
        return Config.of(c);
    }

    // ---- reading

    private static Connection duckdb(Path project) throws Exception {
        Files.createDirectories(project);
        return DriverManager.getConnection("jdbc:duckdb:" + project.resolve("lakehouse.duckdb"));
    }

    private static void assertSameRows(Connection s3, Connection local, String view, int expected) throws SQLException {
        List<String> fromS3 = viewRows(s3, view);
        assertThat(fromS3).as(view + " over S3").hasSize(expected).containsExactlyElementsOf(viewRows(local, view));
    }

    private static List<String> viewRows(Connection duckdb, String view) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + view + " ORDER BY ALL")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) values.add(canonical(rs.getObject(i)));
                out.add(String.join("|", values));
            }
        }
        return out;
    }

    private static long count(Connection duckdb, String view) throws SQLException {
        try (Statement s = duckdb.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + view)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Path> cachedFiles(Path project) throws Exception {
        try (Stream<Path> files = Files.walk(project.resolve(LakehouseViews.MIRROR_FOLDER))) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".lock")).sorted().toList();
        }
    }

    private static long sizeOfCache(Path project) throws Exception {
        long total = 0;
        for (Path p : cachedFiles(project)) total += Files.size(p);
        return total;
    }
}
