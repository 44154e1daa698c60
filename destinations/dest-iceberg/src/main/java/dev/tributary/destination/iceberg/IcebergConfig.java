package dev.tributary.destination.iceberg;

import static java.util.Objects.requireNonNull;

import dev.tributary.spi.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of an {@code iceberg} destination, read from its {@link Config}:
 *
 * <pre>
 * destination:
 *   type: iceberg
 *   warehouse: lakehouse               # a folder (relative to the project) or s3://bucket/prefix
 *   s3: {endpoint: http://127.0.0.1:9000, region: us-east-1, path_style: true,
 *        access_key_id: ${AWS_ACCESS_KEY_ID}, secret_access_key: ${AWS_SECRET_ACCESS_KEY}}
 *   catalog: {type: embedded}          # embedded (SQLite file) | jdbc | rest | glue
 *   tables:
 *     hubspot.contacts: {partition_by: [day(createdate), bucket(16, id)], properties: {write.target-file-size-bytes: 134217728}}
 * </pre>
 *
 * Relative paths ({@code warehouse}, {@code catalog.path}) are relative to the project folder given to
 * {@link #parse(Config, Path)}.
 */
public record IcebergConfig(String warehouse, Optional<S3Settings> s3, CatalogSettings catalog, Map<String, TableSettings> tables) {
    public static final String DEFAULT_WAREHOUSE = "lakehouse";
    public static final String EMBEDDED_CATALOG_FILE = "catalog.sqlite";

    public IcebergConfig {
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(s3, "s3 is null");
        requireNonNull(catalog, "catalog is null");
        tables = Map.copyOf(tables);
    }

    /** Where data and metadata live is an S3 bucket ({@code s3://} or {@code s3a://}) rather than a local folder. */
    public boolean isS3() {
        return isS3(warehouse);
    }

    static boolean isS3(String location) {
        String l = location.toLowerCase(Locale.ROOT);
        return l.startsWith("s3://") || l.startsWith("s3a://");
    }

    /** The local warehouse folder; only when {@link #isS3()} is false. */
    public Path localWarehouse() {
        if (isS3()) throw new IllegalStateException("the warehouse " + warehouse + " is not a local folder");
        return Path.of(warehouse);
    }

    /** The table settings of a connection's stream ({@code tables: {connection.stream: ...}}), or none. */
    public TableSettings tableSettings(String connection, String stream) {
        TableSettings t = tables.get(connection + "." + stream);
        return t == null ? TableSettings.NONE : t;
    }

    /** Reads the destination's settings; {@code projectDir} anchors relative paths. */
    public static IcebergConfig parse(Config config, Path projectDir) {
        String warehouse = config.string("warehouse", DEFAULT_WAREHOUSE).trim();
        if (warehouse.isEmpty()) throw config.error("warehouse", "is empty; give a folder (default " + DEFAULT_WAREHOUSE + ") or s3://bucket/prefix");
        String lower = warehouse.toLowerCase(Locale.ROOT);
        if (isS3(warehouse)) {
            String rest = warehouse.substring(warehouse.indexOf("://") + 3);
            if (rest.isEmpty() || rest.startsWith("/")) throw config.error("warehouse", "'" + warehouse + "' names no bucket; expected s3://bucket/prefix");
            warehouse = "s3://" + stripTrailingSlash(rest);
        } else if (lower.matches("^[a-z][a-z0-9+.-]*://.*") && !lower.startsWith("file://")) {
            throw config.error("warehouse", "'" + warehouse + "' is not supported: give a local folder or s3://bucket/prefix");
        } else {
            String local = lower.startsWith("file://") ? warehouse.substring("file://".length()) : warehouse;
            warehouse = projectDir.resolve(local).toAbsolutePath().normalize().toString();
        }
        Optional<S3Settings> s3 = Optional.empty();
        if (config.has("s3")) {
            s3 = Optional.of(S3Settings.parse(config.child("s3")));
        } else if (isS3(warehouse)) {
            s3 = Optional.of(S3Settings.parse(Config.empty()));
        }
        if (s3.isPresent() && !isS3(warehouse)) throw config.error("s3", "is set but warehouse " + warehouse + " is a local folder; use warehouse: s3://bucket/prefix");
        CatalogSettings catalog = CatalogSettings.parse(config.child("catalog"), projectDir, warehouse);
        Map<String, TableSettings> tables = new LinkedHashMap<>();
        for (Map.Entry<String, Config> e : config.entries("tables").entrySet()) {
            if (!e.getKey().contains(".")) {
                throw config.child("tables").error(e.getKey(), "expected connection.stream (such as hubspot.contacts), got '" + e.getKey() + "'");
            }
            tables.put(e.getKey(), TableSettings.parse(e.getValue()));
        }
        return new IcebergConfig(warehouse, s3, catalog, tables);
    }

    private static String stripTrailingSlash(String s) {
        String out = s;
        while (out.endsWith("/")) out = out.substring(0, out.length() - 1);
        return out;
    }

    /** S3 access: endpoint (for S3-compatible stores), region, path-style addressing and static credentials. */
    public record S3Settings(Optional<String> endpoint, String region, boolean pathStyle, Optional<String> accessKeyId,
            Optional<String> secretAccessKey, Optional<String> sessionToken) {
        public S3Settings {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(region, "region is null");
        }

        static S3Settings parse(Config c) {
            Optional<String> key = c.optString("access_key_id").filter(s -> !s.isBlank());
            Optional<String> secret = c.optString("secret_access_key").filter(s -> !s.isBlank());
            if (key.isPresent() != secret.isPresent()) {
                throw c.error(key.isPresent() ? "secret_access_key" : "access_key_id",
                        "is missing: give both access_key_id and secret_access_key, or neither (then the AWS SDK finds credentials: environment, profile, instance)");
            }
            String region = c.string("region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
            return new S3Settings(c.optString("endpoint").filter(s -> !s.isBlank()), region, c.bool("path_style", false), key, secret,
                    c.optString("session_token").filter(s -> !s.isBlank()));
        }

        @Override
        public String toString() {
            return "S3Settings[endpoint=" + endpoint.orElse("(AWS)") + ", region=" + region + ", pathStyle=" + pathStyle
                    + ", credentials=" + (accessKeyId.isPresent() ? "static" : "default chain") + "]";
        }
    }

    public enum CatalogType {
        /** A SQLite file (Iceberg's JDBC catalog) next to the data; one machine. */
        EMBEDDED,
        /** Iceberg's JDBC catalog on a shared database (PostgreSQL). */
        JDBC,
        /** An Iceberg REST catalog; passed through to Iceberg, not exercised by Tributary's tests. */
        REST,
        /** AWS Glue; passed through to Iceberg, not exercised by Tributary's tests (needs the AWS Glue SDK jar). */
        GLUE
    }

    /**
     * Which catalog keeps the tables' current metadata pointers. {@code sqliteFile} for EMBEDDED; {@code url}, {@code user},
     * {@code password} for JDBC; {@code properties} are handed to Iceberg as they are (REST's {@code uri}, {@code credential}...).
     */
    public record CatalogSettings(CatalogType type, String name, Optional<Path> sqliteFile, Optional<String> url, Optional<String> user,
            Optional<String> password, Map<String, String> properties) {
        public CatalogSettings {
            requireNonNull(type, "type is null");
            requireNonNull(name, "name is null");
            properties = Map.copyOf(properties);
        }

        static CatalogSettings parse(Config c, Path projectDir, String warehouse) {
            CatalogType type = c.enumValue("type", CatalogType.class, CatalogType.EMBEDDED);
            String name = c.string("name", "tributary");
            Map<String, String> properties = c.stringMap("properties");
            Optional<Path> file = Optional.empty();
            Optional<String> url = Optional.empty();
            Optional<String> user = Optional.empty();
            Optional<String> password = Optional.empty();
            switch (type) {
                case EMBEDDED -> {
                    Path defaultFile = isS3(warehouse)
                            ? projectDir.resolve("lakehouse-" + EMBEDDED_CATALOG_FILE)
                            : Path.of(warehouse).resolve(EMBEDDED_CATALOG_FILE);
                    file = Optional.of(c.optString("path").map(p -> projectDir.resolve(p)).orElse(defaultFile).toAbsolutePath().normalize());
                }
                case JDBC -> {
                    url = Optional.of(c.string("url"));
                    if (!url.get().startsWith("jdbc:postgresql:") && !url.get().startsWith("jdbc:sqlite:")) {
                        throw c.error("url", "expected a jdbc:postgresql:// URL (or jdbc:sqlite:), got '" + CatalogUrls.redact(url.get()) + "'");
                    }
                    user = c.optString("user");
                    password = c.optString("password");
                }
                case REST -> {
                    if (!properties.containsKey("uri")) url = Optional.of(c.string("uri"));
                }
                case GLUE -> {
                    // everything Glue takes goes through properties
                }
            }
            return new CatalogSettings(type, name, file, url, user, password, properties);
        }

        @Override
        public String toString() {
            return "CatalogSettings[type=" + type + ", name=" + name + sqliteFile.map(f -> ", file=" + f).orElse("") + url.map(u -> ", url=" + CatalogUrls.redact(u)).orElse("")
                    + user.map(u -> ", user=" + u).orElse("") + (password.isPresent() ? ", password=***" : "") + "]";
        }
    }

    /** A table's partition spec ({@code identity}, {@code day(col)}, {@code month(col)}, {@code bucket(n, col)}...) and Iceberg properties. */
    public record TableSettings(List<String> partitionBy, Map<String, String> properties) {
        public static final TableSettings NONE = new TableSettings(List.of(), Map.of());

        public TableSettings {
            partitionBy = List.copyOf(partitionBy);
            properties = Map.copyOf(properties);
        }

        static TableSettings parse(Config c) {
            List<String> partitionBy = c.stringList("partition_by");
            for (String p : partitionBy) PartitionSpecs.parseTerm(p, c, "partition_by");
            Map<String, String> properties = c.stringMap("properties");
            for (String owned : TableFactory.OWNED_PROPERTIES.keySet()) {
                if (properties.containsKey(owned)) {
                    throw c.child("properties").error(owned, "is set by Tributary and cannot be changed ("
                            + TableFactory.OWNED_PROPERTIES.get(owned) + ")");
                }
            }
            return new TableSettings(partitionBy, properties);
        }
    }
}
