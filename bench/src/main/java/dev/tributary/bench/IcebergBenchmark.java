package dev.tributary.bench;

import dev.tributary.engine.RunListener;
import dev.tributary.engine.SyncResult;
import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.TableMaintenance;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The lakehouse benchmark (issue 18): N records of the files benchmark's shape (20 fields) synced through the files
 * source into Iceberg on a local folder and on S3 (s3proxy in a process of its own), against DuckDB's own
 * {@code COPY (read_json) TO parquet} of the same file (with its default snappy, and with zstd, the lakehouse's codec; after an untimed warm-up
 * COPY, the cheaper of two each); the sync cold (first in the JVM) and warm (the same records again into a fresh table, as a
 * long-running serve pays for each later sync), each with CPU-seconds and records/s and its ratios to DuckDB; data files and bytes written; the peak heap of each sync; then
 * a merge of 10,000 changed records into the N-row table, and a compaction after it.
 *
 * <p>Usage: {@code IcebergBenchmark [records] [work-dir] [local|s3|both]} (default 1,000,000, a temporary folder, both).
 */
public final class IcebergBenchmark {
    private static final String KEY = "bench-access";
    private static final String SECRET = "bench-secret-key";

    private IcebergBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tributary-iceberg-bench");
        String where = args.length > 2 ? args[2] : "both";
        Path data = work.resolve("data");
        Files.createDirectories(data);
        Path file = data.resolve("events.jsonl");
        if (!Files.exists(file)) {
            long t = System.nanoTime();
            FilesToDuckDbBenchmark.generate(file, records);
            System.out.printf("generated %,d records (%,d MB) in %.1fs%n", records, Files.size(file) >> 20, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("input: %s, %,d MB; Java %s, max heap %,d MB, %d cores%n", file, Files.size(file) >> 20, Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        // DuckDB's first COPY in a JVM pays its own warm-up (6.4 CPU-s against 3.4-4.4 later, whatever the codec): one
        // untimed COPY first, then each codec twice, taking turns, the cheaper (CPU) of each pair
        duckDbCopy(work, file, "snappy");
        Measured<Long> copy = null;
        Measured<Long> zstd = null;
        for (int i = 0; i < 2; i++) {
            copy = cheaper(copy, measure(() -> duckDbCopy(work, file, "snappy")));
            zstd = cheaper(zstd, measure(() -> duckDbCopy(work, file, "zstd")));
        }
        double reference = records / copy.seconds();
        double referenceCpu = copy.cpuSeconds();
        System.out.printf("DuckDB COPY (read_json) TO parquet (its default codec, snappy; after a warm-up, best of 2): %,d records in %.2fs (%.1f CPU-s), %,d MB%n",
                records, copy.seconds(), referenceCpu, copy.result() >> 20);
        // the lakehouse writes zstd: DuckDB with the same codec is the like-for-like reference
        double referenceZstd = records / zstd.seconds();
        System.out.printf("DuckDB COPY (read_json) TO parquet (COMPRESSION zstd; after a warm-up, best of 2): %,d records in %.2fs (%.1f CPU-s), %,d MB%n",
                records, zstd.seconds(), zstd.cpuSeconds(), zstd.result() >> 20);
        List<String> summary = new ArrayList<>();
        summary.add(String.format("DuckDB COPY TO parquet, snappy : %,10.0f records/s, %.1f CPU-seconds", reference, referenceCpu));
        summary.add(String.format("DuckDB COPY TO parquet, zstd   : %,10.0f records/s, %.1f CPU-seconds", referenceZstd, zstd.cpuSeconds()));
        Reference ref = new Reference(records, reference, referenceZstd, referenceCpu, zstd.cpuSeconds());
        if (!where.equals("s3")) {
            Path project = project(work.resolve("local"), data, "warehouse: " + work.resolve("local/lakehouse"));
            Path warm = project(work.resolve("local-warm"), data, "warehouse: " + work.resolve("local-warm/lakehouse"));
            summary.addAll(run("local folder", project, warm, ref, work.resolve("local/lakehouse")));
        }
        if (!where.equals("local")) {
            Process proxy = startProxy(work.resolve("s3-store"));
            try {
                int port = awaitPort(proxy);
                Path project = project(work.resolve("s3"), data, """
                        warehouse: s3://lake/bench
                          s3: {endpoint: "http://127.0.0.1:%d", region: us-east-1, path_style: true, access_key_id: %s, secret_access_key: %s}"""
                        .formatted(port, KEY, SECRET));
                Path warm = project(work.resolve("s3-warm"), data, """
                        warehouse: s3://lake/bench-warm
                          s3: {endpoint: "http://127.0.0.1:%d", region: us-east-1, path_style: true, access_key_id: %s, secret_access_key: %s}"""
                        .formatted(port, KEY, SECRET));
                summary.addAll(run("S3 (s3proxy)", project, warm, ref, work.resolve("s3-store/lake/bench")));
            } finally {
                proxy.destroy();
            }
        }
        System.out.println();
        summary.forEach(System.out::println);
    }

    /** DuckDB's COPY of the same file: records/s and CPU-seconds with each codec. */
    private record Reference(int records, double snappyRate, double zstdRate, double snappyCpu, double zstdCpu) {
        String ratios(String what, double seconds, double cpu) {
            double rate = records / seconds;
            return String.format("%-30s: %,10.0f records/s, %.1f CPU-s; ratio to DuckDB's rate snappy %.2f / zstd %.2f (aim >= 0.50), "
                    + "DuckDB's CPU-s / ours snappy %.2f / zstd %.2f", what, rate, cpu, rate / snappyRate, rate / zstdRate, snappyCpu / cpu, zstdCpu / cpu);
        }
    }

    private static List<String> run(String label, Path project, Path warmProject, Reference ref, Path storage) throws Exception {
        int records = ref.records();
        System.out.println();
        System.out.println("== " + label);
        Measured<SyncResult> load = measure(() -> sync(project));
        SyncResult first = load.result();
        double seconds = load.seconds();
        long peak = load.peakHeapMb();
        double cpu = load.cpuSeconds();
        if (!first.ok() || first.records() != records) throw new IllegalStateException("the sync did not load every record: " + first);
        long[] files = files(storage);
        System.out.printf("sync, cold (first in this JVM; merge on id into an empty table): %,d records in %.2fs (%.1f CPU-s); %,d files, %,d MB under the table%n",
                records, seconds, cpu, files[0], files[1] >> 20);
        // what a long-running serve pays for each later sync: the same records into a fresh table, the JIT warm
        Measured<SyncResult> again = measure(() -> sync(warmProject));
        if (!again.result().ok() || again.result().records() != records) throw new IllegalStateException("the warm sync did not load every record: " + again.result());
        System.out.printf("sync, warm (second in this JVM, a fresh table): %,d records in %.2fs (%.1f CPU-s), peak heap %,d MB%n",
                records, again.seconds(), again.cpuSeconds(), again.peakHeapMb());

        // the load's files (a commit every 100,000 records or 30 s) are small for a 512 MB target: compacted once here,
        // so that the compaction after the merge measures what the merge costs
        Measured<String> loadCompaction = measure(() -> compact(project));
        System.out.printf("compact after the load: %.2fs, %.1f CPU-s (%s)%n", loadCompaction.seconds(), loadCompaction.cpuSeconds(), loadCompaction.result().strip());

        Path changes = project.resolve("data/changes.jsonl");
        changed(changes, records, 10_000);
        Measured<SyncResult> merged = measure(() -> sync(project));
        SyncResult merge = merged.result();
        double mergeSeconds = merged.seconds();
        long mergePeak = merged.peakHeapMb();
        if (!merge.ok() || merge.records() != 10_000) throw new IllegalStateException("the merge did not load 10,000 records: " + merge);
        System.out.printf("merge of 10,000 changed records into %,d rows: %.2fs%n", records, mergeSeconds);

        Measured<String> compacted = measure(() -> compact(project));
        double compactSeconds = compacted.seconds();
        System.out.printf("compact after the merge: %.2fs, %.1f CPU-s (%s)%n", compactSeconds, compacted.cpuSeconds(), compacted.result().strip());
        return List.of(
                ref.ratios("Iceberg on " + label + ", cold", seconds, cpu),
                ref.ratios("Iceberg on " + label + ", warm", again.seconds(), again.cpuSeconds()),
                String.format("%-30s  peak heap cold %,d MB / warm %,d MB (aim < 512); %,d files, %,d MB; merge of 10,000: %.2fs (peak heap %,d MB); "
                        + "compact after the load: %.2fs (%.1f CPU-s), after the merge: %.2fs (%.1f CPU-s)", "", peak, again.peakHeapMb(), files[0],
                        files[1] >> 20, mergeSeconds, mergePeak, loadCompaction.seconds(), loadCompaction.cpuSeconds(), compactSeconds, compacted.cpuSeconds()));
    }

    /** Of two measurements of the same step, the one that cost less CPU ({@code a} may be null). */
    private static <T> Measured<T> cheaper(Measured<T> a, Measured<T> b) {
        return a == null || b.cpuSeconds() < a.cpuSeconds() ? b : a;
    }

    /** What a measured step returned, how long it took and the peak heap meanwhile. */
    private record Measured<T>(T result, double seconds, long peakHeapMb, double cpuSeconds) {}

    /** CPU time of this whole process (every thread, DuckDB's native ones too), in seconds. */
    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static <T> Measured<T> measure(java.util.concurrent.Callable<T> step) throws Exception {
        HeapProbe heap = new HeapProbe();
        long start = System.nanoTime();
        double cpu = cpuSeconds();
        try {
            T result = step.call();
            return new Measured<>(result, (System.nanoTime() - start) / 1e9, heap.peakMb(), cpuSeconds() - cpu);
        } finally {
            heap.stop();
        }
    }

    private static SyncResult sync(Path project) throws IOException {
        try (Workspace w = new Workspace(Project.load(project, Map.of(), Connectors.discover()), Connectors.discover())) {
            return w.sync("bench", Set.of(), false, RunListener.NONE);
        }
    }

    private static String compact(Path project) throws IOException {
        try (Workspace w = new Workspace(Project.load(project, Map.of(), Connectors.discover()), Connectors.discover())) {
            TableMaintenance m = (TableMaintenance) w.destination();
            return m.compact("bench.events", LockHolder.thisProcess("iceberg benchmark")).summary();
        }
    }

    private static Path project(Path dir, Path data, String destination) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        if (Files.exists(dir.resolve("lakehouse"))) deleteTree(dir.resolve("lakehouse"));
        Files.deleteIfExists(dir.resolve("lakehouse-catalog.sqlite"));
        Path link = dir.resolve("data/events.jsonl");
        Files.deleteIfExists(link);
        Files.deleteIfExists(dir.resolve("data/changes.jsonl"));
        Files.createSymbolicLink(link, data.resolve("events.jsonl"));
        Files.writeString(dir.resolve("tributary.yml"), """
                destination:
                  type: iceberg
                  %s
                connections:
                  bench:
                    type: files
                    config:
                      batch_size: 10000
                      streams:
                        - {name: events, path: "data/*.jsonl", format: jsonl, primary_key: [id]}
                """.formatted(destination));
        return dir;
    }

    /** {@code n} records of existing ids with changed values, in the same shape. */
    private static void changed(Path file, int records, int n) throws IOException {
        Path tmp = file.resolveSibling("changes.tmp");
        FilesToDuckDbBenchmark.generate(tmp, n);
        Random r = new Random(7);
        try (BufferedReader in = Files.newBufferedReader(tmp); BufferedWriter out = Files.newBufferedWriter(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                int id = 1 + r.nextInt(records);
                out.write(line.replaceFirst("\\{\"id\":\\d+", "{\"id\":" + id).replace("\"notes\":\"ok\"", "\"notes\":\"changed\""));
                out.write('\n');
            }
        }
        Files.delete(tmp);
    }

    /** Data files (.parquet) and bytes (every file) under {@code dir}. */
    private static long[] files(Path dir) throws IOException {
        long[] out = new long[2];
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                if (p.toString().endsWith(".parquet")) out[0]++;
                try {
                    out[1] += Files.size(p);
                } catch (IOException e) {
                    // gone
                }
            });
        }
        return out;
    }

    /** DuckDB's own COPY of the file to Parquet with {@code codec}; returns the Parquet file's size. */
    private static long duckDbCopy(Path work, Path file, String codec) throws Exception {
        Path parquet = work.resolve("reference-" + codec + ".parquet");
        Files.deleteIfExists(parquet);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("copy (select * from read_json('" + file + "', format = 'newline_delimited')) to '" + parquet + "' (format parquet, compression " + codec + ")");
        }
        return Files.size(parquet);
    }

    private static Process startProxy(Path store) throws IOException {
        if (Files.exists(store)) deleteTree(store);
        // s3proxy runs on Jetty 12, the benchmarks' class path has Javalin's Jetty 11: it has a class path of its own (bench/s3proxy)
        Path module = Path.of(System.getProperty("tributary.bench.root", ".")).resolve("bench/s3proxy/target");
        if (!Files.isDirectory(module.resolve("lib"))) {
            throw new IllegalStateException("s3proxy's class path is missing: " + module + "/lib (build it: bin/mvn -q -B -o -pl bench/s3proxy -am package)");
        }
        String classPath = module.resolve("classes") + java.io.File.pathSeparator + module.resolve("lib") + java.io.File.separator + "*";
        return new ProcessBuilder(javaCommand(classPath, "dev.tributary.bench.S3ProxyMain", store.toString(), "lake", KEY, SECRET)).redirectErrorStream(true).start();
    }

    private static int awaitPort(Process proxy) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                Thread.ofVirtual().start(() -> {
                    try {
                        while (r.readLine() != null) {
                            // drain
                        }
                    } catch (IOException e) {
                        // ended
                    }
                });
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("s3proxy did not start");
    }

    private static List<String> javaCommand(String classPath, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
