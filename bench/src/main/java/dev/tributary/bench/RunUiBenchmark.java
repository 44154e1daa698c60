package dev.tributary.bench;

import dev.tributary.scheduler.JdbcMetadataStore;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * Issue 21's figures (bench/run-serve ui): a project with P pipelines and an embedded store holding R finished runs
 * spread over them, one of which has S steps (each with a stream item) and L log lines; then {@code tributary serve}
 * (cli/target/tributary.jar) as a subprocess: time to first byte (response headers) and full load (body, then the stylesheet) of the overview
 * and of that run's page, cold (first request) and warm (median and max of 10), and serve's RSS after sitting idle.
 */
final class RunUiBenchmark {
    private static final int WARM = 10;

    private RunUiBenchmark() {}

    static void run(int pipelines, int runs, int steps, int logLines, int idleSeconds) throws Exception {
        Path root = ServeBenchmark.root();
        String java = ProcessHandle.current().info().command().orElse("java");
        // serve runs from the runnable jar, as users run it (bench/target/lib mixes Spark's Jetty with Javalin's)
        Path jar = root.resolve("cli/target/tributary.jar");
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("build the runnable jar first: bin/build-jar (" + jar + " is missing)");
        String classpath = jar.toString();
        Path project = Files.createTempDirectory("tributary-run-ui-");
        StringBuilder yml = new StringBuilder("name: runui\ndestination: {type: duckdb, path: warehouse.duckdb}\npipelines:\n");
        for (int p = 0; p < pipelines; p++) yml.append("  p").append(p).append(":\n    schedule: \"0 3 1 1 *\"\n    steps: [{build: []}]\n");
        Files.writeString(project.resolve("tributary.yml"), yml);

        long t = System.nanoTime();
        long bigRun = fill(project.resolve(".tributary/metadata"), pipelines, runs, steps, logLines);
        System.out.printf("store: %d pipelines, %,d runs, run %d with %d steps and %,d log lines, written in %.1f s%n", pipelines, runs, bigRun, steps, logLines,
                (System.nanoTime() - t) / 1e9);

        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, "dev.tributary.cli.Main", "-p", project.toString(),
                "serve", "--port", "0").directory(project.toFile()).redirectErrorStream(true);
        pb.environment().put("TRIBUTARY_ADMIN_PASSWORD", ServeBenchmark.ADMIN_PASSWORD);
        pb.environment().remove("TRIBUTARY_ADMIN_USER");
        Process serve = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println("  serve| " + line);
                    Matcher m = ServeBenchmark.SERVING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(2)));
                }
            } catch (java.io.IOException ended) {
                // serve is gone: the port future fails below
            }
            port.completeExceptionally(new IllegalStateException("serve ended before printing its address"));
        });
        try {
            String base = "http://127.0.0.1:" + port.get(120, TimeUnit.SECONDS);
            HttpClient browser = ServeBenchmark.browser();
            HttpResponse<String> login = ServeBenchmark.login(browser, base);
            if (login.statusCode() != 303) throw new IllegalStateException("login failed: " + login.statusCode());
            System.out.println("| page | bytes | cold TTFB ms | cold full ms | warm TTFB median / max ms | warm full median / max ms |");
            System.out.println("|---|---|---|---|---|---|");
            for (String page : List.of("/", "/runs", "/runs/" + bigRun)) measure(browser, base, page);
            System.out.printf("RSS after the pages: %s; idle for %d s%n", ServeBenchmark.procStatus(serve.pid()).get("VmRSS") >> 10, idleSeconds);
            if (serve.waitFor(idleSeconds, TimeUnit.SECONDS)) throw new IllegalStateException("serve exited while idle: " + serve.exitValue());
            Map<String, Long> status = ServeBenchmark.procStatus(serve.pid());
            System.out.printf("serve idle RSS with %d pipelines and %,d runs: VmRSS %d MB (peak VmHWM %d MB)%n", pipelines, runs, status.get("VmRSS") >> 10,
                    status.get("VmHWM") >> 10);
        } finally {
            serve.destroy();
            if (!serve.waitFor(60, TimeUnit.SECONDS)) serve.destroyForcibly().waitFor();
        }
    }

    /** Writes the history straight into the store's tables (batched), as years of runs would have left them. */
    private static long fill(Path folder, int pipelines, int runs, int steps, int logLines) {
        Instant now = Instant.now();
        try (JdbcMetadataStore store = JdbcMetadataStore.h2(folder)) {
            store.details(); // its tables too
            store.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + store.table("runs")
                        + " (pipeline, status, trigger_kind, due_at, started_at, ended_at, error, records) VALUES (?, ?, 'schedule', ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < runs; i++) {
                        // oldest first, one every few minutes over the last weeks; every 7th failed
                        Instant start = now.minus(Duration.ofMinutes(3L * (runs - i)));
                        boolean failed = i % 7 == 3;
                        ps.setString(1, "p" + (i % pipelines));
                        ps.setString(2, failed ? "FAILED" : "SUCCEEDED");
                        ps.setObject(3, start.atOffset(ZoneOffset.UTC));
                        ps.setObject(4, start.atOffset(ZoneOffset.UTC));
                        ps.setObject(5, start.plusSeconds(20 + i % 40).atOffset(ZoneOffset.UTC));
                        ps.setString(6, failed ? "step build-1 failed: Database Error in model m (models/m.sql): relation \"x\" does not exist" : null);
                        ps.setLong(7, i * 13L % 10_000);
                        ps.addBatch();
                        if (i % 1000 == 999) ps.executeBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
            long big = store.transaction(c -> {
                try (var s = c.createStatement(); var rs = s.executeQuery("SELECT MAX(id) FROM " + store.table("runs"))) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            Instant start = now.minus(Duration.ofMinutes(3));
            store.transaction(c -> {
                try (PreparedStatement st = c.prepareStatement("INSERT INTO " + store.table("run_steps")
                        + " (run_id, step, kind, status, attempt, started_at, ended_at, records, summary) VALUES (?, ?, 'SYNC', 'SUCCEEDED', 1, ?, ?, 100, '1 stream, 100 records')");
                     PreparedStatement it = c.prepareStatement("INSERT INTO " + store.table("run_step_items")
                             + " (run_id, step, kind, name, status, started_at, ended_at, rows_written, rejected, resumed) VALUES (?, ?, 'stream', ?, 'succeeded', ?, ?, 100, 0, FALSE)");
                     PreparedStatement log = c.prepareStatement("INSERT INTO " + store.table("run_log")
                             + " (run_id, seq, logged_at, log_level, pipeline, system_name, message) VALUES (?, ?, ?, 'INFO', ?, 'sync', ?)")) {
                    for (int i = 0; i < steps; i++) {
                        Instant a = start.plusMillis(i * 1500L);
                        Instant b = a.plusMillis(1400);
                        st.setLong(1, big);
                        st.setString(2, "sync-" + (i + 1));
                        st.setObject(3, a.atOffset(ZoneOffset.UTC));
                        st.setObject(4, b.atOffset(ZoneOffset.UTC));
                        st.addBatch();
                        it.setLong(1, big);
                        it.setString(2, "sync-" + (i + 1));
                        it.setString(3, "conn.stream_" + i);
                        it.setObject(4, a.atOffset(ZoneOffset.UTC));
                        it.setObject(5, b.atOffset(ZoneOffset.UTC));
                        it.addBatch();
                    }
                    st.executeBatch();
                    it.executeBatch();
                    String pipeline = "p" + ((runs - 1) % pipelines);
                    for (int i = 1; i <= logLines; i++) {
                        log.setLong(1, big);
                        log.setLong(2, i);
                        log.setObject(3, start.plusMillis(i * 15L).atOffset(ZoneOffset.UTC));
                        log.setString(4, pipeline);
                        log.setString(5, "stream_" + (i % steps) + ": batch " + i + " staged, 1,000 records, 12,345 records per second");
                        log.addBatch();
                        if (i % 1000 == 0) log.executeBatch();
                    }
                    log.executeBatch();
                }
                return null;
            });
            return big;
        }
    }

    private static void measure(HttpClient browser, String base, String page) throws Exception {
        double[] cold = load(browser, base, page);
        List<Double> ttfb = new ArrayList<>();
        List<Double> full = new ArrayList<>();
        for (int i = 0; i < WARM; i++) {
            double[] warm = load(browser, base, page);
            ttfb.add(warm[0]);
            full.add(warm[1]);
        }
        ttfb.sort(null);
        full.sort(null);
        System.out.printf("| %s | %,d | %.0f | %.0f | %.0f / %.0f | %.0f / %.0f |%n", page, (long) cold[2], cold[0], cold[1], ttfb.get(WARM / 2), ttfb.get(WARM - 1),
                full.get(WARM / 2), full.get(WARM - 1));
    }

    /** {time to the response's headers, time to the whole body and the stylesheet, bytes} in ms. */
    private static double[] load(HttpClient browser, String base, String page) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = browser.send(HttpRequest.newBuilder(URI.create(base + page)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        double ttfb = (System.nanoTime() - t0) / 1e6;
        long bytes;
        try (InputStream in = r.body()) {
            bytes = in.readAllBytes().length;
        }
        if (r.statusCode() != 200) throw new IllegalStateException(page + " answered " + r.statusCode());
        ServeBenchmark.get(browser, base + "/static/tributary.css");
        return new double[] {ttfb, (System.nanoTime() - t0) / 1e6, bytes};
    }
}
