package dev.tributary.source.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.RateLimitStopException;
import dev.tributary.sandbox.xero.XeroSandbox;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Xero's limits with real HTTP: 429 storms, the daily cap and share, one per-tenant budget shared by concurrent streams. */
class XeroLimitsTest {
    XeroSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private static Set<Object> ids(List<Record> records) {
        Set<Object> out = new HashSet<>();
        for (Record r : records) out.add(r.value(0) + "/" + r.value(1));
        return out;
    }

    @Test
    void a429StormIsWaitedOutAndNothingIsLost() {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(2).invoicesPerTenant(400)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        XeroSource source = XeroSupport.source(sandbox);
        ObjectNode settings = XeroSupport.settings(sandbox);
        settings.put("page_size", 100);
        Config config = XeroSupport.config(settings);
        ConfiguredStream invoices = XeroSupport.stream(source, config, "invoices", SyncMode.INCREMENTAL);
        sandbox.control().storm429(12);
        var read = XeroSupport.read(source, config, invoices, Optional.empty());
        assertThat(ids(read.records())).hasSize(800);
        assertThat(sandbox.control().rateLimited("minute")).isEqualTo(12);
    }

    @Test
    void theDailyShareStopsTheSyncWithItsProgressKeptAndTheNextDayResumes() {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(1).invoicesPerTenant(2_000).dailyLimit(20)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        XeroSource source = XeroSupport.source(sandbox);
        ObjectNode settings = XeroSupport.settings(sandbox);
        settings.put("page_size", 100);
        settings.put("daily_limit", 20);
        settings.put("daily_budget_share", 0.5);
        Config config = XeroSupport.config(settings);
        ConfiguredStream invoices = XeroSupport.stream(source, config, "invoices", SyncMode.INCREMENTAL);
        List<Record> committed = new ArrayList<>();
        StreamState last = null;
        RateLimitStopException stopped = null;
        try (StreamReader r = source.read(config, invoices, Optional.empty())) {
            for (Optional<RecordBatch> b = r.next(); b.isPresent(); b = r.next()) {
                committed.addAll(b.get().records());
                last = b.get().checkpoint().orElseThrow();
            }
        } catch (RateLimitStopException e) {
            stopped = e;
        }
        assertThat(stopped).as("the daily share stops the sync").isNotNull();
        assertThat(stopped.getMessage()).contains("daily budget spent").contains("50%").contains("resumes");
        // 10 calls of 20, at 100 invoices a page (each page after the first repeats the previous page's last second)
        assertThat(committed.size()).isBetween(900, 1_000);
        // each following day the sync resumes from its last checkpoint, within its share: no gap, no duplicate
        Set<Object> all = ids(committed);
        boolean finished = false;
        for (int day = 0; day < 4 && !finished; day++) {
            sandbox.control().advanceClock(Duration.ofDays(1));
            try (StreamReader r = source.read(config, invoices, Optional.of(last))) { // its store holds the rotated refresh token
                for (Optional<RecordBatch> b = r.next(); b.isPresent(); b = r.next()) {
                    for (Object id : ids(b.get().records())) assertThat(all.add(id)).as("read twice: %s", id).isTrue();
                    last = b.get().checkpoint().orElseThrow();
                }
                finished = true;
            } catch (RateLimitStopException e) {
                assertThat(e.getMessage()).contains("daily budget spent");
            }
        }
        assertThat(finished).isTrue();
        assertThat(all).hasSize(2_000);
    }

    @Test
    void xerosOwnDailyCapStopsTheSyncLoudly() {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(1).invoicesPerTenant(800).dailyLimit(3)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        XeroSource source = XeroSupport.source(sandbox);
        ObjectNode settings = XeroSupport.settings(sandbox);
        settings.put("page_size", 100);
        Config config = XeroSupport.config(settings);
        ConfiguredStream invoices = XeroSupport.stream(source, config, "invoices", SyncMode.INCREMENTAL);
        int batches = 0;
        RateLimitStopException stopped = null;
        try (StreamReader r = source.read(config, invoices, Optional.empty())) {
            for (Optional<RecordBatch> b = r.next(); b.isPresent(); b = r.next()) batches++;
        } catch (RateLimitStopException e) {
            stopped = e;
        }
        assertThat(batches).isEqualTo(3);
        assertThat(stopped).as("stopped when Xero said no calls were left, before a 429").isNotNull();
        assertThat(stopped.getMessage()).contains("X-DayLimit-Remaining says 0");
        assertThat(sandbox.control().rateLimited("day")).isZero();
        // a new process knows nothing of the day yet: Xero's own 429 stops it, as loudly
        RateLimitStopException again = null;
        XeroSource fresh = new XeroSource(XeroSupport.clockOf(sandbox), d -> sandbox.control().advanceClock(d));
        try (StreamReader r = fresh.read(config, invoices, Optional.empty())) {
            r.next();
        } catch (RateLimitStopException e) {
            again = e;
        }
        assertThat(again).isNotNull();
        assertThat(again.getMessage()).contains("daily API limit").contains("X-Rate-Limit-Problem: day");
        assertThat(sandbox.control().rateLimited("day")).isEqualTo(1);
    }

    @Test
    void concurrentStreamsOfOneTenantShareOneBudgetAndStayUnderXerosLimit() throws Exception {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(1).invoicesPerTenant(1_000)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        XeroSource source = XeroSupport.source(sandbox);
        ObjectNode settings = XeroSupport.settings(sandbox);
        settings.put("page_size", 20);
        Config config = XeroSupport.config(settings);
        List<Future<Integer>> reads = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(3)) {
            for (String s : List.of("invoices", "invoices_line_items", "payments")) {
                ConfiguredStream stream = XeroSupport.stream(source, config, s, SyncMode.INCREMENTAL);
                reads.add(pool.submit(() -> XeroSupport.read(source, config, stream, Optional.empty()).records().size()));
            }
        }
        for (Future<Integer> f : reads) assertThat(f.get()).isPositive();
        long calls = sandbox.control().count("GET /api.xro/2.0", 200);
        assertThat(calls).as("well past one minute's 60 calls").isGreaterThan(120);
        assertThat(sandbox.control().rateLimited("minute")).as("the shared budget kept the tenant under 60 a minute").isZero();
        assertThat(sandbox.control().rateLimited("concurrent")).isZero();
    }
}
