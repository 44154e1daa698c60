package dev.tributary.source.xero;

import dev.tributary.sandbox.xero.XeroSandbox;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.SourceContractTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The testkit's contract (stop-and-resume included) on the invoices of a two-tenant sandbox, 100 to a page. */
class XeroContractTest extends SourceContractTest {
    private XeroSandbox sandbox;
    private XeroSource source;
    private Config config;

    @BeforeEach
    void start() {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(2).invoicesPerTenant(250)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        source = XeroSupport.source(sandbox);
        var settings = XeroSupport.settings(sandbox);
        settings.put("page_size", 100);
        settings.put("overlap_seconds", 0); // the contract asks that nothing read is read again
        config = XeroSupport.config(settings);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Override
    protected Source source() {
        return source;
    }

    @Override
    protected Config config() {
        return config;
    }

    @Override
    protected String streamName() {
        return "invoices";
    }

    @Override
    protected void appendData() {
        sandbox.control().advanceClock(Duration.ofSeconds(5));
        for (String t : sandbox.tenantIds()) sandbox.control().addInvoices(t, 3, false);
        sandbox.control().advanceClock(Duration.ofSeconds(5));
    }
}
