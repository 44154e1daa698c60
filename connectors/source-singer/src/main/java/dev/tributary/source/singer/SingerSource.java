package dev.tributary.source.singer;

import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs any Singer tap as a source ({@code type: singer}): discovery with {@code --discover} (cached per project),
 * one run of the tap per selected stream with that stream selected in its catalog and its last committed STATE as
 * {@code --state}, and the tap's messages turned into checkpointed batches (see {@link SingerStreamReader}).
 */
public final class SingerSource implements Source {
    private static final ConnectorSpec SPEC = new ConnectorSpec("singer",
            "any Singer tap: discover, select streams and properties, resume from the committed STATE",
            List.of(
                    new ConnectorSpec.Setting("command", true, false, "the tap's executable and arguments, e.g. [.venv/bin/tap-xero]"),
                    new ConnectorSpec.Setting("config", false, true, "the tap's own settings (with ${VAR}s), written to a private temporary --config file"),
                    new ConnectorSpec.Setting("base_path", false, false, "folder the tap runs in and the catalog cache lives under (default: the project folder)"),
                    new ConnectorSpec.Setting("catalog_flag", false, false, "catalog (default) or properties, for older taps that take --properties"),
                    new ConnectorSpec.Setting("discovery", false, false, "cached (default: rediscover when command or config change) or always"),
                    new ConnectorSpec.Setting("catalog_path", false, false, "use this catalog file instead of running --discover"),
                    new ConnectorSpec.Setting("silence_timeout_seconds", false, false, "end a tap that writes nothing for this long (default "
                            + SingerConfig.DEFAULT_SILENCE_SECONDS + ")"),
                    new ConnectorSpec.Setting("batch_size", false, false, "records per batch at most (default " + SingerConfig.DEFAULT_BATCH_SIZE + ")"),
                    new ConnectorSpec.Setting("streams", false, false, "per stream: properties to select, replication_key, replication_method")),
            Set.of(ConnectorSpec.Capability.INCREMENTAL));

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public void validate(Config config) {
        SingerConfig.from(config);
    }

    @Override
    public CheckResult check(Config config) {
        SingerConfig c = SingerConfig.from(config);
        String exe = c.requireCommand().get(0);
        Path p = c.basePath().resolve(exe);
        if (exe.contains("/") && !Files.isExecutable(p)) return CheckResult.failed(c.logPrefix() + exe + " is not an executable file (in " + c.basePath() + ")");
        try {
            Catalog catalog = SingerCatalog.load(c).toCatalog();
            return CheckResult.ok(c.system() + " offers " + catalog.streams().size() + " streams");
        } catch (RuntimeException e) {
            return CheckResult.failed(e.getMessage());
        }
    }

    @Override
    public Catalog discover(Config config) {
        SingerConfig c = SingerConfig.from(config);
        return SingerCatalog.load(c).toCatalog();
    }

    @Override
    public StreamReader read(Config config, ConfiguredStream stream, Optional<StreamState> resumeFrom) {
        SingerConfig c = SingerConfig.from(config);
        return new SingerStreamReader(c, SingerCatalog.load(c), stream, resumeFrom);
    }
}
