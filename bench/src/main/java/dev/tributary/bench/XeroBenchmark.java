package dev.tributary.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.SyncEngine;
import dev.tributary.engine.SyncJob;
import dev.tributary.engine.SyncOptions;
import dev.tributary.engine.SyncResult;
import dev.tributary.http.Sleeper;
import dev.tributary.sandbox.xero.XeroSandbox;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import dev.tributary.sandbox.xero.data.Endpoint;
import dev.tributary.source.xero.XeroSource;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Xero source's figures (issue 15), against an embedded Xero sandbox with Xero's real limits (60 calls a minute,
 * 5,000 a day, 5 in flight per tenant): a full sync of N tenants x M invoices (with their line items) into DuckDB, then
 * an incremental sync after K changed invoices. Reported: records, requests per 100 records (the sandbox's own counts,
 * what Xero would count), 429 answers, the tenant budget used per minute while a tenant is read, peak heap (sandbox and
 * source share this JVM). Waits run on the sandbox's clock (a wait advances it), so "minutes" are the minutes the
 * limits saw, while the wall time is what the machine took.
 * Usage: bench/run-xero [tenants] [invoices-per-tenant] [changes] [page-size]   (defaults 3 50000 500 1000)
 */
public final class XeroBenchmark {
    private XeroBenchmark() {}

    public static void main(String[] args) throws Exception {
        int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int invoices = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int changes = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int pageSize = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        Path dir = Files.createTempDirectory("xero-bench");
        HeapProbe heap = new HeapProbe();
        long t0 = System.nanoTime();
        try (XeroSandbox xero = XeroSandbox.start(XeroSandboxOptions.builder().tenants(tenants).invoicesPerTenant(invoices)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build())) {
            System.out.printf(Locale.ROOT, "sandbox: %d tenants x %d invoices generated in %d ms%n", tenants, invoices, (System.nanoTime() - t0) / 1_000_000);
            Clock clock = new Clock() {
                @Override public ZoneId getZone() { return ZoneOffset.UTC; }
                @Override public Clock withZone(ZoneId zone) { return this; }
                @Override public Instant instant() { return xero.clock().now(); }
            };
            Sleeper advance = d -> xero.control().advanceClock(d);
            XeroSource source = new XeroSource(clock, advance);
            ObjectNode settings = JsonNodeFactory.instance.objectNode();
            settings.put("client_id", xero.clientId());
            settings.put("client_secret", xero.clientSecret());
            settings.put("refresh_token", xero.consent(xero.tenantIds()));
            settings.put("base_url", xero.baseUrl());
            settings.put("page_size", pageSize);
            Config config = Config.of(settings);
            List<ConfiguredStream> streams = new ArrayList<>();
            for (String s : List.of("invoices", "invoices_line_items")) {
                var d = source.discover(config).stream(s).orElseThrow();
                var c = ConfiguredStream.defaults("xero", d);
                streams.add(c.withModes(SyncMode.INCREMENTAL, c.writeMode()));
            }
            Config duck = Config.of(JsonNodeFactory.instance.objectNode().put("path", dir.resolve("warehouse.duckdb").toString()));

            phase("full sync", xero, source, config, streams, duck, tenants);
            List<String> ids = xero.tenantIds();
            for (int i = 0; i < changes; i++) {
                String t = ids.get(i % ids.size());
                xero.control().mutate(t, Endpoint.INVOICES, 1);
            }
            xero.control().advanceClock(java.time.Duration.ofMinutes(1));
            phase("incremental sync after " + changes + " changed invoices", xero, source, config, streams, duck, tenants);
        } finally {
            heap.stop();
            System.out.printf(Locale.ROOT, "peak heap %d MB, peak RSS %d MB (sandbox and source in one JVM, -Xmx from bench/run-xero)%n",
                    heap.peakMb(), HeapProbe.peakRssMb());
        }
    }

    private static dev.tributary.spi.Destination duckdb() {
        for (dev.tributary.spi.Destination d : java.util.ServiceLoader.load(dev.tributary.spi.Destination.class)) {
            if (d.spec().type().equals("duckdb")) return d;
        }
        throw new IllegalStateException("no duckdb destination on the class path");
    }

    private static void phase(String name, XeroSandbox xero, XeroSource source, Config config, List<ConfiguredStream> streams, Config duck,
            int tenants) {
        xero.control().resetCounters();
        long sandboxStart = xero.clock().millis();
        long wallStart = System.nanoTime();
        SyncResult result;
        try (DestinationSession session = duckdb().open(duck)) {
            result = new SyncEngine(SyncOptions.defaults(), e -> {}).run(new SyncJob("xero", source, config, session, streams));
        }
        if (!result.ok()) throw new IllegalStateException(name + " failed: " + result);
        long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
        double sandboxMinutes = (xero.clock().millis() - sandboxStart) / 60_000.0;
        long requests = xero.control().count("GET /api.xro/2.0", 200);
        long limited = xero.control().count("GET /api.xro/2.0", 429);
        long records = result.records();
        System.out.printf(Locale.ROOT, "%s: %d records (%s) in %.1f s wall, %.2f sandbox minutes%n", name, records,
                result.streams().stream().map(s -> s.stream().id().name() + " " + s.records()).toList(), wallMs / 1000.0, sandboxMinutes);
        System.out.printf(Locale.ROOT, "  API requests %d (+%d answered 429 = %.2f%%), %.3f requests per 100 records%n", requests, limited,
                requests + limited == 0 ? 0 : 100.0 * limited / (requests + limited), records == 0 ? 0 : requests * 100.0 / records);
        // per tenant, the calls Xero admitted by second of the sandbox clock: the mean rate over the span the tenant was read
        // and the busiest rolling minute, against the tenant's 60 a minute
        for (String t : xero.tenantIds()) {
            java.util.SortedMap<Long, Long> seconds = xero.control().callsPerSecond(t);
            long calls = seconds.values().stream().mapToLong(Long::longValue).sum();
            if (seconds.isEmpty()) continue;
            long span = seconds.lastKey() - seconds.firstKey() + 1;
            long busiest = 0;
            for (long start : seconds.keySet()) {
                busiest = Math.max(busiest, seconds.subMap(start, start + 60).values().stream().mapToLong(Long::longValue).sum());
            }
            if (span < 60) {
                System.out.printf(Locale.ROOT, "  tenant %s: %d calls within %d s of the sandbox clock (under a minute: not budget-bound)%n",
                        t.substring(0, 8), calls, span);
            } else {
                double perMinute = calls * 60.0 / span;
                System.out.printf(Locale.ROOT, "  tenant %s: %d calls over %d s: %.1f calls/min = %.0f%% of 60/min; busiest rolling minute %d%n",
                        t.substring(0, 8), calls, span, perMinute, perMinute / 60 * 100, busiest);
            }
        }
    }
}
