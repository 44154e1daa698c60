package dev.tributary.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The multi-tenant app at scale (issue 19). {@code run}: a HubSpot sandbox with N portals of M contacts each (generated
 * when first used), W {@code tributary serve} worker processes on one PostgreSQL metadata store, a project whose app:
 * section points at the sandbox (a multi_tenant connection of contacts and companies into PostgreSQL, the pipeline on a
 * 15-minute cron), N installs through the install link and callback, then one run of the pipeline whose tenant syncs
 * the workers share: time to sync all, per-tenant sync time and latency (run start to the tenant's commit) p50/p99,
 * tenants per worker, records, API calls, each worker's peak RSS and CPU, and per account the most calls in any ten
 * seconds against the limit (and 429s). {@code simulate}: see {@link TenantSimulation}.
 */
public final class TenantBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "bench-" + Long.toHexString(System.nanoTime());
    private static final String CLIENT_ID = "bench-app";
    private static final String CLIENT_SECRET = "bench-secret-" + Long.toHexString(System.nanoTime());

    private TenantBenchmark() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "run";
        if (mode.equals("simulate")) {
            TenantSimulation.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int tenants = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int contacts = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int workers = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        String serveHeap = args.length > 5 ? args[5] : "-Xmx512m";
        String pg = System.getenv().getOrDefault("TRIBUTARY_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        run(tenants, contacts, concurrency, workers, serveHeap, pg);
    }

    private record Worker(String name, Process process, List<String> output) {}

    private static void run(int tenants, int contacts, int concurrency, int workerCount, String serveHeap, String pg) throws Exception {
        Path work = Files.createTempDirectory("tributary-tenants-bench");
        String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
        String meta = "tenants_bench_meta_" + suffix;
        String prefix = "tenants_bench_" + suffix + "_";
        System.out.printf(Locale.ROOT, "tenants benchmark: %,d tenants x %,d contacts, %d worker%s, max_concurrent_tenants %d each, serve %s, "
                        + "PostgreSQL store (schema %s) and warehouse (prefix %s), work dir %s%n", tenants, contacts, workerCount, workerCount == 1 ? "" : "s",
                concurrency, serveHeap, meta, prefix, work);
        long t0 = System.nanoTime();
        List<Worker> workers = new ArrayList<>();
        try (HubSpotSandbox hubspot = HubSpotSandbox.start(SandboxOptions.builder().portals(tenants).contacts(contacts).appClientId(CLIENT_ID)
                .appClientSecret(CLIENT_SECRET).searchLagSeconds(0).build())) {
            System.out.printf(Locale.ROOT, "sandbox up in %.1f s (%s)%n", (System.nanoTime() - t0) / 1e9, hubspot.baseUrl());
            List<Integer> ports = new ArrayList<>();
            for (int w = 0; w < workerCount; w++) {
                try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    ports.add(s.getLocalPort());
                }
            }
            String base = "http://127.0.0.1:" + ports.get(0);
            Files.writeString(work.resolve("tributary.yml"), """
                    name: tenants-bench
                    destination: {type: postgres, url: "%s", schema_prefix: %s}
                    server:
                      metadata: {url: "%s", schema: %s}
                    app:
                      client_id: %s
                      client_secret: ${HUBSPOT_APP_CLIENT_SECRET}
                      scopes: [oauth, crm.objects.contacts.read, crm.objects.companies.read]
                      redirect_url: %s/oauth/callback
                      authorize_url: %s/oauth/authorize
                      api_url: %s
                      max_concurrent_tenants: %d
                    connections:
                      crm:
                        type: hubspot
                        multi_tenant: true
                        config: {streams: [contacts, companies], safety_lag_seconds: 0}
                    pipelines:
                      crm:
                        schedule: "*/15 * * * *"
                        steps:
                          - sync: [crm]
                    """.formatted(pg, prefix, pg, meta, CLIENT_ID, base, hubspot.baseUrl(), hubspot.baseUrl(), concurrency));
            String root = System.getProperty("tributary.bench.root", ".");
            // the product's own jar: the benchmark's classpath mixes Jetty versions (Spark's and Javalin's) that serve cannot start with
            String classpath = Path.of(root, "cli", "target", "tributary.jar").toString();
            for (int w = 0; w < workerCount; w++) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), serveHeap,
                        "--enable-native-access=ALL-UNNAMED", "-cp", classpath, "dev.tributary.cli.Main", "-p", work.toString(), "serve", "--port",
                        Integer.toString(ports.get(w)), "--worker-id", "w" + (w + 1)));
                if (w > 0) command.add("--no-scheduler");
                ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
                pb.environment().put("TRIBUTARY_ADMIN_PASSWORD", PASSWORD);
                pb.environment().put("TRIBUTARY_API_TOKEN", PASSWORD);
                pb.environment().put("HUBSPOT_APP_CLIENT_SECRET", CLIENT_SECRET);
                pb.environment().put("TRIBUTARY_SECRET_KEY", "bench key");
                Process serve = pb.start();
                List<String> output = Collections.synchronizedList(new ArrayList<>());
                Path log = work.resolve("w" + (w + 1) + ".log"); // kept after the run: what a worker said when a run goes wrong
                Thread.ofPlatform().daemon().start(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
                         java.io.Writer file = Files.newBufferedWriter(log)) {
                        for (String line; (line = in.readLine()) != null; ) {
                            output.add(line);
                            file.write(line + "\n");
                            file.flush();
                        }
                    } catch (Exception ignored) {
                        // the process ended
                    }
                });
                workers.add(new Worker("w" + (w + 1), serve, output));
            }
            System.out.printf(Locale.ROOT, "worker output in %s%n", work.resolve("w*.log"));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            try {
                for (int w = 0; w < workerCount; w++) waitForServe(http, "http://127.0.0.1:" + ports.get(w), workers.get(w).process(), workers.get(w).output());
                long i0 = System.nanoTime();
                install(http, base, hubspot, tenants);
                double installSeconds = (System.nanoTime() - i0) / 1e9;
                System.out.printf(Locale.ROOT, "installed %,d tenants through the install link and callback in %.1f s (%.1f per second)%n",
                        tenants, installSeconds, tenants / installSeconds);

                hubspot.control().counters().reset();
                long s0 = System.nanoTime();
                long runId = api(http, base, "POST", "/pipelines/crm/trigger").get("id").asLong();
                JsonNode run;
                long lastReport = System.nanoTime();
                List<Double> loads = new ArrayList<>();
                while (true) {
                    if (loads.size() * 5e9 < System.nanoTime() - s0) loadAverage().ifPresent(loads::add);
                    run = api(http, base, "GET", "/runs/" + runId);
                    String status = run.get("status").asText();
                    if (!status.equals("queued") && !status.equals("running")) break;
                    if (System.nanoTime() - lastReport > 30e9) {
                        lastReport = System.nanoTime();
                        long done = 0;
                        for (JsonNode item : api(http, base, "GET", "/runs/" + runId + "/tenants")) {
                            if (!item.get("status").asText().equals("queued") && !item.get("status").asText().equals("running")) done++;
                        }
                        System.out.printf(Locale.ROOT, "  %.0f s: %,d of %,d tenants synced (load average %s)%n", (System.nanoTime() - s0) / 1e9, done,
                                tenants, loadAverage().map(l -> String.format(Locale.ROOT, "%.1f", l)).orElse("?"));
                    }
                    Thread.sleep(500); // polls the run: its end is what is measured
                }
                double syncSeconds = (System.nanoTime() - s0) / 1e9;
                report(run, api(http, base, "GET", "/runs/" + runId + "/tenants"), syncSeconds, hubspot, tenants, workers);
                if (!loads.isEmpty()) {
                    System.out.printf(Locale.ROOT, "load average (1 min) during the sync, every 5 s: min %.1f, mean %.1f, max %.1f (%d cores)%n",
                            Collections.min(loads), loads.stream().mapToDouble(Double::doubleValue).average().orElse(0), Collections.max(loads),
                            Runtime.getRuntime().availableProcessors());
                }
                checkWarehouse(pg, prefix, hubspot, tenants);
            } finally {
                for (Worker w : workers) w.process().destroy();
                for (Worker w : workers) w.process().waitFor();
                dropSchemas(pg, meta, prefix);
            }
        }
    }

    private static void report(JsonNode run, JsonNode items, double seconds, HubSpotSandbox hubspot, int tenants, List<Worker> workers) {
        List<Double> times = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        java.util.Map<String, Integer> perWorker = new java.util.TreeMap<>();
        long records = 0;
        long calls = 0;
        int failed = 0;
        int claimedTwice = 0;
        java.time.Instant runStart = java.time.Instant.parse(run.get("startedAt").asText());
        for (JsonNode item : items) {
            if (!item.get("status").asText().equals("done")) failed++;
            if (item.get("claims").asInt() > 1) claimedTwice++;
            records += item.get("records").asLong();
            calls += item.get("apiCalls").asLong();
            perWorker.merge(item.path("worker").asText("?").replaceAll("/.*", ""), 1, Integer::sum);
            if (item.hasNonNull("startedAt") && item.hasNonNull("finishedAt")) {
                java.time.Instant start = java.time.Instant.parse(item.get("startedAt").asText());
                java.time.Instant end = java.time.Instant.parse(item.get("finishedAt").asText());
                times.add(Duration.between(start, end).toMillis() / 1000.0);
                latencies.add(Duration.between(runStart, end).toMillis() / 1000.0);
            }
        }
        Collections.sort(times);
        Collections.sort(latencies);
        Map<String, Integer> peaks = hubspot.peakTenSecondUse();
        int maxPeak = peaks.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        System.out.printf(Locale.ROOT, "%nrun %s: %s in %.1f s (%s the 15-minute slot)%n", run.get("id").asText(), run.get("status").asText(), seconds,
                seconds <= 900 ? "within" : "OVER");
        System.out.printf(Locale.ROOT, "tenants synced: %,d of %,d (%d not done, %d claimed twice); per worker %s; %,d records; %,d API calls (%.1f per tenant)%n",
                items.size() - failed, tenants, failed, claimedTwice, perWorker, records, calls, items.isEmpty() ? 0.0 : (double) calls / items.size());
        System.out.printf(Locale.ROOT, "per-tenant sync time: p50 %.2f s, p99 %.2f s, max %.2f s; throughput %.2f tenants/s%n",
                pct(times, 0.50), pct(times, 0.99), times.isEmpty() ? 0.0 : times.get(times.size() - 1), times.size() / seconds);
        System.out.printf(Locale.ROOT, "per-tenant latency (run start to its commit): p50 %.1f s, p99 %.1f s, max %.1f s%n",
                pct(latencies, 0.50), pct(latencies, 0.99), latencies.isEmpty() ? 0.0 : latencies.get(latencies.size() - 1));
        System.out.printf(Locale.ROOT, "API use per account: most calls in any 10 s window %d (limit %d), 429s answered by HubSpot %d%n", maxPeak,
                hubspot.options().oauthAppTenSecondLimit(), hubspot.control().counters().rateLimited());
        for (Worker w : workers) {
            long pid = w.process().pid();
            System.out.printf(Locale.ROOT, "worker %s: peak RSS (VmHWM) %d MB, CPU %.1f s%n", w.name(), peakRssMb(pid), cpuSeconds(pid));
        }
    }

    /** The 1-minute load average (/proc/loadavg), when the system says. */
    private static java.util.Optional<Double> loadAverage() {
        try {
            return java.util.Optional.of(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Counts each tenant's rows in the warehouse against what its portal holds: every live contact and company once
     * (no row lost, none doubled, none in another tenant's schema), and how many rows are marked deleted (records HubSpot
     * archived, which a first sync also reads).
     */
    private static void checkWarehouse(String pg, String prefix, HubSpotSandbox hubspot, int tenants) {
        long[] expected = new long[2];
        long[] rows = new long[2];
        long[] distinct = new long[2];
        long[] deleted = new long[2];
        long[] wrongTenant = new long[2];
        int mismatched = 0;
        String[] tables = {"contacts", "companies"};
        ObjectType[] types = {ObjectType.CONTACTS, ObjectType.COMPANIES};
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg); java.sql.Statement s = c.createStatement()) {
            for (long hub : hubspot.hubIds().subList(0, tenants)) {
                boolean ok = true;
                for (int t = 0; t < 2; t++) {
                    ObjectTable table = hubspot.portal(hub).table(types[t]);
                    long live = 0;
                    for (int i = 0; i < table.size(); i++) if (table.isLive(i)) live++;
                    expected[t] += live;
                    String sql = "select count(*), count(distinct id), count(*) filter (where _tributary_deleted_at is null), count(*) filter (where "
                            + "_tributary_tenant is distinct from '" + hub + "') from \"" + prefix + "crm_" + hub + "\"." + tables[t];
                    try (java.sql.ResultSet rs = s.executeQuery(sql)) {
                        rs.next();
                        rows[t] += rs.getLong(1);
                        distinct[t] += rs.getLong(2);
                        long notDeleted = rs.getLong(3);
                        deleted[t] += rs.getLong(1) - notDeleted;
                        wrongTenant[t] += rs.getLong(4);
                        ok &= notDeleted == live && rs.getLong(1) == rs.getLong(2) && rs.getLong(4) == 0;
                    }
                }
                if (!ok) mismatched++;
            }
        } catch (java.sql.SQLException e) {
            System.out.println("WAREHOUSE CHECK FAILED: " + e.getMessage());
            return;
        }
        for (int t = 0; t < 2; t++) {
            System.out.printf(Locale.ROOT, "warehouse %s: %,d rows (%,d distinct ids, %,d marked deleted, %,d of another tenant); live in the portals %,d%n",
                    tables[t], rows[t], distinct[t], deleted[t], wrongTenant[t], expected[t]);
        }
        System.out.printf(Locale.ROOT, "warehouse check: %s%n", mismatched == 0 ? "every tenant has exactly its portal's live records, once"
                : "MISMATCH in " + mismatched + " tenants");
    }

    private static void dropSchemas(String pg, String meta, String prefix) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg); java.sql.Statement s = c.createStatement()) {
            List<String> schemas = new ArrayList<>();
            try (java.sql.ResultSet rs = s.executeQuery("select schema_name from information_schema.schemata where schema_name like '" + prefix
                    + "%' or schema_name = '" + meta + "'")) {
                while (rs.next()) schemas.add(rs.getString(1));
            }
            for (String schema : schemas) s.execute("drop schema \"" + schema + "\" cascade");
        } catch (java.sql.SQLException e) {
            System.out.println("schemas " + meta + ", " + prefix + "* not dropped: " + e.getMessage());
        }
    }

    private static long peakRssMb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) >> 10;
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    /** User plus system CPU seconds of a process so far (/proc/PID/stat, clock ticks of 1/100 s), or -1. */
    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (Exception e) {
            return -1;
        }
    }

    static double pct(List<Double> sorted, double p) {
        if (sorted.isEmpty()) return 0;
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static void waitForServe(HttpClient http, String base, Process serve, List<String> output) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (!serve.isAlive()) throw new IllegalStateException("serve exited:\n" + String.join("\n", output));
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/api/openapi.json")).GET().build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) return;
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("serve did not start:\n" + String.join("\n", output));
    }

    /** Each install as a browser makes it: install link, HubSpot's consent (choose), the callback. Eight at a time. */
    private static void install(HttpClient http, String base, HubSpotSandbox hubspot, int tenants) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (long hub : hubspot.hubIds().subList(0, tenants)) {
                futures.add(pool.submit(() -> {
                    HttpResponse<String> start = http.send(HttpRequest.newBuilder(URI.create(base + "/install")).GET().build(), HttpResponse.BodyHandlers.ofString());
                    URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
                    HttpResponse<String> granted = http.send(HttpRequest.newBuilder(URI.create(hubspot.baseUrl() + "/oauth/authorize/choose?hub_id=" + hub
                            + "&" + authorize.getRawQuery())).GET().build(), HttpResponse.BodyHandlers.ofString());
                    String callback = granted.headers().firstValue("Location").orElseThrow();
                    HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(callback)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (done.statusCode() != 200) throw new IllegalStateException("install of " + hub + " answered " + done.statusCode() + ": " + done.body());
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        }
    }

    private static JsonNode api(HttpClient http, String base, String method, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1" + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + PASSWORD).method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
