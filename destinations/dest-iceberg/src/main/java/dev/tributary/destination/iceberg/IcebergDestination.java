package dev.tributary.destination.iceberg;

import dev.tributary.destination.iceberg.IcebergConfig.CatalogSettings;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.ConnectorSpec.Capability;
import dev.tributary.spi.ConnectorSpec.Setting;
import dev.tributary.spi.Destination;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The lakehouse: Apache Iceberg tables (format v2, Parquet) on a local folder or S3, with the catalog in an embedded
 * SQLite file by default. Settings: see {@link IcebergConfig}.
 */
public final class IcebergDestination implements Destination {
    private static final ConnectorSpec SPEC = new ConnectorSpec("iceberg",
            "Iceberg lakehouse on a folder or S3: data and stream state in one snapshot per commit",
            List.of(new Setting("warehouse", false, false, "a folder (default " + IcebergConfig.DEFAULT_WAREHOUSE + " in the project) or s3://bucket/prefix"),
                    new Setting("s3", false, false, "endpoint, region, path_style, access_key_id, secret_access_key, session_token"),
                    new Setting("catalog", false, false, "type: embedded (SQLite file, default) | jdbc (url, user, password) | rest | glue; name; properties"),
                    new Setting("tables", false, false, "per connection.stream: partition_by (col, day(col), month(col), bucket(n, col)...), properties")),
            Set.of(Capability.MERGE, Capability.OVERWRITE, Capability.SOFT_DELETE, Capability.SCHEMA_EVOLUTION, Capability.REJECTS,
                    Capability.RECONCILE));

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public IcebergSession open(Config config) {
        Path base = Path.of("").toAbsolutePath();
        IcebergConfig settings = IcebergConfig.parse(config, base);
        return open(settings, base);
    }

    /** Opens the lakehouse of already parsed settings. */
    public static IcebergSession open(IcebergConfig settings, Path projectDir) {
        LakehouseCatalog lake;
        try {
            lake = IcebergCatalogs.open(settings, projectDir);
        } catch (RuntimeException e) {
            // "Failed to connect: jdbc:postgresql://...?password=..." (Iceberg's JdbcClientPool) must not show the password
            throw CatalogUrls.redacted(e);
        }
        try {
            return new IcebergSession(lake, locksFor(settings, projectDir));
        } catch (RuntimeException e) {
            lake.close();
            throw CatalogUrls.redacted(e);
        }
    }

    static WriterLocks locksFor(IcebergConfig settings, Path projectDir) {
        CatalogSettings c = settings.catalog();
        return switch (c.type()) {
            case EMBEDDED -> WriterLocks.files(c.sqliteFile().orElseThrow().getParent().resolve("locks"));
            case JDBC -> {
                if (c.url().orElseThrow().startsWith("jdbc:postgresql:")) {
                    Properties p = new Properties();
                    c.user().ifPresent(u -> p.setProperty("user", u));
                    c.password().ifPresent(pw -> p.setProperty("password", pw));
                    yield WriterLocks.postgres(c.url().get(), p, c.name());
                }
                yield WriterLocks.files(Path.of(c.url().get().substring("jdbc:sqlite:".length())).toAbsolutePath().getParent().resolve("locks"));
            }
            // a REST or Glue catalog offers no lock Tributary can use: writers on this machine exclude each other
            case REST, GLUE -> WriterLocks.files(projectDir.resolve(".tributary").resolve("lakehouse-locks"));
        };
    }
}
