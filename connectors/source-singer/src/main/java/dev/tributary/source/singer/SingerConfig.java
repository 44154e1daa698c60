package dev.tributary.source.singer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The settings of a {@code type: singer} connection, read and checked without starting the tap. */
public record SingerConfig(
        String connection,
        List<String> command,
        String missingCommand,
        JsonNode tapConfig,
        Path basePath,
        CatalogFlag catalogFlag,
        boolean alwaysDiscover,
        Optional<Path> catalogFile,
        Duration silenceTimeout,
        int batchSize,
        Map<String, StreamChoice> streams) {

    public static final int DEFAULT_BATCH_SIZE = 10_000;
    public static final long DEFAULT_SILENCE_SECONDS = 600;

    /** How the tap takes its catalog: {@code --catalog} (current taps) or {@code --properties} (older ones). */
    public enum CatalogFlag { CATALOG, PROPERTIES }

    /** What the project chose for one stream: the properties to select (empty: all) and the replication overrides. */
    public record StreamChoice(List<String> properties, Optional<String> replicationKey, Optional<String> replicationMethod) {}

    public static SingerConfig from(Config c) {
        String path = c.path();
        String connection = path.startsWith("connections.") && path.endsWith(".config")
                ? path.substring("connections.".length(), path.length() - ".config".length()) : "singer";
        // A connection that only `tributary target` loads into runs no tap: the command is required when a tap starts.
        List<String> command = c.stringList("command");
        if (command.size() == 1) command = List.of(command.get(0).trim().split("\\s+")); // a single string: split at spaces
        if (c.has("command") && (command.isEmpty() || command.get(0).isBlank())) throw c.error("command", "is empty");
        JsonNode tapConfig = c.has("config") ? c.detached("config").json() : JsonNodeFactory.instance.objectNode();
        Path base = Path.of(c.string("base_path", ".")).toAbsolutePath().normalize();
        CatalogFlag flag = c.enumValue("catalog_flag", CatalogFlag.class, CatalogFlag.CATALOG);
        String discovery = c.string("discovery", "cached").trim().toLowerCase(Locale.ROOT);
        if (!discovery.equals("cached") && !discovery.equals("always")) {
            throw c.error("discovery", "expected 'cached' or 'always', got '" + discovery + "'");
        }
        Optional<Path> catalogFile = c.optString("catalog_path").map(p -> base.resolve(p).normalize());
        long silence = c.longValue("silence_timeout_seconds", DEFAULT_SILENCE_SECONDS);
        if (silence < 1) throw c.error("silence_timeout_seconds", "must be at least 1");
        int batch = c.intValue("batch_size", DEFAULT_BATCH_SIZE);
        if (batch < 1) throw c.error("batch_size", "must be at least 1");
        Map<String, StreamChoice> streams = new LinkedHashMap<>();
        for (Map.Entry<String, Config> e : c.entries("streams").entrySet()) {
            Config s = e.getValue();
            Optional<String> method = s.optString("replication_method").map(m -> m.trim().toUpperCase(Locale.ROOT));
            if (method.isPresent() && !List.of("INCREMENTAL", "FULL_TABLE", "LOG_BASED").contains(method.get())) {
                throw s.error("replication_method", "expected INCREMENTAL, FULL_TABLE or LOG_BASED, got '" + method.get() + "'");
            }
            streams.put(e.getKey(), new StreamChoice(new ArrayList<>(s.stringList("properties")), s.optString("replication_key"), method));
        }
        return new SingerConfig(connection, List.copyOf(command), c.has("command") ? "" : c.error("command",
                "is required to run the tap: its executable and arguments, e.g. [tap-xero] or [.venv/bin/python, tap.py]").getMessage(), tapConfig, base, flag, discovery.equals("always"), catalogFile,
                Duration.ofSeconds(silence), batch, streams);
    }

    /** The command, or a {@link dev.tributary.spi.ConfigException}-worded error when the connection has none. */
    public List<String> requireCommand() {
        if (command.isEmpty()) throw new IllegalStateException(missingCommand);
        return command;
    }

    /** The tap's name for log lines: its executable's file name (or the script after an interpreter). */
    public String system() {
        if (command.isEmpty()) return "singer";
        String exe = Path.of(command.get(0)).getFileName().toString();
        if (exe.startsWith("python") || exe.equals("node") || exe.equals("sh") || exe.equals("bash")) {
            // an interpreter: name the script it runs (after its options; sh -c takes the command text as one)
            for (int i = 1; i < command.size(); i++) {
                String a = command.get(i);
                if (a.equals("-c") || a.equals("-m")) {
                    if (a.equals("-m") && i + 1 < command.size()) return command.get(i + 1);
                    i++;
                    continue;
                }
                if (a.startsWith("-")) continue;
                return Path.of(a).getFileName().toString();
            }
        }
        return exe;
    }

    /** Prefix of every log line about this tap: {@code [connection][tap]}. */
    public String logPrefix() {
        return "[" + connection + "][" + system() + "] ";
    }
}
