package dev.tributary.source.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.destination.duckdb.DuckDbDestination;
import dev.tributary.engine.SyncEngine;
import dev.tributary.engine.SyncJob;
import dev.tributary.engine.SyncOptions;
import dev.tributary.engine.SyncResult;
import dev.tributary.sandbox.xero.XeroSandbox;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import dev.tributary.sandbox.xero.data.Endpoint;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.SyncMode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full and incremental syncs of a two-tenant sandbox through the engine into a real DuckDB file, with Xero's limits on. */
class XeroSyncTest {
    @TempDir
    Path dir;
    XeroSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private Config duckdb() {
        return Config.of(JsonNodeFactory.instance.objectNode().put("path", dir.resolve("warehouse.duckdb").toString()));
    }

    private static List<ConfiguredStream> streams(XeroSource source, Config config, String... names) {
        List<ConfiguredStream> out = new ArrayList<>();
        for (String n : names) out.add(XeroSupport.stream(source, config, n, SyncMode.INCREMENTAL));
        return out;
    }

    private SyncResult sync(XeroSource source, Config config, List<ConfiguredStream> selected) {
        try (DestinationSession session = new DuckDbDestination().open(duckdb())) {
            SyncResult result = new SyncEngine(SyncOptions.defaults(), e -> {}).run(new SyncJob("xero", source, config, session, selected));
            assertThat(result.ok()).as(result.toString()).isTrue();
            return result;
        }
    }

    private List<List<Object>> query(String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.add(rs.getObject(i));
                out.add(row);
            }
        }
        return out;
    }

    private long count(String sql) throws Exception {
        return ((Number) query(sql).get(0).get(0)).longValue();
    }

    @Test
    void everyTenantLandsWithChildTablesExactDecimalsAndThenOnlyChanges() throws Exception {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(2).invoicesPerTenant(600)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        XeroSource source = XeroSupport.source(sandbox);
        ObjectNode settings = XeroSupport.settings(sandbox);
        settings.put("page_size", 250);
        Config config = XeroSupport.config(settings);
        List<ConfiguredStream> selected = streams(source, config, "invoices", "invoices_line_items", "invoices_line_item_tracking",
                "payments", "credit_notes", "credit_notes_allocations", "journals", "journal_lines", "contacts", "organisations", "accounts",
                "tracking_options", "manual_journal_lines");
        sync(source, config, selected);
        String t0 = sandbox.tenantIds().get(0);
        String t1 = sandbox.tenantIds().get(1);
        assertThat(count("SELECT count(*) FROM xero.invoices")).isEqualTo(1_200);
        assertThat(count("SELECT count(DISTINCT tenant_id) FROM xero.invoices")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM xero.organisations")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM xero.journals WHERE tenant_id = '" + t0 + "'")).isEqualTo(sandbox.books(t0).count(Endpoint.JOURNALS));
        assertThat(count("SELECT count(*) FROM xero.payments")).isEqualTo(sandbox.books(t0).count(Endpoint.PAYMENTS) + sandbox.books(t1).count(Endpoint.PAYMENTS));
        // exact money: every invoice's lines add up to its subtotal, every journal balances
        assertThat(count("SELECT count(*) FROM xero.invoices i JOIN (SELECT tenant_id, InvoiceID, sum(LineAmount) s FROM xero.invoices_line_items"
                + " GROUP BY 1, 2) l ON l.tenant_id = i.tenant_id AND l.InvoiceID = i.InvoiceID WHERE l.s <> i.SubTotal")).isZero();
        assertThat(count("SELECT count(*) FROM (SELECT tenant_id, JournalID, sum(GrossAmount) s FROM xero.journal_lines GROUP BY 1, 2) WHERE s <> 0")).isZero();
        assertThat(count("SELECT count(*) FROM xero.invoices_line_item_tracking")).isPositive();
        assertThat(count("SELECT count(*) FROM xero.credit_notes_allocations")).isPositive();
        List<List<Object>> typed = query("SELECT typeof(SubTotal), typeof(Date), typeof(UpdatedDateUTC) FROM xero.invoices LIMIT 1");
        assertThat(typed.get(0).get(0).toString()).startsWith("DECIMAL");
        assertThat(typed.get(0).get(1)).isEqualTo("DATE");
        assertThat(typed.get(0).get(2).toString()).contains("TIME ZONE");

        // changes while nobody syncs: a payment, a void, new invoices, an edited contact
        String authorised = (String) query("SELECT InvoiceID FROM xero.invoices WHERE Status = 'AUTHORISED' AND AmountPaid = 0 AND tenant_id = '"
                + t0 + "' ORDER BY InvoiceNumber LIMIT 2").get(0).get(0);
        String toVoid = (String) query("SELECT InvoiceID FROM xero.invoices WHERE Status = 'AUTHORISED' AND AmountPaid = 0 AND tenant_id = '"
                + t1 + "' ORDER BY InvoiceNumber LIMIT 1").get(0).get(0);
        sandbox.control().advanceClock(Duration.ofMinutes(10));
        String paymentId = sandbox.control().pay(t0, authorised);
        sandbox.control().voidInvoice(t1, toVoid);
        List<String> added = sandbox.control().addInvoices(t1, 3, false);
        sandbox.control().mutate(t0, Endpoint.CONTACTS, 2);
        sandbox.control().advanceClock(Duration.ofMinutes(1));
        sandbox.control().resetCounters();
        sync(source, config, selected);
        long requests = sandbox.control().count("GET /api.xro/2.0", 200);
        assertThat(requests).as("incremental requests for 13 streams over 2 tenants").isLessThan(60);
        assertThat(count("SELECT count(*) FROM xero.invoices")).isEqualTo(1_203);
        List<Object> paid = query("SELECT Status, AmountDue FROM xero.invoices WHERE InvoiceID = '" + authorised + "'").get(0);
        assertThat(paid.get(0)).isEqualTo("PAID");
        assertThat((BigDecimal) paid.get(1)).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(query("SELECT Status FROM xero.invoices WHERE InvoiceID = '" + toVoid + "'").get(0)).containsExactly("VOIDED");
        assertThat(count("SELECT count(*) FROM xero.payments WHERE PaymentID = '" + paymentId + "' AND InvoiceID = '" + authorised + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM xero.invoices WHERE InvoiceID IN ('" + String.join("','", added) + "')")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM xero.journals")).isEqualTo(sandbox.books(t0).count(Endpoint.JOURNALS) + sandbox.books(t1).count(Endpoint.JOURNALS));
        assertThat(count("SELECT count(*) FROM xero.journals")).isEqualTo(count("SELECT count(DISTINCT JournalID) FROM xero.journals"));
        assertThat(count("SELECT count(*) FROM xero.contacts WHERE AccountNumber LIKE 'EDIT-%'")).isEqualTo(2);
    }

    @Test
    void aDraftThatVanishesIsSoftDeletedByTheNextReconciliation() throws Exception {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(2).invoicesPerTenant(300)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        XeroSource source = XeroSupport.source(sandbox);
        ObjectNode settings = XeroSupport.settings(sandbox);
        settings.put("reconcile_every", "1d");
        Config config = XeroSupport.config(settings);
        String t1 = sandbox.tenantIds().get(1);
        String draft = sandbox.control().addInvoices(t1, 1, true).get(0);
        List<ConfiguredStream> selected = streams(source, config, "invoices");
        sync(source, config, selected);
        assertThat(count("SELECT count(*) FROM xero.invoices WHERE InvoiceID = '" + draft + "' AND _tributary_deleted_at IS NULL")).isEqualTo(1);
        sandbox.control().purge(t1, Endpoint.INVOICES, draft);
        sandbox.control().advanceClock(Duration.ofHours(2));
        sync(source, config, selected);
        assertThat(count("SELECT count(*) FROM xero.invoices WHERE _tributary_deleted_at IS NOT NULL")).as("not due yet").isZero();
        sandbox.control().advanceClock(Duration.ofDays(1));
        sync(source, config, selected);
        assertThat(query("SELECT InvoiceID FROM xero.invoices WHERE _tributary_deleted_at IS NOT NULL")).containsExactly(List.of(draft));
        assertThat(count("SELECT count(*) FROM xero.invoices WHERE _tributary_deleted_at IS NULL")).isEqualTo(600);
        // voided and deleted documents stay as rows with their status
        assertThat(count("SELECT count(*) FROM xero.invoices WHERE Status IN ('VOIDED', 'DELETED') AND _tributary_deleted_at IS NULL")).isPositive();
    }
}
