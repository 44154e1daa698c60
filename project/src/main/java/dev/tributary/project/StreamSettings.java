package dev.tributary.project;

import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.util.List;
import java.util.Optional;

/** What a project says about one stream of a connection; anything left empty takes the connector's default. */
public record StreamSettings(
        String name,
        boolean selected,
        Optional<SyncMode> syncMode,
        Optional<WriteMode> writeMode,
        Optional<List<String>> primaryKey,
        Optional<ErrorPolicy> onError,
        Optional<String> table,
        String location) {}
