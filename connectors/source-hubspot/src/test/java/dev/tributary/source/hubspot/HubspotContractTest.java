package dev.tributary.source.hubspot;

import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.SourceContractTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The testkit's contract (stop-and-resume included) on the contacts stream of a sandbox portal. */
class HubspotContractTest extends SourceContractTest {
    private HubSpotSandbox sandbox;
    private HubspotSource source;
    private int appended;

    @BeforeEach
    void start() {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(800).build());
        source = SandboxSupport.source(sandbox);
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
        return SandboxSupport.config(SandboxSupport.settings(sandbox));
    }

    @Override
    protected String streamName() {
        return "contacts";
    }

    @Override
    protected void appendData() {
        var table = sandbox.portal(sandbox.hubIds().get(0)).table(ObjectType.CONTACTS);
        for (int i = 0; i < 3; i++) {
            appended++;
            table.create(Map.of("email", "appended-" + appended + "@example.org", "firstname", "New" + appended),
                    sandbox.clock().now().toEpochMilli(), 2000, "INTEGRATION");
        }
        // past the safety lag, so the next incremental window covers the new records
        sandbox.control().advanceClock(Duration.ofSeconds(HubspotConfig.DEFAULT_SAFETY_LAG_SECONDS + 5));
    }
}
