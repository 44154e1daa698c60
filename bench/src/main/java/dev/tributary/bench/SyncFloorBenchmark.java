package dev.tributary.bench;

import dev.tributary.engine.RunListener;
import dev.tributary.engine.SyncEngine;
import dev.tributary.engine.SyncJob;
import dev.tributary.engine.SyncResult;
import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.WriterLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The floor under every destination: the files benchmark's N records read, parsed, typed and coerced by the files
 * source and the sync engine into a destination that only counts them (it touches each record's values once, so
 * nothing is skipped). What a destination adds on top of this is its own cost. Prints wall and CPU time (the whole
 * process) of a cold run (first in the JVM) and a warm one, beside DuckDB's {@code COPY (read_json) TO parquet} of the
 * same file (after a warm-up, zstd, the cheaper of two), the reference of the lakehouse benchmark.
 *
 * <p>Usage: {@code SyncFloorBenchmark [records] [work-dir]} (default 1,000,000, a temporary folder).
 */
public final class SyncFloorBenchmark {
    private SyncFloorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tributary-floor-bench");
        Path data = work.resolve("data");
        Files.createDirectories(data);
        Path file = data.resolve("events.jsonl");
        if (!Files.exists(file)) FilesToDuckDbBenchmark.generate(file, records);
        System.out.printf("input: %s, %,d MB; Java %s, %d cores%n", file, Files.size(file) >> 20, Runtime.version(), Runtime.getRuntime().availableProcessors());
        Path project = work.resolve("floor-project");
        Files.createDirectories(project);
        // merge on id, as the lakehouse benchmark: the engine's own work is the same for every write mode
        Files.writeString(project.resolve("tributary.yml"), """
                destination:
                  type: duckdb
                  path: %s
                connections:
                  bench:
                    type: files
                    config:
                      base_path: %s
                      batch_size: 10000
                      streams:
                        - {name: events, path: events.jsonl, format: jsonl, primary_key: [id]}
                """.formatted(work.resolve("unused.duckdb"), data));
        double[] cold = floor(project, records);
        double[] warm = floor(project, records);
        double[] copy = null;
        duckDbCopy(work, file);
        for (int i = 0; i < 2; i++) {
            double[] c = measure(() -> duckDbCopy(work, file));
            if (copy == null || c[1] < copy[1]) copy = c;
        }
        System.out.printf("%nDuckDB COPY (read_json) TO parquet, zstd: %.2f s, %.1f CPU-s%n", copy[0], copy[1]);
        System.out.printf("the floor, cold (read, parse, type, coerce; nothing written): %.2f s, %.1f CPU-s; ratio to DuckDB's rate %.2f%n",
                cold[0], cold[1], copy[0] / cold[0]);
        System.out.printf("the floor, warm                                           : %.2f s, %.1f CPU-s; ratio to DuckDB's rate %.2f%n",
                warm[0], warm[1], copy[0] / warm[0]);
    }

    private static double[] floor(Path project, int records) throws Exception {
        long[] seen = new long[2];
        double[] m = measure(() -> {
            try (Workspace w = new Workspace(Project.load(project, Map.of(), Connectors.discover()), Connectors.discover())) {
                List<ConfiguredStream> streams = w.plan("bench", Set.of());
                SyncResult r = new SyncEngine(w.project().syncOptions(), RunListener.NONE)
                        .run(new SyncJob("bench", w.source("bench"), w.project().connection("bench").config(), new Counting(seen), streams));
                if (!r.ok() || r.records() != records) throw new IllegalStateException("the floor run did not read every record: " + r);
            }
        });
        System.out.printf("floor run: %,d records (%,d non-null values) in %.2f s, %.1f CPU-s%n", seen[0], seen[1], m[0], m[1]);
        return m;
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Wall seconds and CPU seconds of the whole process for {@code step}. */
    private static double[] measure(Step step) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long t = System.nanoTime();
        step.run();
        return new double[] {(System.nanoTime() - t) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9};
    }

    private static void duckDbCopy(Path work, Path file) throws Exception {
        Path parquet = work.resolve("floor-reference.parquet");
        Files.deleteIfExists(parquet);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("copy (select * from read_json('" + file + "', format = 'newline_delimited')) to '" + parquet + "' (format parquet, compression zstd)");
        }
    }

    /** A destination that counts records and non-null values, commits nothing and keeps no state. */
    private record Counting(long[] seen) implements DestinationSession {
        @Override
        public StreamWriter writer(ConfiguredStream stream, RunId run) {
            return new StreamWriter() {
                @Override
                public Optional<Schema> tableSchema() {
                    return Optional.empty();
                }

                @Override
                public void write(RecordBatch batch) {
                    int width = batch.schema().fields().size();
                    long values = 0;
                    for (Record r : batch.records()) {
                        for (int i = 0; i < width; i++) if (r.value(i) != null) values++;
                    }
                    seen[0] += batch.size();
                    seen[1] += values;
                }

                @Override
                public void commit(Optional<StreamState> checkpoint) {}

                @Override
                public void abort() {}

                @Override
                public Optional<StreamState> committedState() {
                    return Optional.empty();
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public WriterLock lockWriter(String connection, LockHolder holder) {
            return WriterLock.releasedBy(connection, () -> {});
        }

        @Override
        public Optional<StreamState> committedState(String connection, StreamId stream) {
            return Optional.empty();
        }

        @Override
        public List<StoredState> states() {
            return List.of();
        }

        @Override
        public int resetState(String connection, Optional<StreamId> stream) {
            return 0;
        }

        @Override
        public String tableOf(ConfiguredStream stream) {
            return stream.id().toString();
        }

        @Override
        public String describe() {
            return "a counting destination (the floor benchmark)";
        }

        @Override
        public void close() {}
    }
}
