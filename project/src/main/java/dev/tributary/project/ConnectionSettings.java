package dev.tributary.project;

import dev.tributary.spi.Config;
import dev.tributary.spi.ErrorPolicy;
import java.util.Map;

/**
 * A connection in {@code tributary.yml}: the source type and its settings, the schema its tables land in, and
 * per-stream settings. With {@code select: all} (the default) every discovered stream syncs; with
 * {@code select: listed} only the streams listed under {@code streams}. With {@code multi_tenant: true} it is a
 * template: each tenant of the project's app (see {@code app:}) syncs through its own copy ({@link TenantConnections}).
 */
public record ConnectionSettings(
        String name,
        String type,
        Config config,
        String schema,
        boolean selectAll,
        ErrorPolicy onError,
        Map<String, StreamSettings> streams,
        String location,
        boolean multiTenant) {
    public ConnectionSettings {
        streams = Map.copyOf(streams);
    }

    public ConnectionSettings(String name, String type, Config config, String schema, boolean selectAll, ErrorPolicy onError,
                              Map<String, StreamSettings> streams, String location) {
        this(name, type, config, schema, selectAll, onError, streams, location, false);
    }
}
