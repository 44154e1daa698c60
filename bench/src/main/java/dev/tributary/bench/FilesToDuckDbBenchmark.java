package dev.tributary.bench;

import dev.tributary.engine.RunListener;
import dev.tributary.engine.SyncResult;
import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Loads N newline-delimited JSON records (20 fields of mixed types) through the files source into DuckDB, the
 * way a user's project would, and loads the same file with DuckDB's own read_json as the reference. Prints
 * records per second for both, the ratio, and the peak Java heap of the Tributary run.
 *
 * <p>Usage: {@code FilesToDuckDbBenchmark [records] [work-dir] [checkpoint-every-records]} (default 1,000,000, a
 * temporary folder, and the engine's default checkpoint policy).
 */
public final class FilesToDuckDbBenchmark {
    private FilesToDuckDbBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tributary-bench");
        String checkpointEvery = args.length > 2 ? args[2].replace("_", "") : "default";
        Files.createDirectories(work.resolve("data"));
        Path file = work.resolve("data/events.jsonl");
        if (!Files.exists(file) || lineCount(file) != records) {
            long t = System.nanoTime();
            generate(file, records);
            System.out.printf("generated %,d records (%,d MB) in %.1fs%n", records, Files.size(file) >> 20, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("input: %s, %,d MB; Java %s, max heap %,d MB, %d cores%n", file, Files.size(file) >> 20, Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        double reference = duckDbReadJson(work, file, records);
        HeapProbe heap = new HeapProbe();
        double ours = tributary(work, records, checkpointEvery);
        long peak = heap.peakMb();

        System.out.println();
        System.out.printf("DuckDB read_json     : %,12.0f records/s%n", reference);
        System.out.printf("Tributary files sync : %,12.0f records/s%n", ours);
        System.out.printf("ratio                : %12.2f (aim >= 0.50)%n", ours / reference);
        System.out.printf("peak heap (Tributary): %,12d MB (aim < 512)%n", peak);
    }

    private static double tributary(Path work, int records, String checkpointEvery) throws IOException {
        Path project = work.resolve("project");
        Files.createDirectories(project);
        Path db = work.resolve("tributary.duckdb");
        Files.deleteIfExists(db);
        Files.deleteIfExists(work.resolve("tributary.duckdb.wal"));
        Files.writeString(project.resolve("tributary.yml"), projectYaml("type: duckdb\n  path: " + db, work.resolve("data"),
                checkpointEvery.equals("default") ? "" : "settings: {checkpoint_every_records: " + checkpointEvery + "}\n"));
        System.out.println("checkpoint every: " + (checkpointEvery.equals("default") ? "default (100,000 records or 30 s)" : checkpointEvery + " records"));
        long start = System.nanoTime();
        SyncResult result;
        try (Workspace w = new Workspace(Project.load(project, Map.of(), Connectors.discover()), Connectors.discover())) {
            result = w.sync("bench", Set.of(), false, RunListener.NONE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!result.ok() || result.records() != records) {
            throw new IllegalStateException("Tributary sync did not load every record: " + result);
        }
        System.out.printf("Tributary: %,d records in %.2fs (discover, read, coerce, stage, commit)%n", result.records(), seconds);
        return records / seconds;
    }

    /** The benchmark's project: the files source reading data/events.jsonl in batches of 10,000, appended to the destination. */
    static String projectYaml(String destination, Path data, String extra) {
        return """
                destination:
                  %s
                connections:
                  bench:
                    type: files
                    config:
                      base_path: %s
                      batch_size: 10000
                      streams:
                        - name: events
                          path: events.jsonl
                          format: jsonl
                    streams:
                      events: {write_mode: append}
                %s""".formatted(destination, data, extra);
    }

    private static double duckDbReadJson(Path work, Path file, int records) throws Exception {
        Path db = work.resolve("reference.duckdb");
        Files.deleteIfExists(db);
        Files.deleteIfExists(work.resolve("reference.duckdb.wal"));
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            s.execute("create table events as select * from read_json('" + file + "', format = 'newline_delimited')");
            try (ResultSet rs = s.executeQuery("select count(*) from events")) {
                rs.next();
                if (rs.getLong(1) != records) throw new IllegalStateException("read_json loaded " + rs.getLong(1));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("DuckDB read_json: %,d records in %.2fs%n", records, seconds);
        return records / seconds;
    }

    /** 20 fields: ids, text, enums, integers, decimals, doubles, booleans, dates, timestamps, nested object and array, nulls. */
    static void generate(Path file, int records) throws IOException {
        Random r = new Random(1);
        String[] countries = {"US", "DE", "GB", "FR", "JP", "BR", "IN", "SE"};
        String[] stages = {"lead", "mql", "sql", "opportunity", "customer", "evangelist"};
        LocalDateTime base = LocalDateTime.of(2024, 1, 1, 0, 0);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder(600);
            for (int i = 1; i <= records; i++) {
                sb.setLength(0);
                LocalDateTime created = base.plusSeconds(r.nextInt(60 * 60 * 24 * 700));
                sb.append("{\"id\":").append(i)
                        .append(",\"email\":\"user").append(i).append("@example.com\"")
                        .append(",\"first_name\":\"First").append(r.nextInt(5000)).append('"')
                        .append(",\"last_name\":\"Last").append(r.nextInt(20000)).append('"')
                        .append(",\"country\":\"").append(countries[r.nextInt(countries.length)]).append('"')
                        .append(",\"lifecycle_stage\":\"").append(stages[r.nextInt(stages.length)]).append('"')
                        .append(",\"visits\":").append(r.nextInt(10_000))
                        .append(",\"score\":").append(r.nextInt(100))
                        .append(",\"revenue\":").append(r.nextInt(1_000_000)).append('.').append(10 + r.nextInt(90))
                        .append(",\"conversion_rate\":").append(r.nextDouble())
                        .append(",\"is_customer\":").append(r.nextBoolean())
                        .append(",\"opted_out\":").append(r.nextInt(10) == 0)
                        .append(",\"signup_date\":\"").append(LocalDate.ofEpochDay(19000 + r.nextInt(1000))).append('"')
                        .append(",\"created_at\":\"").append(created).append('"')
                        .append(",\"updated_at\":\"").append(created.plusHours(r.nextInt(5000))).append("Z\"")
                        .append(",\"company_id\":").append(r.nextInt(50_000))
                        .append(",\"owner\":").append(r.nextInt(5) == 0 ? "null" : "\"owner-" + r.nextInt(40) + "\"")
                        .append(",\"notes\":\"").append(r.nextInt(3) == 0 ? "Called, left a message; follow up next week" : "ok").append('"')
                        .append(",\"address\":{\"city\":\"City").append(r.nextInt(300)).append("\",\"zip\":\"").append(10000 + r.nextInt(89999)).append("\"}")
                        .append(",\"tags\":[\"t").append(r.nextInt(10)).append("\",\"t").append(r.nextInt(10)).append("\"]}\n");
                w.append(sb);
            }
        }
    }

    private static long lineCount(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
