package dev.tributary.source.singer;

import dev.tributary.singer.JsonSchemaTypes;
import dev.tributary.singer.SingerMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Catalog;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.SyncMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tap's catalog: found by {@code --discover} (cached in {@code .tributary/singer/<connection>.catalog.json} under the
 * project, reused while the command and settings are unchanged) or read from {@code catalog_path}; turned into
 * Tributary streams, and into the catalog one run of the tap gets, with the project's selection in its metadata.
 */
final class SingerCatalog {
    private static final System.Logger LOG = System.getLogger(SingerCatalog.class.getName());

    private final SingerConfig config;
    private final ObjectNode catalog;

    private SingerCatalog(SingerConfig config, ObjectNode catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    /** The catalog from {@code catalog_path}, the cache, or a discovery run (which refreshes the cache). */
    static SingerCatalog load(SingerConfig config) {
        if (config.catalogFile().isPresent()) {
            Path file = config.catalogFile().get();
            return new SingerCatalog(config, parse(read(file), file.toString()));
        }
        Path cache = cacheFile(config);
        String fingerprint = fingerprint(config);
        if (!config.alwaysDiscover() && Files.isRegularFile(cache)) {
            try {
                JsonNode cached = SingerMessage.JSON.readTree(read(cache));
                if (cached.path("fingerprint").asText().equals(fingerprint) && cached.path("catalog").isObject()) {
                    return new SingerCatalog(config, (ObjectNode) cached.get("catalog"));
                }
                LOG.log(System.Logger.Level.INFO, config.logPrefix() + "the command or settings changed since the catalog was cached; discovering again");
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, config.logPrefix() + "the cached catalog " + cache + " is unreadable (" + e.getMessage() + "); discovering again");
            }
        }
        ObjectNode discovered = discover(config);
        ObjectNode entry = SingerMessage.JSON.createObjectNode();
        entry.put("fingerprint", fingerprint);
        entry.set("catalog", discovered);
        try {
            Files.createDirectories(cache.getParent());
            Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
            Files.writeString(tmp, entry.toPrettyString(), StandardCharsets.UTF_8);
            Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, config.logPrefix() + "cannot cache the catalog in " + cache + ": " + e.getMessage());
        }
        return new SingerCatalog(config, discovered);
    }

    static Path cacheFile(SingerConfig config) {
        return dev.tributary.singer.CatalogCache.file(config.basePath(), config.connection());
    }

    /** Runs {@code tap --config ... --discover} and reads the catalog it prints. */
    static ObjectNode discover(SingerConfig config) {
        StringBuilder out = new StringBuilder();
        try (TapProcess tap = TapProcess.start(config, "discovery", List.of("--discover"), java.util.Arrays.asList((JsonNode) null))) {
            for (String line = tap.readLine(); line != null; line = tap.readLine()) out.append(line).append('\n');
            tap.finish();
        }
        return parse(out.toString(), config.system() + " --discover");
    }

    private static ObjectNode parse(String text, String where) {
        JsonNode n;
        try {
            n = SingerMessage.JSON.readTree(text);
        } catch (IOException e) {
            throw new DataException(where, "the catalog is not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject() || !n.path("streams").isArray()) {
            throw new DataException(where, "the catalog is not an object with a 'streams' list");
        }
        return (ObjectNode) n;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the cached catalog was discovered with: the command and the tap's settings, secrets included (a new account
     * may have other streams). Keyed with a random key of this project's (owner-only file beside the cache), so the
     * cache file gives nobody a way to test guesses of a weak secret offline.
     */
    private static String fingerprint(SingerConfig config) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(fingerprintKey(cacheFile(config).getParent()), "HmacSHA256"));
            mac.update(String.join("\u0000", config.command()).getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(config.tapConfig().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String FINGERPRINT_KEY = "fingerprint.key";

    private static byte[] fingerprintKey(Path folder) {
        Path file = folder.resolve(FINGERPRINT_KEY);
        try {
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(folder);
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Path tmp = Files.createTempFile(folder, FINGERPRINT_KEY, ".tmp", ownerOnly());
                Files.write(tmp, key);
                try {
                    // two processes at once: the first key written wins, the other one reads it
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException lost) {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    Files.deleteIfExists(tmp);
                    if (!Files.isRegularFile(file)) throw e;
                }
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length < 16) throw new IOException("it holds " + key.length + " bytes, not a key; delete it to make a new one");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the catalog cache's key " + file + ": " + e.getMessage(), e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return new java.nio.file.attribute.FileAttribute<?>[0];
        return new java.nio.file.attribute.FileAttribute<?>[] {
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))};
    }

    /** The tap's streams as Tributary streams: key properties, replication key, and the selected properties only. */
    Catalog toCatalog() {
        List<StreamDescriptor> out = new ArrayList<>();
        for (JsonNode s : catalog.get("streams")) {
            String id = streamId(s);
            SingerConfig.StreamChoice choice = config.streams().get(id);
            JsonNode schema = selectedSchema(s, choice);
            Schema columns;
            try {
                columns = JsonSchemaTypes.toSchema(schema, keyProperties(s));
            } catch (IllegalArgumentException e) {
                throw new DataException(config.system() + " catalog", "stream '" + id + "': " + e.getMessage());
            }
            Optional<String> replicationKey = replicationKey(s, choice);
            Set<SyncMode> modes = new LinkedHashSet<>();
            String forced = rootMetadata(s).path("forced-replication-method").asText("");
            if (!forced.equals("INCREMENTAL") && !forced.equals("LOG_BASED")) modes.add(SyncMode.FULL_REFRESH);
            String chosen = choice == null ? "" : choice.replicationMethod().orElse("");
            if (replicationKey.isPresent() || !forced.isEmpty() && !forced.equals("FULL_TABLE") || chosen.equals("INCREMENTAL") || chosen.equals("LOG_BASED")) {
                modes.add(SyncMode.INCREMENTAL);
            }
            if (modes.isEmpty()) modes.add(SyncMode.FULL_REFRESH);
            out.add(new StreamDescriptor(StreamId.of(id), columns, modes, replicationKey.filter(k -> columns.indexOf(k) >= 0)));
        }
        for (String named : config.streams().keySet()) {
            if (out.stream().noneMatch(d -> d.id().name().equals(named))) {
                List<String> known = out.stream().map(d -> d.id().name()).toList();
                throw new DataException("connections." + config.connection() + ".config.streams." + named,
                        "the tap has no stream '" + named + "'; it has: " + String.join(", ", known)
                                + dev.tributary.spi.Config.didYouMean(named, known));
            }
        }
        return new Catalog(out);
    }

    /**
     * The catalog for a run of the tap that reads {@code stream} only: {@code selected}, {@code replication-method} and
     * {@code replication-key} in the stream's metadata, chosen properties selected and the others not; with
     * {@code catalog_flag: properties} also the older top-level and schema {@code selected} flags.
     */
    ObjectNode forRun(ConfiguredStream stream) {
        ObjectNode copy = catalog.deepCopy();
        boolean legacy = config.catalogFlag() == SingerConfig.CatalogFlag.PROPERTIES;
        for (JsonNode s : copy.get("streams")) {
            ObjectNode o = (ObjectNode) s;
            String id = streamId(o);
            boolean selected = id.equals(stream.id().name());
            ObjectNode root = metadataFor(o, List.of());
            root.put("selected", selected);
            if (legacy) {
                o.put("selected", selected);
                if (o.path("schema").isObject()) ((ObjectNode) o.get("schema")).put("selected", selected);
            }
            if (!selected) continue;
            SingerConfig.StreamChoice choice = config.streams().get(id);
            boolean incremental = stream.syncMode() == SyncMode.INCREMENTAL;
            String method = choice != null && choice.replicationMethod().isPresent() && (incremental || choice.replicationMethod().get().equals("FULL_TABLE"))
                    ? choice.replicationMethod().get() : incremental ? "INCREMENTAL" : "FULL_TABLE";
            root.put("replication-method", method);
            Optional<String> key = replicationKey(o, choice);
            if (incremental && key.isPresent()) root.put("replication-key", key.get());
            if (legacy) {
                o.put("replication_method", method);
                if (incremental && key.isPresent()) o.put("replication_key", key.get());
            }
            List<String> chosen = choice == null ? List.of() : choice.properties();
            JsonNode props = o.path("schema").path("properties");
            if (!chosen.isEmpty() && props.isObject()) {
                List<String> always = new ArrayList<>(keyProperties(o));
                key.ifPresent(always::add);
                for (var it = props.fieldNames(); it.hasNext(); ) {
                    String p = it.next();
                    boolean on = chosen.contains(p) || always.contains(p);
                    metadataFor(o, List.of("properties", p)).put("selected", on);
                    if (legacy && props.get(p).isObject()) ((ObjectNode) props.get(p)).put("selected", on);
                }
            }
        }
        return copy;
    }

    private JsonNode selectedSchema(JsonNode s, SingerConfig.StreamChoice choice) {
        JsonNode schema = s.path("schema");
        if (choice == null || choice.properties().isEmpty() || !schema.path("properties").isObject()) return schema;
        ObjectNode copy = schema.deepCopy();
        ObjectNode props = (ObjectNode) copy.get("properties");
        List<String> keep = new ArrayList<>(choice.properties());
        keep.addAll(keyProperties(s));
        replicationKey(s, choice).ifPresent(keep::add);
        for (String p : choice.properties()) {
            if (!schema.path("properties").has(p)) {
                List<String> known = new ArrayList<>();
                schema.path("properties").fieldNames().forEachRemaining(known::add);
                throw new DataException("connections." + config.connection() + ".config.streams." + streamId(s) + ".properties",
                        "stream '" + streamId(s) + "' has no property '" + p + "'" + dev.tributary.spi.Config.didYouMean(p, known));
            }
        }
        props.retain(keep);
        return copy;
    }

    static String streamId(JsonNode s) {
        String id = s.path("tap_stream_id").asText(s.path("stream").asText(""));
        if (id.isBlank()) throw new DataException("catalog", "a stream has neither 'tap_stream_id' nor 'stream'");
        return id;
    }

    private static List<String> keyProperties(JsonNode s) {
        JsonNode k = rootMetadata(s).get("table-key-properties");
        if (k == null || !k.isArray()) k = s.get("key_properties");
        List<String> out = new ArrayList<>();
        if (k != null && k.isArray()) k.forEach(e -> out.add(e.asText()));
        return out;
    }

    private Optional<String> replicationKey(JsonNode s, SingerConfig.StreamChoice choice) {
        if (choice != null && choice.replicationKey().isPresent()) {
            // a key the stream does not have would turn incremental on while the tap has nothing to bookmark on
            String key = choice.replicationKey().get();
            JsonNode props = s.path("schema").path("properties");
            if (!props.has(key)) {
                List<String> known = new ArrayList<>();
                props.fieldNames().forEachRemaining(known::add);
                throw new DataException("connections." + config.connection() + ".config.streams." + streamId(s) + ".replication_key",
                        "stream '" + streamId(s) + "' has no property '" + key + "'" + (known.isEmpty() ? " (its schema lists no properties)"
                                : dev.tributary.spi.Config.didYouMean(key, known) + "; it has: " + String.join(", ", known)));
            }
            return choice.replicationKey();
        }
        JsonNode root = rootMetadata(s);
        if (root.hasNonNull("replication-key")) return Optional.of(root.get("replication-key").asText());
        if (s.hasNonNull("replication_key")) return Optional.of(s.get("replication_key").asText());
        JsonNode valid = root.path("valid-replication-keys");
        if (valid.isArray() && valid.size() > 0) return Optional.of(valid.get(0).asText());
        return Optional.empty();
    }

    private static JsonNode rootMetadata(JsonNode s) {
        for (JsonNode m : s.path("metadata")) {
            if (m.path("breadcrumb").isArray() && m.path("breadcrumb").isEmpty()) return m.path("metadata");
        }
        return SingerMessage.JSON.createObjectNode();
    }

    private static ObjectNode metadataFor(ObjectNode s, List<String> breadcrumb) {
        ArrayNode all = s.path("metadata").isArray() ? (ArrayNode) s.get("metadata") : s.putArray("metadata");
        for (JsonNode m : all) {
            List<String> b = new ArrayList<>();
            m.path("breadcrumb").forEach(e -> b.add(e.asText()));
            if (b.equals(breadcrumb) && m.path("metadata").isObject()) return (ObjectNode) m.get("metadata");
        }
        ObjectNode entry = all.addObject();
        ArrayNode b = entry.putArray("breadcrumb");
        breadcrumb.forEach(b::add);
        return entry.putObject("metadata");
    }
}
