package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.destination.iceberg.IcebergConfig.TableSettings;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel streams of one connection open their tables at the same moment on an empty lakehouse: each creates the
 * connection's namespace (and the tables) if absent, and none may fail because another got there first. Two catalogs on
 * one SQLite file stand for two processes.
 */
class IcebergCatalogRaceTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 25;
    private static final List<Field> FIELDS = List.of(new Field("id", DataType.INTEGER, false), new Field("name", DataType.TEXT, true));

    @TempDir
    Path dir;

    @Test
    void streamsCreatingOneNamespaceAndTableAtOnceAllSucceed() throws Exception {
        createAtOnce(IcebergConfig.parse(IcebergCatalogsTest.yaml(Map.of()), dir), dir);
    }

    @Test
    void removingOneNamespaceTwiceAtOnceSucceedsForBoth() throws Exception {
        dropAtOnce(IcebergConfig.parse(IcebergCatalogsTest.yaml(Map.of()), dir), dir);
    }

    /** Namespaces, tables and rejects tables created by {@link #THREADS} threads at once, on two catalogs of {@code config}. */
    static void createAtOnce(IcebergConfig config, Path dir) throws Exception {
        try (LakehouseCatalog first = IcebergCatalogs.open(config, dir); LakehouseCatalog second = IcebergCatalogs.open(config, dir)) {
            for (int round = 0; round < ROUNDS; round++) {
                TableIdentifier id = TableIdentifier.of("crm_" + round, "contacts");
                List<Table> tables = race(first.catalog(), second.catalog(),
                        catalog -> TableFactory.loadOrCreate(catalog, id, FIELDS, List.of("id"), TableSettings.NONE));
                assertThat(tables).extracting(t -> t.uuid()).as("round %d: one table, whoever created it", round).containsOnly(tables.get(0).uuid());
                // each stream also makes (or finds) its own table in the namespace the others are creating
                int r = round;
                List<Table> own = race(first.catalog(), second.catalog(), catalog -> TableFactory.loadOrCreate(catalog,
                        TableIdentifier.of("crm_" + r + "_b", "stream_" + Thread.currentThread().threadId() % 3), FIELDS, List.of("id"), TableSettings.NONE));
                assertThat(own).hasSize(THREADS);
                List<Table> rejects = race(first.catalog(), second.catalog(), catalog -> new RejectsTable(catalog).loadOrCreate(Namespace.of("rej_" + r)));
                assertThat(rejects).extracting(t -> t.uuid()).containsOnly(rejects.get(0).uuid());
            }
            assertThat(((SupportsNamespaces) first.catalog()).listNamespaces()).hasSize(3 * ROUNDS);
        }
    }

    /** Namespaces of two tables each removed by {@link #THREADS} threads at once, on two catalogs of {@code config}. */
    static void dropAtOnce(IcebergConfig config, Path dir) throws Exception {
        try (LakehouseCatalog first = IcebergCatalogs.open(config, dir); LakehouseCatalog second = IcebergCatalogs.open(config, dir)) {
            for (int round = 0; round < ROUNDS; round++) {
                Namespace ns = Namespace.of("tenant_" + round);
                TableFactory.loadOrCreate(first.catalog(), TableIdentifier.of(ns, "contacts"), FIELDS, List.of("id"), TableSettings.NONE);
                TableFactory.loadOrCreate(first.catalog(), TableIdentifier.of(ns, "deals"), FIELDS, List.of("id"), TableSettings.NONE);
                List<Integer> dropped = race(first.catalog(), second.catalog(), catalog -> CatalogObjects.dropNamespace(catalog, ns));
                assertThat(dropped.stream().mapToInt(Integer::intValue).sum()).as("round %d: each table dropped once", round).isEqualTo(2);
                assertThat(((SupportsNamespaces) first.catalog()).namespaceExists(ns)).isFalse();
            }
        }
    }

    /** {@code action} on {@link #THREADS} threads released at once, half on each catalog; every result, or the first failure. */
    private static <T> List<T> race(Catalog a, Catalog b, Function<Catalog, T> action) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                Catalog catalog = i % 2 == 0 ? a : b;
                futures.add(pool.submit(() -> {
                    start.await();
                    return action.apply(catalog);
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
