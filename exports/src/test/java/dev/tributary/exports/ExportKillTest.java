package dev.tributary.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of an export in the middle of its partition swaps: every partition stays whole for manifest readers. */
class ExportKillTest {
    private static final int PARTITIONS = 150;

    @TempDir
    Path dir;

    @Test
    void aKilledExportLeavesEachPartitionWholeAndTheNextExportLeavesNoExtraFiles() throws Exception {
        Path root = dir.resolve("out");
        ExportChild.export(root, PARTITIONS, "v1", false);
        Path anyManifest = root.resolve("tenant=0").resolve(PartitionManifest.FILE_NAME);
        String firstExportId = PartitionManifest.fromJson(Files.readAllBytes(anyManifest), anyManifest.toString()).exportId();

        Process second = child(root, "v2");
        // kill once some partitions are committed by the second export and others are not yet
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (second.isAlive() && committedBy(root, firstExportId) < 20 && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(second.isAlive()).as("the export was still swapping partitions when killed").isTrue();
        second.destroyForcibly().waitFor();

        List<String> rows = manifestRows(root);
        assertThat(rows).hasSize(PARTITIONS * 20);
        assertThat(rows.stream().filter(r -> r.endsWith("v2")).count()).as("some partitions committed by the killed export").isPositive();
        java.util.Map<String, java.util.Set<String>> versionsByTenant = new java.util.TreeMap<>();
        for (String r : rows) versionsByTenant.computeIfAbsent(r.substring(0, r.indexOf('|')), k -> new java.util.TreeSet<>()).add(r.substring(r.lastIndexOf('|') + 1));
        assertThat(versionsByTenant).as("every tenant's partition").hasSize(PARTITIONS);
        assertThat(versionsByTenant.values()).as("each partition is one export's, whole, not a mix").allMatch(v -> v.size() == 1);

        ExportChild.export(root, PARTITIONS, "v3", false);
        assertThat(manifestRows(root)).hasSize(PARTITIONS * 20).allMatch(r -> r.endsWith("v3"));
        assertThat(globCount(root)).as("a glob sees no leftover of the killed export").isEqualTo(PARTITIONS * 20);
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).doesNotContain(".out.tributary-staging");
        }
    }

    private Process child(Path root, String version) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), ExportChild.class.getName(),
                root.toString(), Integer.toString(PARTITIONS), version, "true").redirectErrorStream(true).redirectOutput(dir.resolve(version + ".log").toFile()).start();
    }

    /** Partitions whose manifest is not the first export's. */
    private static long committedBy(Path root, String firstExportId) throws Exception {
        long n = 0;
        try (Stream<Path> partitions = Files.list(root)) {
            for (Path p : partitions.map(d -> d.resolve(PartitionManifest.FILE_NAME)).toList()) {
                try {
                    if (!PartitionManifest.fromJson(Files.readAllBytes(p), p.toString()).exportId().equals(firstExportId)) n++;
                } catch (java.io.IOException e) {
                    // being replaced right now
                }
            }
        }
        return n;
    }

    private static List<String> manifestRows(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET VARIABLE files = (SELECT list(parse_dirpath(filename) || '/' || f) FROM read_json('" + root
                    + "/*/_SUCCESS', filename=true) AS m, unnest(m.files) AS t(f))");
            try (ResultSet rs = s.executeQuery("SELECT tenant || '|' || id || '|' || version FROM read_parquet(getvariable('files'), hive_partitioning=true) ORDER BY tenant, id")) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long globCount(Path root) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + root + "/*/*.parquet')")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
