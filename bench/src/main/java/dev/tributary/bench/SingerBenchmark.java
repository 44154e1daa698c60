package dev.tributary.bench;

import dev.tributary.engine.RunListener;
import dev.tributary.engine.SyncResult;
import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A Singer tap's 1,000,000 records through {@code type: singer} into DuckDB and into PostgreSQL, against {@code cat} of
 * the same messages into /dev/null (the pipe's own ceiling), in one run. The messages are written once by a python3 tap
 * (standard library; its own rate is printed too); the tap Tributary runs replays them with {@code cat}, so the
 * comparison is Tributary against the pipe, not against Python's JSON encoder.
 *
 * <p>Usage: {@code SingerBenchmark [records] [work-dir] [postgres-jdbc-url|none]}.
 */
public final class SingerBenchmark {
    private SingerBenchmark() {}

    private static final String TAP = """
            import json, sys, datetime
            n = int(sys.argv[1])
            out = sys.stdout
            schema = {"type": "object", "properties": {
                "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": ["null", "string"]},
                "country": {"type": "string"}, "amount": {"type": "string", "format": "singer.decimal"},
                "score": {"type": "number"}, "active": {"type": "boolean"},
                "updated_at": {"type": "string", "format": "date-time"}, "born": {"type": "string", "format": "date"},
                "tags": {"type": "array", "items": {"type": "string"}}}}
            out.write(json.dumps({"type": "SCHEMA", "stream": "people", "schema": schema, "key_properties": ["id"],
                                  "bookmark_properties": ["updated_at"]}) + "\\n")
            base = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
            countries = ["US", "DE", "GB", "FR", "JP", "BR", "IN", "SE"]
            for i in range(1, n + 1):
                rec = {"id": i, "email": "user%d@example.com" % i, "name": "Person %d" % (i % 5000), "country": countries[i % 8],
                       "amount": "%d.%02d" % (i % 100000, i % 100), "score": (i % 1000) / 7.0, "active": i % 3 == 0,
                       "updated_at": (base + datetime.timedelta(seconds=i)).isoformat(), "born": "19%02d-%02d-%02d" % (i % 100, i % 12 + 1, i % 28 + 1),
                       "tags": ["t%d" % (i % 10)]}
                out.write(json.dumps({"type": "RECORD", "stream": "people", "record": rec, "time_extracted": "2024-06-01T00:00:00+00:00"}) + "\\n")
                if i % 10000 == 0:
                    out.write(json.dumps({"type": "STATE", "value": {"bookmarks": {"people": {"updated_at": rec["updated_at"]}}}}) + "\\n")
            out.write(json.dumps({"type": "STATE", "value": {"bookmarks": {"people": {"updated_at": "done"}}}}) + "\\n")
            """;

    private static final String CATALOG = """
            {"streams": [{"tap_stream_id": "people", "stream": "people", "key_properties": ["id"],
              "schema": {"type": "object", "properties": {
                "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": ["null", "string"]},
                "country": {"type": "string"}, "amount": {"type": "string", "format": "singer.decimal"},
                "score": {"type": "number"}, "active": {"type": "boolean"},
                "updated_at": {"type": "string", "format": "date-time"}, "born": {"type": "string", "format": "date"},
                "tags": {"type": "array", "items": {"type": "string"}}}},
              "metadata": [{"breadcrumb": [], "metadata": {"table-key-properties": ["id"], "valid-replication-keys": ["updated_at"]}}]}]}
            """;

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tributary-singer-bench");
        String pgUrl = args.length > 2 ? args[2] : System.getenv().getOrDefault("TRIBUTARY_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        Files.createDirectories(work);
        Path tap = work.resolve("bench_tap.py");
        Files.writeString(tap, TAP);
        Path messages = work.resolve("messages.jsonl");
        Path catalog = work.resolve("catalog.json");
        Files.writeString(catalog, CATALOG);

        Path written = work.resolve("messages.records");
        long start = System.nanoTime();
        if (Files.exists(messages) && Files.exists(written) && Files.readString(written).equals(String.valueOf(records))) {
            System.out.printf("reusing the tap's messages of an earlier run: %s (%,d MB)%n", messages, Files.size(messages) >> 20);
        } else {
            Process p = new ProcessBuilder("python3", tap.toString(), String.valueOf(records)).redirectOutput(messages.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (p.waitFor() != 0) throw new IllegalStateException("the python tap failed");
            Files.writeString(written, String.valueOf(records));
            double tapSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("python3 tap writing the messages: %,d records in %.2f s = %,.0f records/s (%,d MB of messages)%n", records, tapSeconds,
                    records / tapSeconds, Files.size(messages) >> 20);
        }

        start = System.nanoTime();
        Process cat = new ProcessBuilder("sh", "-c", "cat \"$0\" | cat > /dev/null", messages.toString()).inheritIO().start();
        if (cat.waitFor() != 0) throw new IllegalStateException("cat failed");
        double catSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("cat messages | cat > /dev/null (the pipe's ceiling): %.2f s = %,.0f records/s%n", catSeconds, records / catSeconds);

        System.out.printf("JVM max heap: %d MB%n", Runtime.getRuntime().maxMemory() >> 20);
        // DuckDB first on a cold JVM, then PostgreSQL, then DuckDB again with the JIT warm: both DuckDB runs are printed
        run(work, "duckdb (cold JVM)", "{type: duckdb, path: " + work.resolve("bench.duckdb") + "}", messages, catalog, records, catSeconds);
        if (!pgUrl.equals("none")) {
            String prefix = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
            try {
                run(work, "postgres", "{type: postgres, url: \"" + pgUrl + "\", schema_prefix: " + prefix + "}", messages, catalog, records, catSeconds);
            } finally {
                try (Connection c = DriverManager.getConnection(pgUrl); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + prefix + "bench CASCADE");
                    s.execute("DROP SCHEMA IF EXISTS " + prefix + "tributary CASCADE");
                }
            }
        }
        run(work, "duckdb (warm JVM)", "{type: duckdb, path: " + work.resolve("bench.duckdb") + "}", messages, catalog, records, catSeconds);
    }

    private static void run(Path work, String name, String destination, Path messages, Path catalog, int records, double catSeconds) throws IOException {
        Path project = work.resolve("project-" + name.replaceAll("[^a-z]", ""));
        Files.createDirectories(project);
        Files.deleteIfExists(work.resolve("bench.duckdb"));
        Files.deleteIfExists(work.resolve("bench.duckdb.wal"));
        Files.writeString(project.resolve("tributary.yml"), """
                destination: %s
                connections:
                  bench:
                    type: singer
                    config:
                      command: [sh, -c, 'exec cat "$0"', '%s']
                      catalog_path: %s
                    streams:
                      people: {write_mode: append}
                """.formatted(destination, messages, catalog));
        System.gc();
        HeapProbe heap = new HeapProbe();
        long start = System.nanoTime();
        SyncResult result;
        try (Workspace w = new Workspace(Project.load(project, Map.of(), Connectors.discover()), Connectors.discover())) {
            result = w.sync("bench", Set.of(), false, RunListener.NONE);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        heap.stop();
        if (!result.ok() || result.records() != records) throw new IllegalStateException(name + ": not every record loaded: " + result);
        System.out.printf("Tributary singer -> %s: %,d records in %.2f s = %,.0f records/s (%.1fx the cat time); peak heap %d MB%n", name,
                result.records(), seconds, records / seconds, seconds / catSeconds, heap.peakMb());
    }
}
