package dev.tributary.destination.iceberg;

import dev.tributary.destination.iceberg.IcebergConfig.CatalogSettings;
import dev.tributary.destination.iceberg.IcebergConfig.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;

/** Opens the catalog an {@link IcebergConfig} names, with the FileIO for its warehouse. */
public final class IcebergCatalogs {
    static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";
    static final String GLUE_CATALOG = "org.apache.iceberg.aws.glue.GlueCatalog";

    private IcebergCatalogs() {}

    /**
     * Opens (creating when missing: the warehouse folder, the embedded SQLite file, the JDBC catalog's tables) the
     * catalog of {@code config}. {@code projectDir} anchors relative paths that {@link IcebergConfig#parse} left relative.
     */
    public static LakehouseCatalog open(IcebergConfig config, Path projectDir) {
        Map<String, String> props = new HashMap<>(fileIoProperties(config));
        props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouseLocation(config, projectDir));
        CatalogSettings c = config.catalog();
        Catalog catalog = switch (c.type()) {
            case EMBEDDED -> {
                Path file = projectDir.resolve(c.sqliteFile().orElseThrow()).toAbsolutePath().normalize();
                createFolder(file.getParent(), "the embedded catalog's folder");
                if (!config.isS3()) createFolder(Path.of(props.get(CatalogProperties.WAREHOUSE_LOCATION)), "the warehouse folder");
                props.put(CatalogProperties.URI, "jdbc:sqlite:" + file);
                // one connection: SQLite serialises writers anyway, and a pool would only add "database is locked" retries
                props.put(CatalogProperties.CLIENT_POOL_SIZE, "1");
                props.putAll(c.properties());
                yield jdbc(c.name(), props);
            }
            case JDBC -> {
                if (!config.isS3()) createFolder(Path.of(props.get(CatalogProperties.WAREHOUSE_LOCATION)), "the warehouse folder");
                props.put(CatalogProperties.URI, c.url().orElseThrow());
                c.user().ifPresent(u -> props.put("jdbc.user", u));
                c.password().ifPresent(p -> props.put("jdbc.password", p));
                props.putAll(c.properties());
                yield jdbc(c.name(), props);
            }
            case REST -> {
                props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, CatalogUtil.ICEBERG_CATALOG_TYPE_REST);
                c.url().ifPresent(u -> props.put(CatalogProperties.URI, u));
                props.putAll(c.properties());
                yield CatalogUtil.buildIcebergCatalog(c.name(), props, null);
            }
            case GLUE -> {
                try {
                    Class.forName("software.amazon.awssdk.services.glue.GlueClient");
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("catalog type glue needs the AWS SDK's Glue client (software.amazon.awssdk:glue) on the class path; "
                            + "Tributary does not bundle it: add the jar to the class path or use catalog type rest or jdbc");
                }
                props.put(CatalogProperties.CATALOG_IMPL, GLUE_CATALOG);
                props.putAll(c.properties());
                yield CatalogUtil.buildIcebergCatalog(c.name(), props, null);
            }
        };
        return new LakehouseCatalog(catalog, fileIo(config), config);
    }

    /** A FileIO for the warehouse of {@code config}, on its own (for reading data files outside a table). */
    public static FileIO fileIo(IcebergConfig config) {
        Map<String, String> props = fileIoProperties(config);
        return CatalogUtil.loadFileIO(props.get(CatalogProperties.FILE_IO_IMPL), props, null);
    }

    /** The warehouse as Iceberg locations spell it: an absolute path, or s3://bucket/prefix. */
    static String warehouseLocation(IcebergConfig config, Path projectDir) {
        if (config.isS3()) return config.warehouse();
        return projectDir.resolve(config.warehouse()).toAbsolutePath().normalize().toString();
    }

    static Map<String, String> fileIoProperties(IcebergConfig config) {
        Map<String, String> props = new HashMap<>();
        if (!config.isS3()) {
            props.put(CatalogProperties.FILE_IO_IMPL, NioFileIO.class.getName());
            return props;
        }
        props.put(CatalogProperties.FILE_IO_IMPL, S3_FILE_IO);
        S3Settings s3 = config.s3().orElseThrow();
        s3.endpoint().ifPresent(e -> props.put("s3.endpoint", e));
        props.put("s3.path-style-access", Boolean.toString(s3.pathStyle()));
        props.put("client.region", s3.region());
        s3.accessKeyId().ifPresent(k -> props.put("s3.access-key-id", k));
        s3.secretAccessKey().ifPresent(k -> props.put("s3.secret-access-key", k));
        s3.sessionToken().ifPresent(k -> props.put("s3.session-token", k));
        // the JDK's HttpURLConnection: the lightest HTTP client the SDK has (no Netty, no Apache client in the jar)
        props.put("http-client.type", "urlconnection");
        return props;
    }

    private static JdbcCatalog jdbc(String name, Map<String, String> props) {
        props.put("jdbc.schema-version", "V1");
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.initialize(name, props);
        return catalog;
    }

    private static void createFolder(Path dir, String what) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + what + " " + dir + ": " + e.getMessage(), e);
        }
    }
}
