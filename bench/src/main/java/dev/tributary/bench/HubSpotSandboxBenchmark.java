package dev.tributary.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * HubSpot sandbox benchmark: generate N contacts (default 1,000,000) and report heap used, page through all of
 * them with the list endpoint (limit=100, rate limits off, one client) and report records/s and CPU share, then
 * report start-up time for 100,000 contacts. Usage: HubSpotSandboxBenchmark [contacts]
 */
public final class HubSpotSandboxBenchmark {
    private HubSpotSandboxBenchmark() {}

    public static void main(String[] args) throws Exception {
        int contacts = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        int cores = Runtime.getRuntime().availableProcessors();

        long heapBefore = usedHeapAfterGc();
        long wall0 = System.nanoTime();
        HubSpotSandbox sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(contacts).rateLimitsEnabled(false).build());
        long startMs = (System.nanoTime() - wall0) / 1_000_000;
        long heapAfter = usedHeapAfterGc();
        System.out.printf(Locale.ROOT, "generated %,d contacts (%,d records in all) in %,d ms; heap used by the sandbox: %,d MB%n",
                contacts, sandbox.portal(sandbox.hubIds().get(0)).recordCount(), startMs, (heapAfter - heapBefore) >> 20);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        JsonFactory json = new JsonFactory();
        String token = sandbox.privateAppToken();
        long records = 0;
        long bytes = 0;
        int pages = 0;
        String after = null;
        long cpu0 = os.getProcessCpuTime();
        long clientCpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        do {
            HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/crm/v3/objects/contacts?limit=100"
                    + (after == null ? "" : "&after=" + after))).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(60)).build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) throw new IllegalStateException("HTTP " + response.statusCode());
            bytes += response.body().length;
            pages++;
            after = null;
            try (JsonParser p = json.createParser(response.body())) { // count results and find paging.next.after
                int depth = 0;
                String field = null;
                boolean inResults = false;
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        depth++;
                        if (inResults && depth == 3 && t == JsonToken.START_OBJECT) records++;
                        if (depth == 2 && "results".equals(field)) inResults = true;
                    } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                        if (depth == 2) inResults = false;
                        depth--;
                    } else if (t == JsonToken.FIELD_NAME) {
                        field = p.currentName();
                    } else if (t == JsonToken.VALUE_STRING && "after".equals(field) && !inResults) {
                        after = p.getText();
                    }
                }
            }
        } while (after != null);
        long wallNs = System.nanoTime() - t0;
        long cpuNs = os.getProcessCpuTime() - cpu0;
        long clientCpuNs = threads.getCurrentThreadCpuTime() - clientCpu0;
        double seconds = wallNs / 1e9;
        System.out.printf(Locale.ROOT, "paged %,d contacts in %,d pages (%,d MB of JSON) in %.1f s: %,.0f records/s%n",
                records, pages, bytes >> 20, seconds, records / seconds);
        System.out.printf(Locale.ROOT, "process CPU during paging: %.0f%% of %d cores (%.2f cores busy); "
                        + "of which the client's paging thread %.2f cores; sandbox + HTTP client I/O threads ~%.2f cores%n",
                100.0 * cpuNs / wallNs / cores, cores, (double) cpuNs / wallNs, (double) clientCpuNs / wallNs,
                (double) (cpuNs - clientCpuNs) / wallNs);
        var counters = sandbox.control().counters();
        System.out.printf(Locale.ROOT, "sandbox counters: %,d requests, %,d bytes out%n", counters.requests(), counters.bytesOut());
        sandbox.close();
        sandbox = null;
        usedHeapAfterGc();

        long s0 = System.nanoTime();
        try (HubSpotSandbox small = HubSpotSandbox.start(SandboxOptions.builder().contacts(100_000).build())) {
            System.out.printf(Locale.ROOT, "start-up with 100,000 contacts (%,d records): %,d ms until serving%n",
                    small.portal(small.hubIds().get(0)).recordCount(), (System.nanoTime() - s0) / 1_000_000);
        }
        System.out.printf(Locale.ROOT, "peak RSS %,d MB%n", HeapProbe.peakRssMb());
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
