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

    /** The store of a serve process: the embedded one is shared with CLI commands through a loopback TCP server. */
    public static MetadataStore open(Config serverSection, Path projectDir) {
        return open(serverSection, projectDir, true);
    }

    /**
     * The store as a CLI command uses it to record its run: through a running serve's shared H2 store, else the
     * embedded file opened only while writing; PostgreSQL as configured.
     */
    public static MetadataStore openForCommand(Config serverSection, Path projectDir) {
        return open(serverSection, projectDir, false);
    }

    /** Checks {@code server.metadata} as opening would, without opening anything (for {@code tributary check}). */
    public static void validate(Config serverSection) {
        open(serverSection, Path.of("."), null);
    }

    /** serve: true for serve's shared store, false for a CLI command's, null to validate only (returns null). */
    private static MetadataStore open(Config serverSection, Path projectDir, Boolean serve) {
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
            if (serve == null) return null;
            Path folder = path.isEmpty() ? projectDir.resolve(".tributary").resolve("metadata") : projectDir.resolve(path);
            return serve ? JdbcMetadataStore.h2Shared(folder) : JdbcMetadataStore.h2Client(folder);
        }
        if (!path.isEmpty()) throw metadata.error("path", "applies to the embedded store only, not with url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw metadata.error("url", "expected a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db); leave it out for the embedded store");
        }
        if (serve == null) {
            if (!schema.matches("[a-z_][a-z0-9_]*")) throw metadata.error("schema", "schema names are lower-case letters, digits and '_': '" + schema + "'");
            return null;
        }
        try {
            return JdbcMetadataStore.postgres(url, user, password, schema);
        } catch (IllegalArgumentException e) {
            throw metadata.error("schema", e.getMessage());
        }
    }
}
