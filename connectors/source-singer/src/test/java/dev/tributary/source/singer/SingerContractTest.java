package dev.tributary.source.singer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.SourceContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The source contract (stop and resume with no gap and no duplicate, ...) over a real python3 tap process. */
class SingerContractTest extends SourceContractTest {
    @TempDir
    Path dir;

    private TapHarness harness;
    private int total = 10;

    @BeforeEach
    void harness() {
        harness = new TapHarness(dir);
    }

    @Override
    protected Source source() {
        return harness.source;
    }

    @Override
    protected Config config() {
        ObjectNode settings = harness.settings(TapHarness.tap("good").put("total", total).put("state_every", 3).put("fixed_time", true));
        settings.put("batch_size", 1); // every STATE in a batch of its own, so the contract can stop after each
        return harness.config(settings);
    }

    @Override
    protected String streamName() {
        return "users";
    }

    @Override
    protected void appendData() {
        total += 5;
    }
}
