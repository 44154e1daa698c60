package dev.tributary.scheduler;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens the metadata store the {@code server:} section asks for: embedded H2 under {@code <project>/.tributary/metadata}
 * by default, or {@code server: {metadata: {url: jdbc:postgresql://..., user: ..., password: ${PG_PASSWORD}, schema: tributary_meta}}}.
 */
public final class MetadataStores {
    public static final String DEFAULT_SCHEMA = "tributary_meta";

    private MetadataStores() {}

    public static MetadataStore open(Config serverSection, Path projectDir) {
        Config metadata = serverSection.child("metadata");
        String type = metadata.string("type", "").toLowerCase(java.util.Locale.ROOT);
        String url = metadata.string("url", "");
        String user = metadata.optString("user").orElse(null);
        String password = metadata.optString("password").orElse(null);
        String schema = metadata.string("schema", DEFAULT_SCHEMA);
        String path = metadata.string("path", "");
        List<ConfigException> unknown = metadata.unknownKeys();
        if (!unknown.isEmpty()) throw unknown.get(0);
        if (!List.of("", "embedded", "h2", "postgres", "postgresql").contains(type)) {
            throw metadata.error("type", "unknown store type '" + type + "'; expected embedded or postgres");
        }
        boolean wantsPostgres = type.startsWith("postgres");
        if (wantsPostgres && url.isEmpty()) throw metadata.error("url", "is required for a PostgreSQL metadata store");
        if (!wantsPostgres && !type.isEmpty() && !url.isEmpty()) throw metadata.error("url", "does not apply to the embedded store (type " + type + ")");
        if (url.isEmpty()) {
            if (user != null || password != null || metadata.has("schema")) {
                throw metadata.error("url", "is required with user, password or schema (without it the store is embedded)");
            }
            Path folder = path.isEmpty() ? projectDir.resolve(".tributary").resolve("metadata") : projectDir.resolve(path);
            return JdbcMetadataStore.h2(folder);
        }
        if (!path.isEmpty()) throw metadata.error("path", "applies to the embedded store only, not with url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw metadata.error("url", "expected a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db); leave it out for the embedded store");
        }
        try {
            return JdbcMetadataStore.postgres(url, user, password, schema);
        } catch (IllegalArgumentException e) {
            throw metadata.error("schema", e.getMessage());
        }
    }
}
