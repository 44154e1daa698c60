package dev.tributary.source.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.sandbox.xero.XeroSandbox;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import dev.tributary.sandbox.xero.data.Endpoint;
import dev.tributary.spi.Completion;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paging against the sandbox: pages shorter than asked, and a reconciliation pass that a purge must not shift. */
class XeroPagingTest {
    XeroSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(2).invoicesPerTenant(100)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private static String key(Record r, int idIndex) {
        return r.value(0) + "/" + r.value(idIndex);
    }

    @Test
    void aPageShorterThanAskedIsNotTheEndWhenPaginationSaysMoreFollow() {
        ObjectNode settings = XeroSupport.settings(sandbox);
        settings.put("page_size", 50);
        Config config = XeroSupport.config(settings);
        sandbox.control().setMaxPageSize(20);
        XeroSource source = XeroSupport.source(sandbox);
        for (SyncMode mode : List.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL)) {
            ConfiguredStream stream = XeroSupport.stream(source, config, "invoices", mode);
            var read = XeroSupport.read(source, config, stream, Optional.empty());
            int id = read.batches().get(0).schema().indexOf("InvoiceID");
            Set<String> ids = new HashSet<>();
            read.records().forEach(r -> ids.add(key(r, id)));
            assertThat(ids).as(mode + ": every invoice of both tenants, though each page held 20 of the 50 asked").hasSize(200);
        }
    }

    @Test
    void aDraftPurgedDuringAReconciliationPassShiftsNoLiveDocumentOutOfIt() {
        ObjectNode settings = XeroSupport.settings(sandbox);
        settings.put("page_size", 25);
        settings.put("reconcile_every", "1d");
        Config config = XeroSupport.config(settings);
        XeroSource source = XeroSupport.source(sandbox);
        ConfiguredStream stream = XeroSupport.stream(source, config, "invoices", SyncMode.INCREMENTAL);
        var first = XeroSupport.read(source, config, stream, Optional.empty());
        int idIndex = first.batches().get(0).schema().indexOf("InvoiceID");
        int statusIndex = first.batches().get(0).schema().indexOf("Status");
        Map<String, String> status = new HashMap<>();
        first.records().forEach(r -> status.put(key(r, idIndex), String.valueOf(r.value(statusIndex))));
        assertThat(status).hasSize(200);

        sandbox.control().advanceClock(Duration.ofDays(1).plusMinutes(1));
        // run 1: the pass lists its first page, then the run ends (the pass spans runs)
        Set<String> listed = new HashSet<>();
        StreamState resume;
        String passId;
        try (StreamReader r = source.read(config, stream, first.lastState())) {
            Completion.KeysSeen page = null;
            StreamState at = null;
            for (Optional<RecordBatch> b = r.next(); b.isPresent() && page == null; b = r.next()) {
                for (Completion c : b.get().completions()) {
                    if (c instanceof Completion.KeysSeen k) page = k;
                }
                at = b.get().checkpoint().orElse(at);
            }
            assertThat(page).as("a reconciliation page").isNotNull();
            assertThat(page.endsPass()).isFalse();
            page.keys().forEach(k -> listed.add(k.get(0) + "/" + k.get(1)));
            resume = at;
            passId = page.passId();
        }
        // a draft already listed vanishes from Xero
        String purged = listed.stream().filter(k -> Set.of("DRAFT", "DELETED").contains(status.get(k))).sorted().findFirst()
                .orElseThrow(() -> new AssertionError("no draft on the first page of the pass: " + listed));
        String[] tenantAndId = purged.split("/");
        sandbox.control().purge(tenantAndId[0], Endpoint.INVOICES, tenantAndId[1]);

        // run 2 finishes the pass
        boolean ended = false;
        try (StreamReader r = source.read(config, stream, Optional.of(resume))) {
            for (Optional<RecordBatch> b = r.next(); b.isPresent(); b = r.next()) {
                for (Completion c : b.get().completions()) {
                    if (c instanceof Completion.KeysSeen k) {
                        assertThat(k.passId()).isEqualTo(passId);
                        k.keys().forEach(key -> listed.add(key.get(0) + "/" + key.get(1)));
                        ended |= k.endsPass();
                    }
                }
            }
        }
        assertThat(ended).isTrue();
        List<String> live = new ArrayList<>(status.keySet());
        live.remove(purged);
        assertThat(listed).as("every live invoice was listed, so none would be soft-deleted").containsAll(live);
    }
}
