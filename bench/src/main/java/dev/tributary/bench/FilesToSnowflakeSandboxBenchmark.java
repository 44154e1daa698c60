package dev.tributary.bench;

import dev.tributary.engine.RunListener;
import dev.tributary.engine.SyncResult;
import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import dev.tributary.sandbox.snowflake.SnowflakeSandbox;
import dev.tributary.sandbox.snowflake.SnowflakeSandboxOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files benchmark's 1,000,000 generated JSON records (20 fields, {@link FilesToDuckDbBenchmark#generate}) synced
 * by the same project twice: into DuckDB directly, and into the Snowflake sandbox (started in this process on a random
 * port) through the real Snowflake JDBC driver and the snowflake destination (gzip CSV files, PUT, COPY INTO, insert).
 * Prints wall time, records per second and this process's CPU time for each (the sandbox's CPU is in the second
 * figure): the simulator's and the protocol's overhead, not Snowflake's speed.
 *
 * <p>Usage: {@code FilesToSnowflakeSandboxBenchmark [records] [work-dir]}.
 */
public final class FilesToSnowflakeSandboxBenchmark {
    private FilesToSnowflakeSandboxBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tributary-bench-snowflake");
        Files.createDirectories(work.resolve("data"));
        Path file = work.resolve("data/events.jsonl");
        if (!Files.exists(file)) FilesToDuckDbBenchmark.generate(file, records);
        System.out.printf("input: %s, %,d MB; Java %s, max heap %,d MB, %d cores, load average %.2f%n", file, Files.size(file) >> 20, Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        Path db = work.resolve("direct.duckdb");
        Files.deleteIfExists(db);
        double[] duck = sync(work, records, "type: duckdb\n  path: " + db);
        double[] snow;
        try (SnowflakeSandbox sandbox = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDatabases(List.of("RAW")))) {
            snow = sync(work, records, """
                    type: snowflake
                      account: %s
                      user: %s
                      password: %s
                      host: 127.0.0.1
                      port: %d
                      protocol: http
                      database: RAW""".formatted(sandbox.options().account(), sandbox.connectionProperties().getProperty("user"),
                    sandbox.connectionProperties().getProperty("password"), sandbox.port()));
        }
        System.out.println();
        System.out.printf("files -> DuckDB direct      : %8.1f s wall, %,10.0f records/s, %8.1f s CPU%n", duck[0], records / duck[0], duck[1]);
        System.out.printf("files -> Snowflake sandbox  : %8.1f s wall, %,10.0f records/s, %8.1f s CPU (sandbox included)%n", snow[0], records / snow[0], snow[1]);
        System.out.printf("sandbox / direct            : %8.2f x wall, %8.2f x CPU; load average now %.2f%n", snow[0] / duck[0], snow[1] / duck[1],
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Wall seconds and process CPU seconds of one sync of the files into the destination. */
    private static double[] sync(Path work, int records, String destination) throws Exception {
        Path project = Files.createTempDirectory(work, "project");
        Files.writeString(project.resolve("tributary.yml"), FilesToDuckDbBenchmark.projectYaml(destination, work.resolve("data"), ""));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        SyncResult result;
        try (Workspace w = new Workspace(Project.load(project, Map.of(), Connectors.discover()), Connectors.discover())) {
            result = w.sync("bench", Set.of(), false, RunListener.NONE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
        if (!result.ok() || result.records() != records) throw new IllegalStateException("the sync did not load every record: " + result);
        System.out.printf("%s: %,d records in %.1fs (CPU %.1fs)%n", destination.lines().findFirst().orElse(""), result.records(), seconds, cpuSeconds);
        return new double[] {seconds, cpuSeconds};
    }
}
