package dev.tributary.bench;

import dev.tributary.scheduler.DatabaseClock;
import dev.tributary.scheduler.JdbcMetadataStore;
import dev.tributary.scheduler.PipelineDef;
import dev.tributary.scheduler.RetrySettings;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.Scheduler;
import dev.tributary.scheduler.SchedulerOptions;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepExecutor;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.StepOutcome;
import dev.tributary.scheduler.SystemSchedulerClock;
import dev.tributary.scheduler.Trigger;
import dev.tributary.scheduler.WorkQueue;
import dev.tributary.scheduler.WorkerOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Several schedulers as separate JVMs ("workers") on one PostgreSQL metadata store (issue 19):
 * <ul>
 *   <li>{@code latency [pipelines] [minutes] [workers] [work-ms] [concurrency]}: N pipelines on {@code * * * * *};
 *       run start latency (startedAt, the claim's database time, minus dueAt) read back from the store.</li>
 *   <li>{@code throughput [runs] [work-ms] [concurrency] [worker counts...]}: N runs queued at once (one per manual
 *       pipeline), drained by 1, then 3 workers: runs/s, runs per worker, RSS per worker.</li>
 * </ul>
 * The step is simulated work (a sleep, as a sync waiting on an API), so the figures are the coordination's own.
 * {@code TRIBUTARY_BENCH_POSTGRES_URL} overrides the database (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres).
 */
public final class WorkersBenchmark {
    private static final String URL = Optional.ofNullable(System.getenv("TRIBUTARY_BENCH_POSTGRES_URL"))
            .orElse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private WorkersBenchmark() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "latency";
        switch (mode) {
            case "latency" -> latency(intArg(args, 1, 100), intArg(args, 2, 3), intArg(args, 3, 3), intArg(args, 4, 0), intArg(args, 5, 100));
            case "throughput" -> {
                List<Integer> counts = new ArrayList<>();
                for (int i = 4; i < args.length; i++) counts.add(Integer.parseInt(args[i]));
                throughput(intArg(args, 1, 300), intArg(args, 2, 200), intArg(args, 3, 4), counts.isEmpty() ? List.of(1, 3) : counts);
            }
            case "worker" -> worker(args);
            default -> {
                System.err.println("usage: WorkersBenchmark latency [pipelines] [minutes] [workers] [work-ms] [concurrency]");
                System.err.println("       WorkersBenchmark throughput [runs] [work-ms] [concurrency] [worker counts, default 1 3]");
                System.exit(2);
            }
        }
    }

    private static int intArg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    // ---------------------------------------------------------------- the child JVM

    /** {@code worker <schema> <id> <pipelines> <cron|manual> <work-ms> <concurrency>}: runs until stdin closes. */
    private static void worker(String[] a) throws Exception {
        String schema = a[1];
        String id = a[2];
        Map<String, PipelineDef> defs = pipelines(Integer.parseInt(a[3]), a[4].equals("cron"));
        long workMs = Long.parseLong(a[5]);
        int concurrency = Integer.parseInt(a[6]);
        StepExecutor executor = context -> {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(workMs);
            while (System.nanoTime() < end && !context.cancelled()) Thread.sleep(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            return StepOutcome.success(1, "bench");
        };
        WorkerOptions w = WorkerOptions.DEFAULT.withWorkerId(id);
        try (JdbcMetadataStore store = JdbcMetadataStore.postgres(URL, null, null, schema);
             Scheduler scheduler = new Scheduler(defs, store, executor, new DatabaseClock(new SystemSchedulerClock()),
                     SchedulerOptions.DEFAULT.withMaxConcurrentRuns(concurrency).withWorker(w))) {
            scheduler.start();
            System.out.println("ready " + id);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // the parent closes stdin to stop this worker
            }
        }
    }

    private static Map<String, PipelineDef> pipelines(int n, boolean cron) {
        StepDef step = new StepDef("work", StepKind.RUN, List.of(), false, Map.of(), List.of(), Optional.empty());
        Map<String, PipelineDef> defs = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            String name = String.format("p%03d", i);
            defs.put(name, new PipelineDef(name, "bench", List.of(step), cron ? new Trigger.Cron("* * * * *", ZoneOffset.UTC) : new Trigger.Manual(),
                    false, RetrySettings.NONE, Optional.empty()));
        }
        return defs;
    }

    private static List<Process> spawn(String schema, int workers, int pipelines, String kind, long workMs, int concurrency) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> out = new ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            ProcessBuilder b = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), WorkersBenchmark.class.getName(),
                    "worker", schema, "w" + i, Integer.toString(pipelines), kind, Long.toString(workMs), Integer.toString(concurrency));
            b.redirectError(ProcessBuilder.Redirect.DISCARD);
            out.add(b.start());
        }
        for (Process p : out) {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.startsWith("ready")) throw new IllegalStateException("a worker did not start: " + line);
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (r.readLine() != null) {
                        // drained
                    }
                } catch (java.io.IOException ignored) {
                    // the worker ended
                }
            });
        }
        return out;
    }

    private static void stop(List<Process> workers) throws Exception {
        for (Process p : workers) p.getOutputStream().close();
        for (Process p : workers) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    private static String rss(Process p) {
        try {
            String status = Files.readString(Path.of("/proc/" + p.pid() + "/status"));
            return value(status, "VmRSS") + " (peak " + value(status, "VmHWM") + ")";
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static String value(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).trim()).findFirst().orElse("?")
                .replace(" kB", "") .transform(kb -> kb.equals("?") ? kb : (Long.parseLong(kb) / 1024) + " MB");
    }

    private static String schema() {
        String schema = "bench_workers_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static long number(String sql) {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- latency

    static void latency(int pipelines, int minutes, int workers, long workMs, int concurrency) throws Exception {
        String schema = schema();
        Instant start = Instant.now();
        System.out.printf("latency: %d pipelines on \"* * * * *\", %d worker JVMs (-Xmx256m) on PostgreSQL schema %s, step work %d ms, "
                + "%d runs at once per worker%n", pipelines, workers, schema, workMs, concurrency);
        List<Process> procs = spawn(schema, workers, pipelines, "cron", workMs, concurrency);
        System.out.printf("workers started in %d ms%n", Duration.between(start, Instant.now()).toMillis());
        Instant firstDue = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant lastDue = firstDue.plus(Duration.ofMinutes(minutes - 1));
        int expected = pipelines * minutes;
        long deadline = System.nanoTime() + Duration.between(Instant.now(), lastDue.plusSeconds(50)).toNanos();
        while (System.nanoTime() < deadline) {
            long done = number("SELECT count(*) FROM " + schema + ".runs WHERE status = 'SUCCEEDED' AND due_at <= '" + lastDue + "'");
            if (done >= expected) break;
            Thread.sleep(1000);
        }
        for (int i = 0; i < procs.size(); i++) System.out.printf("worker w%d RSS %s%n", i + 1, rss(procs.get(i)));
        List<RunRecord> runs;
        try (JdbcMetadataStore store = JdbcMetadataStore.postgres(URL, null, null, schema)) {
            runs = store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), 10_000_000, 0));
        }
        System.out.println("runs per worker: " + perWorker(schema));
        stop(procs);
        ServeBenchmark.report(runs, new ConcurrentHashMap<>(), pipelines(pipelines, true).keySet(), firstDue, lastDue, expected);
        execute("DROP SCHEMA " + schema + " CASCADE");
    }

    private static Map<String, Long> perWorker(String schema) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT split_part(claimed_by, '/', 1), count(*) FROM " + schema + ".runs GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    // ---------------------------------------------------------------- throughput

    static void throughput(int runs, long workMs, int concurrency, List<Integer> workerCounts) throws Exception {
        System.out.printf("throughput: %d runs queued at once (one per manual pipeline), step work %d ms, %d runs at once per worker%n%n", runs, workMs,
                concurrency);
        System.out.println("| workers | drained in | runs/s | runs per worker | RSS per worker after (peak) |");
        System.out.println("|---:|---:|---:|---|---|");
        for (int workers : workerCounts) {
            String schema = schema();
            List<Process> procs = spawn(schema, workers, runs, "manual", workMs, concurrency);
            try (JdbcMetadataStore store = JdbcMetadataStore.postgres(URL, null, null, schema)) {
                WorkQueue queue = store.workQueue().orElseThrow();
                long t0 = System.nanoTime();
                Instant now = Instant.now();
                for (int i = 1; i <= runs; i++) queue.enqueue(String.format("p%03d", i), "api", now, Optional.empty());
                while (number("SELECT count(*) FROM " + schema + ".runs WHERE status = 'SUCCEEDED'") < runs) Thread.sleep(50);
                double seconds = (System.nanoTime() - t0) / 1e9;
                List<String> memory = new ArrayList<>();
                for (Process p : procs) memory.add(rss(p));
                System.out.printf("| %d | %.1f s | %.1f | %s | %s |%n", workers, seconds, runs / seconds, perWorker(schema), String.join("; ", memory));
            }
            stop(procs);
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
