package dev.tributary.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.CheckpointPolicy;
import dev.tributary.engine.SyncOptions;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.Destination;
import dev.tributary.spi.Source;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Tributary project: a folder with {@code tributary.yml} (and optionally {@code .env}). Loading checks the
 * project's own keys at once, naming file, key and line; each connector's settings are checked by the connector
 * when it first reads them (see {@link #assertNoUnknownKeys(Config)}).
 */
public final class Project {
    public static final String FILE_NAME = "tributary.yml";
    /** Top-level sections read by other modules (scheduler, server), each handed over whole. */
    public static final List<String> SECTIONS = List.of("pipelines", "scheduler", "alerts", "server", "app");
    private final Map<String, Config> sections;
    private Environment environment;

    private final Path dir;
    private final String name;
    private final YamlDocument document;
    private final String destinationType;
    private final Config destinationConfig;
    private final Map<String, ConnectionSettings> connections;
    private final SyncOptions syncOptions;
    private Connectors connectors;

    private Project(Path dir, String name, YamlDocument document, String destinationType, Config destinationConfig,
                    Map<String, ConnectionSettings> connections, SyncOptions syncOptions, Map<String, Config> sections) {
        this.sections = sections;
        this.dir = dir;
        this.name = name;
        this.document = document;
        this.destinationType = destinationType;
        this.destinationConfig = destinationConfig;
        this.connections = connections;
        this.syncOptions = syncOptions;
    }

    public static Project load(Path dir, Connectors connectors) {
        return load(dir, System.getenv(), connectors);
    }

    /**
     * Loads the project and checks every connector's settings for keys the connector does not take before any source
     * or the warehouse is touched: the first is thrown, saying how many more there are ({@code tributary check} lists
     * them all). A bad value (a missing token, say) is reported when that connection is used ({@link #validateConnection}),
     * so one connection's missing secret does not stop commands that do not use it.
     */
    public static Project load(Path dir, Map<String, String> processEnvironment, Connectors connectors) {
        Project project = loadWithoutConnectorValidation(dir, processEnvironment, connectors);
        List<ConfigException> problems = new ArrayList<>();
        project.connectorProblems(problems, null);
        if (problems.size() == 1) throw problems.get(0);
        if (!problems.isEmpty()) {
            ConfigException first = problems.get(0);
            int more = problems.size() - 1;
            throw new ConfigException(first.location(), first.path(), first.getMessage().substring(prefixLength(first))
                    + " (and " + more + " more problem" + (more == 1 ? "" : "s") + " in the connector settings; 'tributary check' lists them all)");
        }
        return project;
    }

    private static int prefixLength(ConfigException e) {
        int n = 0;
        if (!e.location().isEmpty()) n += e.location().length() + 2;
        if (!e.path().isEmpty()) n += e.path().length() + 2;
        return n;
    }

    /**
     * Loads the project checking its own keys but not the connectors' settings, for {@code tributary check}, which
     * lists every problem through {@link #connectorProblems()}.
     */
    public static Project loadWithoutConnectorValidation(Path dir, Map<String, String> processEnvironment, Connectors connectors) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path file = absolute.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ProjectException("no " + FILE_NAME + " in " + absolute + " (run 'tributary init' to create a project, or pass --project DIR)");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProjectException(FILE_NAME + ": cannot be read: " + e.getMessage());
        }
        Environment env = Environment.forProject(absolute, processEnvironment);
        YamlDocument doc = YamlDocument.parse(FILE_NAME, text, env);
        if (!doc.root().isObject()) throw new ConfigException(FILE_NAME + ":1", "", "expected a mapping with destination and connections");
        resolveRelativePaths(doc.root(), absolute);
        Config root = doc.config();
        if (doc.root().path("app").path("client_secret").isTextual() && !doc.fromEnvironment("app.client_secret")) {
            throw new ConfigException(doc.locate("app.client_secret"), "app.client_secret", "the app's client secret is never written in "
                    + FILE_NAME + ": write ${HUBSPOT_APP_CLIENT_SECRET} and set that variable in the environment or .env");
        }

        String projectName = root.string("name", absolute.getFileName() == null ? "project" : absolute.getFileName().toString());
        Config destination = root.detached("destination");
        String destinationType = destination.string("type", "duckdb");
        connectors.destination(destinationType, destination, "type");
        if (!destination.has("path") && destinationType.equals("duckdb")) {
            ((ObjectNode) ensureObject(doc.root(), "destination")).put("path", absolute.resolve("warehouse.duckdb").toString());
            destination = doc.config().detached("destination");
            destination.string("type", "duckdb");
        }
        if (destinationType.equals("iceberg") && resolveLakehousePaths((ObjectNode) ensureObject(doc.root(), "destination"), absolute)) {
            destination = doc.config().detached("destination");
            destination.string("type", "iceberg");
        }

        Map<String, ConnectionSettings> connections = new LinkedHashMap<>();
        for (Map.Entry<String, Config> e : root.entries("connections").entrySet()) {
            connections.put(e.getKey(), connection(e.getKey(), e.getValue(), doc, connectors, absolute));
        }
        SyncOptions options = syncOptions(root.child("settings"));
        // Pipelines, alerts and the server are read by the scheduler and server, which answer for the keys inside.
        Map<String, Config> sections = new LinkedHashMap<>();
        for (String key : SECTIONS) sections.put(key, root.detached(key));
        // Top-level keys starting with "x-" are the user's own (as in Compose files), e.g. to hold YAML anchors.
        root.keys().stream().filter(k -> k.startsWith("x-")).forEach(root::has);
        List<ConfigException> unknown = root.unknownKeys();
        if (!unknown.isEmpty()) throw unknown.get(0);
        Project loaded = new Project(absolute, projectName, doc, destinationType, destination, connections, options, sections);
        loaded.environment = env;
        loaded.connectors = connectors;
        return loaded;
    }

    private static JsonNode ensureObject(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isObject()) n = ((ObjectNode) root).putObject(key);
        return n;
    }

    private static ConnectionSettings connection(String name, Config c, YamlDocument doc, Connectors connectors, Path dir) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw c.error("connection names are letters, digits and underscores, starting with a letter: '" + name + "'");
        }
        if (!c.has("type")) {
            // "typ: files" is a misspelt key, not a connection without a type
            for (String k : c.keys()) {
                if (!Config.didYouMean(k, List.of("type")).isEmpty()) throw c.error(k, "unknown key" + Config.didYouMean(k, List.of("type")));
            }
        }
        String type = c.string("type");
        boolean wantsBasePath = connectors.source(type, c, "type").spec().settings().stream().anyMatch(s -> s.name().equals("base_path"));
        boolean multiTenant = c.bool("multi_tenant", false);
        if (multiTenant) TenantConnections.prepareTemplate(name, type, c, doc);
        Config config = c.detached("config");
        if (wantsBasePath && !config.has("base_path")) {
            // A source that reads files finds them relative to the project folder unless told otherwise.
            ((ObjectNode) ensureObject(doc.root().path("connections").path(name), "config")).put("base_path", dir.toString());
            config = Config.of(doc.root().path("connections").path(name).path("config"), c.path() + ".config", doc::locate);
        }
        String schema = c.string("schema", name);
        String select = c.string("select", "all");
        if (!select.equals("all") && !select.equals("listed")) throw c.error("select", "expected 'all' or 'listed', got '" + select + "'");
        ErrorPolicy onError = c.enumValue("on_error", ErrorPolicy.class, ErrorPolicy.FAIL);
        Map<String, StreamSettings> streams = new LinkedHashMap<>();
        Config streamsConfig = c.child("streams");
        for (String streamName : streamsConfig.keys()) {
            Config s = streamsConfig.child(streamName);
            Optional<List<String>> key = s.has("primary_key") ? Optional.of(s.stringList("primary_key")) : Optional.empty();
            streams.put(streamName, new StreamSettings(streamName,
                    s.bool("selected", true),
                    s.has("sync_mode") ? Optional.of(s.enumValue("sync_mode", SyncMode.class, SyncMode.INCREMENTAL)) : Optional.empty(),
                    s.has("write_mode") ? Optional.of(s.enumValue("write_mode", WriteMode.class, WriteMode.APPEND)) : Optional.empty(),
                    key,
                    s.has("on_error") ? Optional.of(s.enumValue("on_error", ErrorPolicy.class, ErrorPolicy.FAIL)) : Optional.empty(),
                    s.optString("table"),
                    doc.locate(s.path())));
        }
        return new ConnectionSettings(name, type, config, schema, select.equals("all"), onError, streams, doc.locate(c.path()), multiTenant);
    }

    private static SyncOptions syncOptions(Config s) {
        SyncOptions d = SyncOptions.defaults();
        int parallel = s.intValue("max_parallel_streams", d.maxParallelStreams());
        if (parallel < 1) throw s.error("max_parallel_streams", "must be at least 1");
        long everyRecords = s.longValue("checkpoint_every_records", CheckpointPolicy.DEFAULT_RECORDS);
        long everySeconds = s.longValue("checkpoint_every_seconds", CheckpointPolicy.DEFAULT_SECONDS);
        if (everyRecords < 1 || everySeconds < 1) throw s.error("checkpoint intervals must be at least 1");
        int readAhead = s.intValue("read_ahead_batches", d.readAheadBatches());
        CheckpointPolicy policy = CheckpointPolicy.everyRecords(everyRecords).or(CheckpointPolicy.every(Duration.ofSeconds(everySeconds)));
        int attempts = s.intValue("max_attempts", d.maxAttempts());
        if (attempts < 1) throw s.error("max_attempts", "must be at least 1");
        long backoffSeconds = s.longValue("retry_backoff_seconds", d.retryBackoff().toSeconds());
        if (backoffSeconds < 0) throw s.error("retry_backoff_seconds", "must not be negative");
        return new SyncOptions(parallel, policy, false, readAhead, attempts, Duration.ofSeconds(backoffSeconds));
    }

    /**
     * The lakehouse's folders are relative to the project: {@code warehouse} (default {@code lakehouse}) unless it is
     * a URI such as {@code s3://}, and {@code catalog.path}. Returns whether it changed anything.
     */
    private static boolean resolveLakehousePaths(ObjectNode destination, Path dir) {
        boolean changed = false;
        JsonNode warehouse = destination.get("warehouse");
        if (warehouse == null || warehouse.isNull()) {
            destination.put("warehouse", dir.resolve("lakehouse").toString());
            changed = true;
        } else if (warehouse.isTextual() && !warehouse.asText().contains("://") && !warehouse.asText().isBlank()
                && !Path.of(warehouse.asText()).isAbsolute()) {
            destination.put("warehouse", dir.resolve(warehouse.asText()).normalize().toString());
            changed = true;
        }
        JsonNode catalog = destination.get("catalog");
        if (catalog instanceof ObjectNode c && c.path("path").isTextual() && !Path.of(c.get("path").asText()).isAbsolute()) {
            c.put("path", dir.resolve(c.get("path").asText()).normalize().toString());
            changed = true;
        }
        boolean onS3 = destination.get("warehouse").asText().contains("://");
        boolean embedded = catalog == null || catalog.isNull() || catalog instanceof ObjectNode o && o.path("type").asText("embedded").equals("embedded");
        if (onS3 && embedded && (catalog == null || !catalog.has("path"))) {
            // the embedded catalog of a lakehouse on S3 is a file in the project folder
            ObjectNode c = catalog instanceof ObjectNode o ? o : destination.putObject("catalog");
            c.put("path", dir.resolve("lakehouse-catalog.sqlite").toString());
            changed = true;
        }
        return changed;
    }

    /**
     * Connector settings named {@code path} or ending in {@code _path}, directly under a connection's
     * {@code config} or under {@code destination}, are relative to the project folder.
     */
    private static void resolveRelativePaths(JsonNode root, Path dir) {
        List<ObjectNode> holders = new ArrayList<>();
        if (root.path("destination").isObject()) holders.add((ObjectNode) root.get("destination"));
        for (JsonNode c : root.path("connections")) {
            if (c.path("config").isObject()) holders.add((ObjectNode) c.get("config"));
        }
        for (ObjectNode holder : holders) {
            for (Iterator<Map.Entry<String, JsonNode>> it = holder.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if ((key.equals("path") || key.endsWith("_path")) && e.getValue().isTextual()) {
                    String value = e.getValue().asText();
                    if (!value.startsWith(":") && !Path.of(value).isAbsolute()) e.setValue(holder.textNode(dir.resolve(value).normalize().toString()));
                }
            }
        }
    }

    /**
     * Every problem in the destination's and the connections' settings, found without touching a source or the
     * warehouse: keys the connector does not take (file:line and a did-you-mean from the settings it declares in
     * its {@link ConnectorSpec}) and values its {@link Source#validate} rejects.
     */
    public List<ConfigException> connectorProblems() {
        List<ConfigException> all = new ArrayList<>();
        connectorProblems(all, all);
        return all;
    }

    /** Throws the first problem in one connection's settings (an unknown key or a bad value), before it is used. */
    public void validateConnection(String name) {
        List<ConfigException> problems = new ArrayList<>();
        connectionProblems(connection(name), problems, problems);
        if (!problems.isEmpty()) throw problems.get(0);
    }

    /** Adds unknown keys to {@code unknownKeys} and, when not null, bad values to {@code badValues}. */
    private void connectorProblems(List<ConfigException> unknownKeys, List<ConfigException> badValues) {
        Destination destination = connectors.destination(destinationType, destinationConfig, "type");
        Config destinationSettings = Config.of(document.root().path("destination"), "destination", document::locate);
        List<String> declared = new ArrayList<>(destination.spec().settings().stream().map(ConnectorSpec.Setting::name).toList());
        declared.add("type");
        for (String key : destinationSettings.keys()) {
            if (!declared.contains(key)) {
                unknownKeys.add(destinationSettings.error(key, "unknown key" + Config.didYouMean(key, declared) + "; " + destinationType
                        + " destination settings: " + String.join(", ", declared)));
            }
        }
        for (ConnectionSettings c : connections.values()) connectionProblems(c, unknownKeys, badValues);
    }

    private void connectionProblems(ConnectionSettings c, List<ConfigException> unknownKeys, List<ConfigException> badValues) {
        Source source = connectors.source(c.type(), c.config(), "type");
        Config settings = Config.of(document.root().path("connections").path(c.name()).path("config"), "connections." + c.name() + ".config", document::locate);
        List<String> declared = source.spec().settings().stream().map(ConnectorSpec.Setting::name).toList();
        try {
            source.validate(settings);
        } catch (RuntimeException e) {
            if (badValues != null) badValues.add(e instanceof ConfigException ce ? ce : settings.error(String.valueOf(e.getMessage())));
            // the connector stopped reading at the bad value: judge the top-level keys by what it declares
            for (String key : settings.keys()) {
                if (!declared.contains(key)) unknownKeys.add(unknownSetting(settings, key, c.type(), declared));
            }
            return;
        }
        for (ConfigException unknown : settings.unknownKeys()) {
            String key = unknown.path().substring(unknown.path().lastIndexOf('.') + 1);
            boolean topLevel = unknown.path().equals(settings.path() + "." + key);
            unknownKeys.add(topLevel ? unknownSetting(settings, key, c.type(), declared) : unknown);
        }
    }

    private static ConfigException unknownSetting(Config settings, String key, String type, List<String> declared) {
        return settings.error(key, "unknown key" + Config.didYouMean(key, declared) + "; " + type + " settings: " + String.join(", ", declared));
    }

    /** Fails with the first key of {@code config} that its reader never asked for. */
    public static void assertNoUnknownKeys(Config config) {
        List<ConfigException> unknown = config.unknownKeys();
        if (!unknown.isEmpty()) throw unknown.get(0);
    }

    /**
     * The {@code pipelines}, {@code scheduler}, {@code alerts} or {@code server} section as written (an absent section is an empty
     * config); its reader answers for unknown keys inside it.
     */
    public Config section(String key) {
        Config c = sections.get(key);
        if (c == null) throw new IllegalArgumentException("not a project section: " + key + " (one of " + SECTIONS + ")");
        return c;
    }

    /** A variable from the process environment or the project's .env (e.g. TRIBUTARY_SECRET_KEY). */
    public Optional<String> variable(String name) {
        return environment == null ? Optional.empty() : environment.get(name);
    }

    public Path dir() {
        return dir;
    }

    public String name() {
        return name;
    }

    public String destinationType() {
        return destinationType;
    }

    public Config destinationConfig() {
        return destinationConfig;
    }

    public Map<String, ConnectionSettings> connections() {
        return connections;
    }

    public ConnectionSettings connection(String name) {
        ConnectionSettings c = connections.get(name);
        if (c == null) {
            throw new ProjectException("no connection '" + name + "' in " + FILE_NAME + "; connections: "
                    + String.join(", ", connections.keySet()) + Config.didYouMean(name, List.copyOf(connections.keySet())));
        }
        return c;
    }

    public SyncOptions syncOptions() {
        return syncOptions;
    }

    public String locate(String path) {
        return document.locate(path);
    }
}
