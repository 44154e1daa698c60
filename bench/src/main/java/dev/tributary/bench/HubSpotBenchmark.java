package dev.tributary.bench;

import dev.tributary.engine.RunListener;
import dev.tributary.engine.StreamResult;
import dev.tributary.engine.SyncResult;
import dev.tributary.project.Connectors;
import dev.tributary.project.Project;
import dev.tributary.project.Workspace;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.sandbox.hubspot.http.RequestCounters;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HubSpot source's figures (issue 4, "Figures to reach and report"), measured against an embedded HubSpot
 * sandbox with projects run the way a user runs them: a generated {@code tributary.yml} (a {@code hubspot}
 * connection with the sandbox's {@code base_url} and token, a DuckDB destination in a work folder) through
 * {@code Workspace.sync}. Request counts are the sandbox's own counters (what HubSpot would bill).
 * <ol>
 *   <li>{@code full}: a first sync of N contacts with every property (rate limits off): records/s, requests per 100
 *       records, 414 answers, peak heap; the warehouse checked against the sandbox's live ids.</li>
 *   <li>{@code incremental}: after {@code mutate(k)} for k in 1, 450, 5000: records read and requests used against
 *       the bound {@code ceil(k/200)} + a constant.</li>
 *   <li>{@code budget}: a sandbox with HubSpot's real limits (100 per 10 s private app, search 5/s) and streams
 *       whose calls are mostly non-search (property history: one search then four batch reads per 200 records):
 *       requests admitted per ten-second window against the limit, and the share of 429 answers.</li>
 *   <li>{@code faults}: the same streams synced clean (private app) and under 5% 5xx, two 429 storms, an OAuth
 *       access-token expiry and dropped connections (OAuth app): both warehouses compared row by row, and with the
 *       sandbox's live ids. PASS/FAIL.</li>
 *   <li>{@code kill}: a sync in a child JVM killed with SIGKILL at a random moment, then run again to the end:
 *       compared with the clean warehouse of {@code faults}. PASS/FAIL.</li>
 * </ol>
 * Usage: {@code HubSpotBenchmark [contacts] [work-dir] [phases] [budget-contacts] [fault-contacts]}; defaults
 * 100,000, a temporary folder, {@code full,incremental,budget,faults,kill}, 40,000 and 20,000.
 */
public final class HubSpotBenchmark {
    private static final List<String> FAULT_STREAMS = List.of("contacts", "companies", "deals", "deal_contact", "deal_stage_history",
            "owners", "deal_pipeline_stages");

    private HubSpotBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child-sync")) {
            childSync(Path.of(args[1]), args[2]);
            return;
        }
        int contacts = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        Path work = args.length > 1 && !args[1].isBlank() ? Path.of(args[1]) : Files.createTempDirectory("tributary-hubspot-bench");
        Set<String> phases = new LinkedHashSet<>(List.of((args.length > 2 ? args[2] : "full,unpaced,incremental,budget,faults,kill").split(",")));
        int budgetContacts = args.length > 3 ? Integer.parseInt(args[3].replace("_", "")) : 40_000;
        int faultContacts = args.length > 4 ? Integer.parseInt(args[4].replace("_", "")) : 20_000;
        Files.createDirectories(work);
        System.out.printf("work dir %s; Java %s, max heap %,d MB, %d cores; phases %s%n", work, Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), phases);
        List<String> summary = new ArrayList<>();
        if (phases.contains("full") || phases.contains("unpaced") || phases.contains("incremental")) fullAndIncremental(work, contacts, phases, summary);
        if (phases.contains("budget")) budget(work, budgetContacts, summary);
        if (phases.contains("faults") || phases.contains("kill")) faults(work, faultContacts, phases, summary);
        System.out.println();
        System.out.println("==== summary ====");
        summary.forEach(System.out::println);
        System.out.printf("peak RSS of this process: %,d MB%n", HeapProbe.peakRssMb());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // full sync and incremental syncs

    private static void fullAndIncremental(Path work, int contacts, Set<String> phases, List<String> summary) throws Exception {
        Path dir = fresh(work.resolve("full"));
        long t0 = System.nanoTime();
        try (HubSpotSandbox hubspot = HubSpotSandbox.start(SandboxOptions.builder().contacts(contacts).rateLimitsEnabled(false).build())) {
            long hub = hubspot.hubIds().get(0);
            System.gc();
            long sandboxHeap = usedHeapMb();
            ObjectTable table = hubspot.portal(hub).table(ObjectType.CONTACTS);
            System.out.printf("%nsandbox: %,d contacts generated (%,d live, %,d archived, %,d merged) in %.1fs; heap after GC %,d MB%n",
                    table.size(), liveIds(table).size(), table.archivedCount(), table.mergedCount(), (System.nanoTime() - t0) / 1e9, sandboxHeap);
            if (!phases.contains("full") && !phases.contains("incremental")) {
                unpaced(work, hubspot, hub, table, summary);
                return;
            }
            writeProject(dir, hubspot, "access_token: " + hubspot.privateAppToken(hub), List.of("contacts"), "");
            RequestCounters counters = hubspot.control().counters();
            counters.reset();
            HeapProbe heap = new HeapProbe();
            long start = System.nanoTime();
            SyncResult result = sync(dir, false);
            double seconds = (System.nanoTime() - start) / 1e9;
            long heapPeak = heap.peakMb();
            heap.stop();
            requireOk(result);
            Map<String, Long> routes = counters.byRouteAndStatus();
            long requests = counters.requests();
            long discovery = sum(routes, k -> k.contains("/properties") || k.contains("/schemas"));
            long reads = requests - discovery;
            long rows = result.records();
            Path db = dir.resolve("warehouse.duckdb");
            int columns = columnCount(db, "contacts");
            Check check = checkAgainstSandbox(db, "contacts", table);
            System.out.printf("full sync (contacts, all properties): %,d records in %.2fs = %,.0f records/s; %d data columns in DuckDB%n",
                    rows, seconds, rows / seconds, columns);
            System.out.printf("  requests: %,d (%,d reading + %,d discovery) = %.2f per 100 records (%.2f reading only); 414: %d; 429: %d; 5xx: %d%n",
                    requests, reads, discovery, 100.0 * requests / rows, 100.0 * reads / rows, counters.withStatus(414),
                    counters.rateLimited(), fiveHundreds(counters));
            System.out.printf("  routes: %s%n", routes);
            System.out.printf("  peak heap %,d MB (of which the sandbox's data ~%,d MB); warehouse vs sandbox: %s%n", heapPeak, sandboxHeap, check);
            summary.add(String.format(Locale.ROOT, "full sync %,d contacts: %,.0f records/s, %.2f requests/100 records (aim <= 2), 414s %d, peak heap %,d MB (aim < 512), %s",
                    contacts, rows / seconds, 100.0 * requests / rows, counters.withStatus(414), heapPeak, check.pass() ? "PASS" : "FAIL " + check));

            if (!phases.contains("incremental")) {
                if (phases.contains("unpaced")) unpaced(work, hubspot, hub, table, summary);
                return;
            }
            System.out.println();
            for (int k : new int[] {1, 450, 5000}) {
                List<String> changed = hubspot.control().mutate(hub, ObjectType.CONTACTS, k);
                Thread.sleep(4_000); // past the connection's 3 s safety lag (and the sandbox's 2 s search index lag)
                counters.reset();
                start = System.nanoTime();
                result = sync(dir, false);
                seconds = (System.nanoTime() - start) / 1e9;
                requireOk(result);
                routes = counters.byRouteAndStatus();
                long searches = sum(routes, key -> key.contains("/search"));
                long archived = sum(routes, key -> key.startsWith("GET /crm/v3/objects/"));
                long other = counters.requests() - searches - archived;
                long bound = (k + 199) / 200;
                Set<String> read = changedIds(db, result);
                boolean exact = read.equals(new HashSet<>(changed)); // besides these, a changed survivor of a merge brings its merged-away ids
                System.out.printf("incremental after mutate(%d): %,d records in %.2fs; requests %d = %d search (ceil(k/200) = %d) + %d archived-listing pages"
                        + " + %d other; exactly the changed ids read: %s%n", k, result.records(), seconds, counters.requests(), searches, bound, archived,
                        other, exact);
                summary.add(String.format(Locale.ROOT, "incremental k=%d: %d requests = %d search (ceil(k/200)=%d) + %d archived listing + %d other; records %d, exact %s",
                        k, counters.requests(), searches, bound, archived, other, result.records(), exact));
            }
            // last: it moves the sandbox's clock ahead of the system clock the default source reads
            if (phases.contains("unpaced")) unpaced(work, hubspot, hub, table, summary);
        }
    }

    /**
     * The same full sync with the client's own pacing lifted: the source's waits (its rate limiter keeps search at
     * 4 per second, HubSpot's limit being 5, whatever the sandbox enforces) move the sandbox's clock instead of
     * sleeping, so this measures what source, engine and DuckDB can carry when limits are off.
     */
    private static void unpaced(Path work, HubSpotSandbox hubspot, long hub, ObjectTable table, List<String> summary) throws Exception {
        Path dir = fresh(work.resolve("full-unpaced"));
        writeProject(dir, hubspot, "access_token: " + hubspot.privateAppToken(hub), List.of("contacts"), "");
        java.time.Clock clock = new java.time.Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public java.time.Instant instant() { return hubspot.clock().now(); }
        };
        Connectors found = Connectors.discover();
        List<dev.tributary.spi.Source> sources = new ArrayList<>();
        for (var e : found.sources().entrySet()) {
            sources.add(e.getKey().equals("hubspot") ? new dev.tributary.source.hubspot.HubspotSource(clock, d -> hubspot.control().advanceClock(d)) : e.getValue());
        }
        Connectors connectors = new Connectors(sources, new ArrayList<>(found.destinations().values()));
        RequestCounters counters = hubspot.control().counters();
        counters.reset();
        long before = hubspot.clock().millis() - System.currentTimeMillis();
        HeapProbe heap = new HeapProbe();
        long start = System.nanoTime();
        SyncResult result = sync(dir, false, RunListener.NONE, connectors);
        double seconds = (System.nanoTime() - start) / 1e9;
        long heapPeak = heap.peakMb();
        heap.stop();
        requireOk(result);
        double waited = (hubspot.clock().millis() - System.currentTimeMillis() - before) / 1000.0;
        Check check = checkAgainstSandbox(dir.resolve("warehouse.duckdb"), "contacts", table);
        System.out.printf("full sync, client pacing lifted: %,d records in %.2fs = %,.0f records/s (the limiter's waits, %.1fs, moved the sandbox clock);"
                + " %,d requests; peak heap %,d MB; %s%n", result.records(), seconds, result.records() / seconds, waited, counters.requests(), heapPeak, check);
        summary.add(String.format(Locale.ROOT, "full sync, pacing lifted: %,.0f records/s, peak heap %,d MB, %s", result.records() / seconds, heapPeak,
                check.pass() ? "PASS" : "FAIL"));
    }

    /** Ids of the records the last run committed (the warehouse's run id column). */
    private static Set<String> changedIds(Path db, SyncResult result) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = duck(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from hubspot.contacts where merged_into_id is null and _tributary_run_id = '" + result.run() + "'")) {
            while (rs.next()) ids.add(rs.getString(1));
        }
        return ids;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the ten-second budget with real limits

    private static void budget(Path work, int contacts, List<String> summary) throws Exception {
        Path dir = fresh(work.resolve("budget"));
        try (HubSpotSandbox hubspot = HubSpotSandbox.start(SandboxOptions.builder().contacts(contacts).rateLimitsEnabled(true).build())) {
            long hub = hubspot.hubIds().get(0);
            SandboxOptions o = hubspot.options();
            System.out.printf("%nbudget: %,d contacts, limits %d per 10 s (private app), search %d/s; streams contact_property_history, deal_property_history%n",
                    contacts, o.privateAppTenSecondLimit(), o.searchPerSecondLimit());
            writeProject(dir, hubspot, "access_token: " + hubspot.privateAppToken(hub), List.of("contact_property_history", "deal_property_history"), "");
            RequestCounters counters = hubspot.control().counters();
            counters.reset();
            hubspot.control().resetRateLimits();
            List<long[]> samples = new ArrayList<>(); // {nanos, non-search admitted, non-search 429, search admitted, search 429}
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    samples.add(sample(counters));
                    try {
                        Thread.sleep(200); // the sampling interval of the budget figures: five samples a second
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            SyncResult result = sync(dir, false);
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();
            sampler.join();
            samples.add(sample(counters));
            requireOk(result);
            long[] last = samples.get(samples.size() - 1);
            long answers = counters.requests();
            long limited = counters.rateLimited();
            int limit = o.privateAppTenSecondLimit();
            // admitted non-search calls in consecutive ten-second windows from the start (the last partial window left out)
            List<Long> windows = new ArrayList<>();
            long windowNanos = 10_000_000_000L;
            long prev = 0;
            int si = 0;
            for (long w = start + windowNanos; w <= samples.get(samples.size() - 1)[0]; w += windowNanos) {
                while (si < samples.size() - 1 && samples.get(si + 1)[0] <= w) si++;
                windows.add(samples.get(si)[1] - prev);
                prev = samples.get(si)[1];
            }
            // the largest number admitted in any rolling ten seconds (samples every 200 ms)
            long rollingMax = 0;
            for (int i = 0, j = 0; i < samples.size(); i++) {
                while (samples.get(i)[0] - samples.get(j)[0] > windowNanos) j++;
                rollingMax = Math.max(rollingMax, samples.get(i)[1] - samples.get(j)[1]);
            }
            double overall = last[1] / (seconds / 10.0) / limit;
            List<Long> full = windows.size() > 1 ? windows.subList(0, windows.size() - 1) : windows; // the tail window holds the end of the sync
            double steady = full.stream().mapToLong(Long::longValue).average().orElse(0) / limit;
            System.out.printf("budget sync: %,d records in %.1fs; %,d answers, %,d of them 429 (%.2f%%): non-search admitted %,d, refused %,d;"
                    + " search admitted %,d (%.2f/s of %d/s), refused %,d%n", result.records(), seconds, answers, limited, 100.0 * limited / answers,
                    last[1], last[2], last[3], last[3] / seconds, o.searchPerSecondLimit(), last[4]);
            System.out.printf("  non-search calls per ten-second window: %s (limit %d); most in any rolling 10 s: %d%n", windows, limit, rollingMax);
            System.out.printf("  share of the ten-second budget used: %.1f%% over the whole sync, %.1f%% over its full windows but the last (aim >= 90%%)%n",
                    100 * overall, 100 * steady);
            System.out.printf("  routes: %s%n", counters.byRouteAndStatus());
            summary.add(String.format(Locale.ROOT, "budget (limit %d/10 s, %.0fs sync): %.1f%% of the budget over the whole sync, %.1f%% in full windows;"
                    + " 429s %.2f%% of %,d answers (aim >= 90%%, < 1%%); search %.2f/s", limit, seconds, 100 * overall, 100 * steady,
                    100.0 * limited / answers, answers, last[3] / seconds));
        }
    }

    private static long[] sample(RequestCounters counters) {
        long[] s = new long[5];
        s[0] = System.nanoTime();
        for (Map.Entry<String, Long> e : counters.byRouteAndStatus().entrySet()) {
            boolean search = e.getKey().contains("/search");
            boolean refused = e.getKey().endsWith(" 429");
            s[(search ? 3 : 1) + (refused ? 1 : 0)] += e.getValue();
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // faults, and kill -9

    private static void faults(Path work, int contacts, Set<String> phases, List<String> summary) throws Exception {
        Path cleanDir = fresh(work.resolve("clean"));
        try (HubSpotSandbox hubspot = HubSpotSandbox.start(SandboxOptions.builder().contacts(contacts).rateLimitsEnabled(false).build())) {
            long hub = hubspot.hubIds().get(0);
            System.out.printf("%nfaults: %,d contacts, streams %s%n", contacts, FAULT_STREAMS);
            writeProject(cleanDir, hubspot, "access_token: " + hubspot.privateAppToken(hub), FAULT_STREAMS, "");
            RequestCounters counters = hubspot.control().counters();
            counters.reset();
            long start = System.nanoTime();
            SyncResult clean = sync(cleanDir, false);
            double cleanSeconds = (System.nanoTime() - start) / 1e9;
            requireOk(clean);
            long cleanRequests = counters.requests();
            System.out.printf("clean sync: %,d records in %.1fs, %,d requests%n", clean.records(), cleanSeconds, cleanRequests);
            Path cleanDb = cleanDir.resolve("warehouse.duckdb");

            if (phases.contains("faults")) {
                Path faultDir = fresh(work.resolve("faults"));
                String refresh = refreshToken(hubspot);
                writeProject(faultDir, hubspot, "client_id: " + hubspot.oauthClientId() + "\n      client_secret: " + hubspot.oauthClientSecret()
                        + "\n      refresh_token: " + refresh, FAULT_STREAMS, "");
                counters.reset();
                hubspot.control().setErrorRate(0.05);
                long[] at = {cleanRequests / 8, cleanRequests / 4, cleanRequests * 3 / 8, cleanRequests / 2, cleanRequests * 5 / 8};
                List<String> injected = java.util.Collections.synchronizedList(new ArrayList<>());
                Thread injector = Thread.ofPlatform().daemon().start(() -> {
                    int step = 0;
                    while (step < at.length && !Thread.currentThread().isInterrupted()) {
                        if (counters.requests() >= at[step]) {
                            switch (step) {
                                case 0 -> { hubspot.control().storm429(30); injected.add("429 storm x30 @" + counters.requests()); }
                                case 1 -> { injected.add("access tokens expired (" + hubspot.control().expireAccessTokens() + ") @" + counters.requests()); }
                                case 2 -> { hubspot.control().dropConnections(3); injected.add("3 dropped connections @" + counters.requests()); }
                                case 3 -> { hubspot.control().storm429(30); injected.add("429 storm x30 @" + counters.requests()); }
                                default -> { hubspot.control().dropConnections(3); injected.add("3 dropped connections @" + counters.requests()); }
                            }
                            step++;
                        } else {
                            try {
                                Thread.sleep(2); // poll the request counter for the next fault's trigger point
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                });
                List<String> retries = new ArrayList<>();
                start = System.nanoTime();
                SyncResult faulted = sync(faultDir, false, e -> {
                    if (e instanceof dev.tributary.engine.RunEvent.StreamRetrying r) retries.add(r.stream().id().name() + ": " + r.error());
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                injector.interrupt();
                hubspot.control().clearFaults();
                Map<String, Long> routes = counters.byRouteAndStatus();
                long fiveXx = fiveHundreds(counters);
                long unauthorized = counters.withStatus(401);
                System.out.printf("faulted sync: ok=%s, %,d records in %.1fs, %,d requests: %,d 5xx, %,d 429, %,d 401; injected: %s; stream retries by the engine: %d%s%n",
                        faulted.ok(), faulted.records(), seconds, counters.requests(), fiveXx, counters.rateLimited(), unauthorized, injected,
                        retries.size(), retries.isEmpty() ? "" : " " + retries);
                for (StreamResult r : faulted.streams()) if (!r.ok()) System.out.printf("  FAILED %s: %s%n", r.stream().id().name(), r.error().orElse(""));
                String compare = faulted.ok() ? compareWarehouses(cleanDb, faultDir.resolve("warehouse.duckdb")) : "sync failed";
                Check vsSandbox = checkAgainstSandbox(faultDir.resolve("warehouse.duckdb"), "contacts", hubspot.portal(hub).table(ObjectType.CONTACTS));
                boolean pass = faulted.ok() && compare.isEmpty() && vsSandbox.pass();
                System.out.printf("faults: %s; faulted vs clean warehouse: %s; contacts vs sandbox: %s%n", pass ? "PASS" : "FAIL",
                        compare.isEmpty() ? "identical (every table, every column but _tributary_*)" : compare, vsSandbox);
                System.out.printf("  routes: %s%n", routes);
                summary.add(String.format(Locale.ROOT, "faults (5%% 5xx=%d, 429 storms, token expiry, dropped connections; %d engine retries): %s, %,d records, %s",
                        fiveXx, retries.size(), pass ? "PASS" : "FAIL", faulted.records(), compare.isEmpty() ? "identical to the clean sync" : compare));
            }
            if (phases.contains("kill")) kill(work, hubspot, hub, cleanDb, cleanSeconds, summary);
        }
    }

    private static void kill(Path work, HubSpotSandbox hubspot, long hub, Path cleanDb, double cleanSeconds, List<String> summary) throws Exception {
        Path dir = fresh(work.resolve("kill"));
        writeProject(dir, hubspot, "access_token: " + hubspot.privateAppToken(hub), FAULT_STREAMS,
                "settings:\n  checkpoint_every_records: 2000\n  checkpoint_every_seconds: 1\n");
        long delay = 1500 + new Random().nextLong(Math.max(1, (long) (cleanSeconds * 1000)));
        Process first = child(dir);
        boolean finished = first.waitFor(delay, TimeUnit.MILLISECONDS);
        if (!finished) first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no close
        String partial = countsLine(dir.resolve("warehouse.duckdb"));
        Process second = child(dir);
        if (!second.waitFor(30, TimeUnit.MINUTES) || second.exitValue() != 0) throw new IllegalStateException("the restarted sync failed");
        String compare = compareWarehouses(cleanDb, dir.resolve("warehouse.duckdb"));
        Check vsSandbox = checkAgainstSandbox(dir.resolve("warehouse.duckdb"), "contacts", hubspot.portal(hub).table(ObjectType.CONTACTS));
        boolean pass = compare.isEmpty() && vsSandbox.pass();
        System.out.printf("kill -9: first sync %s after %,d ms (committed then: %s); restarted to the end: %s; vs clean: %s; contacts vs sandbox: %s%n",
                finished ? "had already finished" : "killed", delay, partial, pass ? "PASS" : "FAIL",
                compare.isEmpty() ? "identical" : compare, vsSandbox);
        summary.add(String.format(Locale.ROOT, "kill -9 after %,d ms (%s) + restart: %s", delay, partial, pass ? "PASS (identical to the clean sync)" : "FAIL " + compare));
    }

    private static Process child(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                HubSpotBenchmark.class.getName(), "--child-sync", dir.toString(), "hubspot").inheritIO().start();
    }

    private static void childSync(Path dir, String connection) {
        SyncResult r = sync(dir, false);
        System.exit(r.ok() ? 0 : 1);
    }

    private static String countsLine(Path db) throws SQLException {
        if (!Files.exists(db)) return "nothing";
        List<String> parts = new ArrayList<>();
        try (Connection c = duck(db); Statement s = c.createStatement()) {
            for (String t : tables(c)) {
                try (ResultSet rs = s.executeQuery("select count(*) from hubspot." + t)) {
                    rs.next();
                    parts.add(t + " " + rs.getLong(1));
                }
            }
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // checks

    record Check(boolean pass, long live, long warehouseLive, long warehouseDeleted, long sandboxArchivedPlusMerged, long duplicates) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: sandbox live %,d, warehouse live %,d (same ids: %s), warehouse deleted %,d (sandbox archived + merged %,d), duplicate ids %d",
                    pass ? "PASS" : "FAIL", live, warehouseLive, pass, warehouseDeleted, sandboxArchivedPlusMerged, duplicates);
        }
    }

    private static Check checkAgainstSandbox(Path db, String table, ObjectTable sandboxTable) throws SQLException {
        Set<String> live = liveIds(sandboxTable);
        Set<String> warehouseLive = new HashSet<>();
        long deleted = 0;
        long rows = 0;
        try (Connection c = duck(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id, _tributary_deleted_at is not null from hubspot." + table)) {
            while (rs.next()) {
                rows++;
                if (rs.getBoolean(2)) deleted++;
                else warehouseLive.add(rs.getString(1));
            }
        }
        long duplicates;
        try (Connection c = duck(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) - count(distinct id) from hubspot." + table)) {
            rs.next();
            duplicates = rs.getLong(1);
        }
        boolean pass = live.equals(warehouseLive) && duplicates == 0 && rows == warehouseLive.size() + deleted;
        return new Check(pass, live.size(), warehouseLive.size(), deleted, sandboxTable.archivedCount() + sandboxTable.mergedCount(), duplicates);
    }

    private static Set<String> liveIds(ObjectTable t) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < t.size(); i++) if (t.isLive(i)) ids.add(Long.toString(t.id(i)));
        return ids;
    }

    /** Empty when both warehouses hold the same tables with the same rows (every column but Tributary's own); else what differs. */
    private static String compareWarehouses(Path a, Path b) throws SQLException {
        List<String> differences = new ArrayList<>();
        try (Connection c = duck(a); Statement s = c.createStatement()) {
            s.execute("attach '" + b + "' as other (read_only)");
            List<String> tablesA = tables(c);
            List<String> tablesB = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select table_name from information_schema.tables where table_catalog = 'other'"
                    + " and table_schema = 'hubspot' and table_name not like '\\_tributary%' escape '\\' order by 1")) {
                while (rs.next()) tablesB.add(rs.getString(1));
            }
            if (!tablesA.equals(tablesB)) differences.add("tables " + tablesA + " vs " + tablesB);
            String catalogA = a.getFileName().toString().replace(".duckdb", "");
            for (String t : tablesA) {
                if (!tablesB.contains(t)) continue;
                List<String> cols = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("select column_name from information_schema.columns where table_catalog = '" + catalogA
                        + "' and table_schema = 'hubspot' and table_name = '" + t + "' and column_name not like '\\_tributary%' escape '\\' order by ordinal_position")) {
                    while (rs.next()) cols.add('"' + rs.getString(1) + '"');
                }
                String list = String.join(", ", cols);
                String mine = "select " + list + " from " + catalogA + ".hubspot." + t;
                String theirs = "select " + list + " from other.hubspot." + t;
                long na = count(s, "select count(*) from " + catalogA + ".hubspot." + t);
                long nb = count(s, "select count(*) from other.hubspot." + t);
                long onlyA = count(s, "select count(*) from (" + mine + " except all " + theirs + ")");
                long onlyB = count(s, "select count(*) from (" + theirs + " except all " + mine + ")");
                if (na != nb || onlyA != 0 || onlyB != 0) differences.add(String.format(Locale.ROOT, "%s: %,d vs %,d rows, %,d only in the first, %,d only in the second", t, na, nb, onlyA, onlyB));
            }
        }
        return String.join("; ", differences);
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select table_name from information_schema.tables where table_catalog = current_database()"
                     + " and table_schema = 'hubspot' and table_name not like '\\_tributary%' escape '\\' order by 1")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private static int columnCount(Path db, String table) throws SQLException {
        try (Connection c = duck(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from information_schema.columns where table_schema = 'hubspot' and table_name = '"
                     + table + "' and column_name not like '\\_tributary%' escape '\\'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // plumbing

    private static void writeProject(Path dir, HubSpotSandbox hubspot, String credentials, List<String> streams, String extra) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tributary.yml"), """
                name: hubspot-bench
                destination:
                  type: duckdb
                  path: %s
                %sconnections:
                  hubspot:
                    type: hubspot
                    config:
                      base_url: %s
                      %s
                      safety_lag_seconds: 3
                      streams: [%s]
                """.formatted(dir.resolve("warehouse.duckdb"), extra, hubspot.baseUrl(), credentials, String.join(", ", streams)));
    }

    private static SyncResult sync(Path project, boolean fullRefresh) {
        return sync(project, fullRefresh, RunListener.NONE);
    }

    private static SyncResult sync(Path project, boolean fullRefresh, RunListener listener) {
        return sync(project, fullRefresh, listener, Connectors.discover());
    }

    private static SyncResult sync(Path project, boolean fullRefresh, RunListener listener, Connectors connectors) {
        try (Workspace w = new Workspace(Project.load(project, Map.of(), connectors), connectors)) {
            return w.sync("hubspot", Set.of(), fullRefresh, listener);
        }
    }

    private static void requireOk(SyncResult result) {
        if (!result.ok()) {
            StringBuilder b = new StringBuilder("sync failed:");
            for (StreamResult r : result.streams()) if (!r.ok()) b.append("\n  ").append(r.stream().id().name()).append(": ").append(r.error().orElse(""));
            throw new IllegalStateException(b.toString());
        }
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        return Files.createDirectories(dir);
    }

    private static Connection duck(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + db);
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long sum(Map<String, Long> routes, java.util.function.Predicate<String> which) {
        return routes.entrySet().stream().filter(e -> which.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    private static long fiveHundreds(RequestCounters counters) {
        return counters.withStatus(500) + counters.withStatus(502) + counters.withStatus(503) + counters.withStatus(504);
    }

    private static long usedHeapMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    /** Installs the sandbox's OAuth app on the first portal (the install page, as a browser would) and returns its refresh token. */
    private static String refreshToken(HubSpotSandbox sandbox) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String redirect = HubSpotSandbox.DEFAULT_REDIRECT_URI;
        long hub = sandbox.hubIds().get(0);
        String page = http.send(HttpRequest.newBuilder(URI.create(sandbox.authorizeUrl(redirect, "oauth crm.objects.contacts.read", "s"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("href=\"([^\"]*hub_id=" + hub + "[^\"]*)\"").matcher(page);
        if (!m.find()) throw new IllegalStateException("no account link on the install page");
        String link = m.group(1).replace("&amp;", "&");
        URI chosen = link.startsWith("http") ? URI.create(link) : URI.create(sandbox.baseUrl() + link);
        // the account link opens the consent page; its grant link issues the code
        String consent = http.send(HttpRequest.newBuilder(chosen).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher grant = Pattern.compile("id=\"grant\" href=\"([^\"]*)\"").matcher(consent);
        if (!grant.find()) throw new IllegalStateException("no grant link on the consent page");
        chosen = URI.create(sandbox.baseUrl() + grant.group(1).replace("&amp;", "&"));
        String location = http.send(HttpRequest.newBuilder(chosen).build(), HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();
        Matcher c = Pattern.compile("code=([^&]+)").matcher(location);
        if (!c.find()) throw new IllegalStateException("no code in the redirect");
        String form = "grant_type=authorization_code&client_id=" + enc(sandbox.oauthClientId()) + "&client_secret=" + enc(sandbox.oauthClientSecret())
                + "&redirect_uri=" + enc(redirect) + "&code=" + enc(URLDecoder.decode(c.group(1), StandardCharsets.UTF_8));
        String body = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/oauth/v1/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher t = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!t.find()) throw new IllegalStateException("no refresh token in the answer");
        return t.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
