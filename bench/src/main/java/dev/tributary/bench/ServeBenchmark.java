package dev.tributary.bench;

import dev.tributary.scheduler.JdbcMetadataStore;
import dev.tributary.scheduler.PipelineDef;
import dev.tributary.scheduler.RetrySettings;
import dev.tributary.scheduler.RunEventListener;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.Scheduler;
import dev.tributary.scheduler.SchedulerOptions;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepExecutor;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.StepOutcome;
import dev.tributary.scheduler.SystemSchedulerClock;
import dev.tributary.scheduler.Trigger;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 7's figures for {@code tributary serve}.
 * <ul>
 *   <li>{@code schedule [pipelines] [duration] [work-ms] [max-concurrent-runs]}: in-process {@link Scheduler} with N
 *       pipelines on {@code * * * * *} (UTC), one step each, the embedded H2 store in a temp folder and the system
 *       clock; after the duration, every run is read back from the store and latency = startedAt - dueAt.</li>
 *   <li>{@code idle [project] [idle-seconds] [jvm-variant...]}: a copy of the project (default examples/leads, synced
 *       and built with the CLI first), then {@code dev.tributary.cli.Main -p <copy> serve --port 0} as a subprocess per
 *       JVM variant ({@code default} or flags joined by commas, e.g. {@code -Xmx256m}; a {@code +unlock} suffix deletes
 *       the H2 lock file an unclean stop left behind before starting): time to the first page, each
 *       page once after logging in, RSS after sitting idle, and how it stops on SIGTERM.</li>
 * </ul>
 */
public final class ServeBenchmark {
    static final String ADMIN_PASSWORD = "bench-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    static final Pattern SERVING = Pattern.compile("at http://([0-9.]+):(\\d+)");

    private ServeBenchmark() {}

    public static void main(String[] args) throws Exception {
        String phase = args.length > 0 ? args[0] : "schedule";
        System.out.printf("machine: %d cores, Java %s, max heap of this JVM %d MB, %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        switch (phase) {
            case "schedule" -> schedule(args.length > 1 ? Integer.parseInt(args[1]) : 100, args.length > 2 ? duration(args[2]) : Duration.ofMinutes(10),
                    args.length > 3 ? Long.parseLong(args[3]) : 0, args.length > 4 ? Integer.parseInt(args[4]) : 100);
            case "idle" -> idle(Path.of(args.length > 1 ? args[1] : root().resolve("examples/leads").toString()),
                    args.length > 2 ? Integer.parseInt(args[2]) : 30,
                    args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of("default", "default", "default+unlock", "-Xmx256m+unlock"));
            case "ui" -> RunUiBenchmark.run(args.length > 1 ? Integer.parseInt(args[1]) : 100, args.length > 2 ? Integer.parseInt(args[2]) : 10_000,
                    args.length > 3 ? Integer.parseInt(args[3]) : 100, args.length > 4 ? Integer.parseInt(args[4]) : 10_000,
                    args.length > 5 ? Integer.parseInt(args[5]) : 30);
            default -> {
                System.err.println("usage: ServeBenchmark schedule [pipelines] [duration e.g. 10m] [work-ms] [max-concurrent-runs]");
                System.err.println("       ServeBenchmark idle [project-dir] [idle-seconds] [jvm-variant ...]   (variant: default, or flags joined by commas)");
                System.exit(2);
            }
        }
    }

    static Duration duration(String s) {
        long n = Long.parseLong(s.replaceAll("[a-z]+$", ""));
        return s.endsWith("m") ? Duration.ofMinutes(n) : s.endsWith("h") ? Duration.ofHours(n) : Duration.ofSeconds(n);
    }

    static Path root() {
        return Path.of(System.getProperty("tributary.bench.root", ".")).toAbsolutePath().normalize();
    }

    // ---------------------------------------------------------------- schedule

    static void schedule(int pipelines, Duration duration, long workMs, int maxConcurrent) throws Exception {
        long minutes = duration.toMinutes();
        if (minutes < 1) throw new IllegalArgumentException("the duration must be at least 1m, got " + duration);
        Path dir = Files.createTempDirectory("tributary-serve-bench-");
        StepDef step = new StepDef("work", StepKind.RUN, List.of(), false, Map.of(), List.of(), Optional.empty());
        Map<String, PipelineDef> defs = new LinkedHashMap<>();
        for (int i = 1; i <= pipelines; i++) {
            String name = String.format("p%03d", i);
            defs.put(name, new PipelineDef(name, "bench", List.of(step), new Trigger.Cron("* * * * *", ZoneOffset.UTC), false,
                    RetrySettings.NONE, Optional.empty()));
        }
        Map<Long, Instant> stepStarted = new ConcurrentHashMap<>();
        StepExecutor executor = context -> {
            stepStarted.put(context.runId(), Instant.now());
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(workMs);
            while (System.nanoTime() < end && !context.cancelled()) {
                // Simulated I/O-bound step work (a sync waiting on an API): waits in 50 ms slices to notice a cancel.
                Thread.sleep(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            }
            return StepOutcome.success(1, "bench");
        };

        Instant start = Instant.now();
        Instant firstDue = start.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant lastDue = firstDue.plus(Duration.ofMinutes(minutes - 1));
        int expected = Math.toIntExact(pipelines * minutes);
        CountDownLatch finished = new CountDownLatch(expected);
        Set<Long> counted = ConcurrentHashMap.newKeySet();
        RunEventListener listener = new RunEventListener() {
            @Override
            public void runFinished(RunRecord run, RunStatus previous) {
                if (run.trigger().equals("schedule") && !run.dueAt().isAfter(lastDue) && counted.add(run.id())) finished.countDown();
            }
        };
        System.out.printf("schedule: %d pipelines on \"* * * * *\" (UTC), one step each, step work %d ms, maxConcurrentRuns %d, "
                        + "H2 store in %s; due times %s .. %s (%d minutes, %d runs expected)%n",
                pipelines, workMs, maxConcurrent, dir, firstDue, lastDue, minutes, expected);
        List<RunRecord> runs;
        try (JdbcMetadataStore store = JdbcMetadataStore.h2(dir.resolve("metadata"))) {
            SchedulerOptions options = SchedulerOptions.DEFAULT.withMaxConcurrentRuns(maxConcurrent);
            Scheduler scheduler = new Scheduler(defs, store, executor, new SystemSchedulerClock(), options);
            scheduler.addListener(listener);
            scheduler.start();
            System.out.printf("scheduler started in %d ms%n", Duration.between(start, Instant.now()).toMillis());
            // Ends when every run due by lastDue has finished, or 50 s after lastDue (before the next due time).
            Instant giveUp = lastDue.plusSeconds(50);
            while (true) {
                long left = Duration.between(Instant.now(), giveUp).toMillis();
                if (left <= 0 || finished.await(Math.min(left, 60_000), TimeUnit.MILLISECONDS)) break;
                System.out.printf("  %s: %d of %d runs finished%n", Instant.now().truncatedTo(ChronoUnit.SECONDS), expected - finished.getCount(), expected);
            }
            Instant closing = Instant.now();
            scheduler.close();
            System.out.printf("finished waiting at %s; scheduler closed in %d ms%n", closing.truncatedTo(ChronoUnit.MILLIS),
                    Duration.between(closing, Instant.now()).toMillis());
            runs = store.runs(new RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), 10_000_000, 0));
        }
        report(runs, stepStarted, defs.keySet(), firstDue, lastDue, expected);
        deleteTree(dir);
    }

    static void report(List<RunRecord> runs, Map<Long, Instant> stepStarted, Set<String> pipelines, Instant firstDue, Instant lastDue,
                               int expected) {
        Map<RunStatus, Integer> byStatus = new EnumMap<>(RunStatus.class);
        Map<String, Integer> byTrigger = new TreeMap<>();
        List<Double> latency = new ArrayList<>();
        List<Double> stepLatency = new ArrayList<>();
        List<Double> duration = new ArrayList<>();
        Map<Instant, List<Double>> perMinute = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        int outside = 0;
        int duplicates = 0;
        for (RunRecord r : runs) {
            byTrigger.merge(r.trigger(), 1, Integer::sum);
            if (!r.trigger().equals("schedule")) continue;
            if (r.dueAt().isBefore(firstDue) || r.dueAt().isAfter(lastDue)) {
                outside++;
                continue;
            }
            byStatus.merge(r.status(), 1, Integer::sum);
            if (!seen.add(r.pipeline() + "@" + r.dueAt())) duplicates++;
            if (r.startedAt().isEmpty()) continue;
            double ms = micros(r.dueAt(), r.startedAt().get()) / 1000.0;
            latency.add(ms);
            perMinute.computeIfAbsent(r.dueAt(), k -> new ArrayList<>()).add(ms);
            Instant s = stepStarted.get(r.id());
            if (s != null) stepLatency.add(micros(r.dueAt(), s) / 1000.0);
            r.duration().ifPresent(d -> duration.add(d.toNanos() / 1e6));
        }
        int missed = 0;
        List<String> missedExamples = new ArrayList<>();
        for (Instant due = firstDue; !due.isAfter(lastDue); due = due.plus(Duration.ofMinutes(1))) {
            for (String p : pipelines) {
                if (!seen.contains(p + "@" + due)) {
                    missed++;
                    if (missedExamples.size() < 5) missedExamples.add(p + "@" + due);
                }
            }
        }
        System.out.println();
        System.out.printf("runs in the store: %d %s; scheduled runs due in the window: %d of %d expected, by status %s%n", runs.size(), byTrigger,
                seen.size(), expected, byStatus);
        System.out.printf("missed due times: %d%s; duplicate runs for one due time: %d; scheduled runs due outside the window: %d%n", missed,
                missedExamples.isEmpty() ? "" : " (e.g. " + missedExamples + ")", duplicates, outside);
        System.out.println();
        System.out.println("| latency, ms                           | count |    min |    p50 |    p90 |    p99 |    max |");
        System.out.println("|---------------------------------------|------:|-------:|-------:|-------:|-------:|-------:|");
        row("run start (startedAt - dueAt)", latency);
        row("step start in the executor - dueAt", stepLatency);
        row("run duration (endedAt - startedAt)", duration);
        System.out.println();
        System.out.println("| due (UTC)            | runs |    min |    p50 |    p99 |    max |");
        System.out.println("|----------------------|-----:|-------:|-------:|-------:|-------:|");
        for (Map.Entry<Instant, List<Double>> e : perMinute.entrySet()) {
            List<Double> v = new ArrayList<>(e.getValue());
            Collections.sort(v);
            System.out.printf("| %-20s | %4d | %6.1f | %6.1f | %6.1f | %6.1f |%n", e.getKey(), v.size(), v.get(0), pct(v, 50), pct(v, 99), v.get(v.size() - 1));
        }
    }

    private static long micros(Instant from, Instant to) {
        return ChronoUnit.MICROS.between(from, to);
    }

    private static void row(String label, List<Double> values) {
        if (values.isEmpty()) {
            System.out.printf("| %-37s | %5d |      - |      - |      - |      - |      - |%n", label, 0);
            return;
        }
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        System.out.printf("| %-37s | %5d | %6.1f | %6.1f | %6.1f | %6.1f | %6.1f |%n", label, v.size(), v.get(0), pct(v, 50), pct(v, 90), pct(v, 99),
                v.get(v.size() - 1));
    }

    /** Nearest-rank percentile of a sorted list. */
    static double pct(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    // ---------------------------------------------------------------- idle

    static void idle(Path example, int idleSeconds, List<String> variants) throws Exception {
        Path root = root();
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = root.resolve("bench/target/classes") + ":" + root.resolve("bench/target/lib") + "/*";
        Path work = Files.createTempDirectory("tributary-serve-idle-");
        Path project = work.resolve(example.getFileName().toString());
        copyProject(example.toAbsolutePath().normalize(), project);
        System.out.printf("project: copy of %s in %s%n", example, project);
        if (Files.exists(example.resolve("GenerateLeads.java")) && !Files.isDirectory(project.resolve("data"))) {
            runTool("generate the lead files", List.of(java, example.resolve("GenerateLeads.java").toAbsolutePath().toString(),
                    project.resolve("data").toString()), project);
        }
        List<String> cli = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, "dev.tributary.cli.Main", "-p", project.toString());
        runTool("tributary sync", concat(cli, List.of("sync")), project);
        runTool("tributary build", concat(cli, List.of("build")), project);
        runTool("baseline: tributary version (JVM start + CLI, nothing loaded)", concat(cli, List.of("version")), project);

        List<String> summary = new ArrayList<>();
        for (String variant : variants) {
            // "+unlock": delete the H2 lock file an earlier unclean stop left, to time a start as after a clean stop
            boolean unlock = variant.endsWith("+unlock");
            String v = unlock ? variant.substring(0, variant.length() - "+unlock".length()) : variant;
            List<String> flags = v.equals("default") ? List.of() : List.of(v.split(","));
            Path lock = project.resolve(".tributary/metadata/metadata.lock.db");
            String before = !Files.exists(project.resolve(".tributary/metadata")) ? "new store"
                    : Files.exists(lock) ? (unlock ? "stale lock file deleted" : "stale H2 lock file") : "store, no lock file";
            if (unlock) Files.deleteIfExists(lock);
            summary.add(serveOnce(java, classpath, project, flags, idleSeconds, before));
        }
        System.out.println();
        System.out.println("| JVM flags | metadata before start | max heap | start -> port line | start -> first GET /login 200 | login | pages (first load) | RSS after pages | RSS after "
                + idleSeconds + " s idle | peak RSS (VmHWM) | SIGTERM |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        summary.forEach(System.out::println);
        deleteTree(work);
    }

    private static String serveOnce(String java, String classpath, Path project, List<String> flags, int idleSeconds, String before) throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(flags);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", classpath, "dev.tributary.cli.Main", "-p", project.toString(),
                "serve", "--port", "0"));
        long maxHeapMb = maxHeapMb(java, flags);
        String label = flags.isEmpty() ? "(none)" : String.join(" ", flags);
        System.out.printf("%n== serve with JVM flags %s (max heap %d MB), metadata: %s%n", label, maxHeapMb, before);
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        pb.environment().put("TRIBUTARY_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().remove("TRIBUTARY_ADMIN_USER");
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        long[] portLineAt = new long[1];

        long t0 = System.nanoTime();
        Process process = pb.start();
        Thread reader = Thread.ofPlatform().daemon().name("serve-output").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                    System.out.println("  serve| " + line);
                    Matcher m = SERVING.matcher(line);
                    if (!port.isDone() && m.find()) {
                        portLineAt[0] = System.nanoTime();
                        port.complete(Integer.parseInt(m.group(2)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            port.completeExceptionally(new IllegalStateException("serve ended without printing its address"));
        });
        int p = port.get(120, TimeUnit.SECONDS);
        double portMs = (portLineAt[0] - t0) / 1e6;
        String base = "http://127.0.0.1:" + p;
        HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
        double firstPageMs;
        while (true) {
            try {
                HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(base + "/login")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    firstPageMs = (System.nanoTime() - t0) / 1e6;
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) throw new IllegalStateException("serve exited with " + process.exitValue());
            Thread.sleep(20); // the poll interval: ask again 20 ms later until the login page answers
        }
        System.out.printf("start -> \"serving at\" line: %.0f ms; start -> first GET /login 200: %.0f ms (%.0f ms after the line); RSS now %s%n",
                portMs, firstPageMs, firstPageMs - portMs, rss(process.pid()));

        HttpClient browser = browser();
        long t = System.nanoTime();
        HttpResponse<String> login = login(browser, base);
        double loginMs = (System.nanoTime() - t) / 1e6;
        System.out.printf("login: GET /login + POST /login -> %d %s in %.0f ms%n", login.statusCode(), login.headers().firstValue("Location").orElse(""),
                loginMs);
        if (login.statusCode() != 303) throw new IllegalStateException("login failed: " + login.statusCode() + " " + login.body());

        List<String> pages = List.of("/", "/runs", "/connections", "/models", "/quality", "/dashboards/leads");
        StringBuilder pageTimes = new StringBuilder();
        System.out.println("| page | status | bytes | first load ms | second load ms |");
        System.out.println("|---|---|---|---|---|");
        for (String page : pages) {
            long a = System.nanoTime();
            HttpResponse<String> r1 = get(browser, base + page);
            double first = (System.nanoTime() - a) / 1e6;
            long b = System.nanoTime();
            HttpResponse<String> r2 = get(browser, base + page);
            double second = (System.nanoTime() - b) / 1e6;
            System.out.printf("| %s | %d | %d | %.0f | %.0f |%n", page, r1.statusCode(), r1.body().length(), first, second);
            if (r1.statusCode() != 200 || r2.statusCode() != 200) System.out.println("  !! " + page + " answered " + r1.statusCode() + "/" + r2.statusCode());
            pageTimes.append(pageTimes.isEmpty() ? "" : ", ").append(page).append(' ').append(String.format("%.0f", first));
        }
        String rssAfterPages = rss(process.pid());
        System.out.printf("RSS after the pages: %s; now idle for %d s%n", rssAfterPages, idleSeconds);
        // The figure is resident memory once the server has sat idle; returns early only if the process dies.
        if (process.waitFor(idleSeconds, TimeUnit.SECONDS)) throw new IllegalStateException("serve exited while idle: " + process.exitValue());
        Map<String, Long> status = procStatus(process.pid());
        System.out.printf("after %d s idle: VmRSS %d MB, VmHWM %d MB, threads %d%n", idleSeconds, status.get("VmRSS") >> 10, status.get("VmHWM") >> 10,
                status.getOrDefault("Threads", -1L));

        long s = System.nanoTime();
        process.destroy(); // SIGTERM
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        double stopMs = (System.nanoTime() - s) / 1e6;
        reader.join(5_000);
        boolean said = output.stream().anyMatch(l -> l.startsWith("Stopping"));
        boolean lockLeft = Files.exists(project.resolve(".tributary/metadata/metadata.lock.db"));
        String term = exited ? String.format("exit %d in %.0f ms, \"Stopping\" line %s, H2 lock file %s", process.exitValue(), stopMs,
                said ? "printed" : "missing", lockLeft ? "left behind" : "removed") : "did not exit within 60 s";
        System.out.println("SIGTERM: " + term);
        if (!exited) process.destroyForcibly().waitFor();
        return String.format("| %s | %s | %d MB | %.0f ms | %.0f ms | %.0f ms | %s ms | %s | %d MB | %d MB | %s |", label, before, maxHeapMb, portMs, firstPageMs, loginMs,
                pageTimes, rssAfterPages, status.get("VmRSS") >> 10, status.get("VmHWM") >> 10, term);
    }

    /** An HTTP client with a cookie jar that does not follow redirects, as a browser session. */
    static HttpClient browser() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
    }

    /** GET /login for its CSRF token, then POST the admin's password; answers the POST's response (303 when it worked). */
    static HttpResponse<String> login(HttpClient browser, String base) throws IOException, InterruptedException {
        HttpResponse<String> loginPage = get(browser, base + "/login");
        Matcher csrf = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"").matcher(loginPage.body());
        StringBuilder form = new StringBuilder("username=admin&password=" + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8) + "&next=%2F");
        if (csrf.find()) form.append("&_csrf=").append(URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8));
        return browser.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Long> procStatus(long pid) throws IOException {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            String[] kv = line.split(":\\s+", 2);
            if (kv.length == 2 && kv[1].matches("\\d+( kB)?")) values.put(kv[0], Long.parseLong(kv[1].replace(" kB", "")));
        }
        return values;
    }

    private static String rss(long pid) throws IOException {
        return (procStatus(pid).get("VmRSS") >> 10) + " MB";
    }

    /** The max heap the JVM picks with these flags (-XX:+PrintFlagsFinal). */
    private static long maxHeapMb(String java, List<String> flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(flags);
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("size_t MaxHeapSize\\s+=\\s+(\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) >> 20 : -1;
    }

    private static void runTool(String what, List<String> command, Path dir) throws Exception {
        long t = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        System.out.printf("%s: exit %d in %.1f s%n", what, rc, (System.nanoTime() - t) / 1e9);
        if (rc != 0) {
            System.out.println(out);
            throw new IllegalStateException(what + " failed");
        }
    }

    private static void copyProject(Path from, Path to) throws IOException {
        Set<String> skip = Set.of("data", "exports", "target", ".tributary", "logs");
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && dir.getParent().equals(from) && skip.contains(dir.getFileName().toString())) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                if (name.startsWith("warehouse.") || name.endsWith(".log")) return FileVisitResult.CONTINUE;
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
