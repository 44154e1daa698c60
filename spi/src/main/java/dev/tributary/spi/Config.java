package dev.tributary.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connector's settings: a tree read from {@code tributary.yml} that knows where each value was written, so
 * every error names file, line and key. It remembers which keys were asked for; {@link #unknownKeys()} then
 * reports every key nobody asked for, with a did-you-mean, so a typo never passes silently.
 */
public final class Config {
    /** Tells where a key path was written, such as {@code tributary.yml:12}, or "" when unknown. */
    @FunctionalInterface
    public interface Locator {
        String locate(String path);
    }

    private final JsonNode node;
    private final String path;
    private final Locator locator;
    // Connectors may read one config from several stream threads at once.
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    private final Map<String, Config> children = Collections.synchronizedMap(new LinkedHashMap<>());

    private Config(JsonNode node, String path, Locator locator) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.locator = locator;
    }

    public static Config of(JsonNode node, String path, Locator locator) {
        return new Config(node, path, locator);
    }

    public static Config of(JsonNode node) {
        return new Config(node, "", p -> "");
    }

    public static Config empty() {
        return new Config(MissingNode.getInstance(), "", p -> "");
    }

    /** The underlying JSON, for connectors that pass settings through; marks every key as asked. */
    public JsonNode json() {
        node.fieldNames().forEachRemaining(asked::add);
        return node;
    }

    public String path() {
        return path;
    }

    public String location() {
        return locator.locate(path);
    }

    public boolean isPresent() {
        return !node.isMissingNode() && !node.isNull();
    }

    public boolean has(String key) {
        asked.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    public String string(String key) {
        return optString(key).orElseThrow(() -> error(key, "is required"));
    }

    public String string(String key, String defaultValue) {
        return optString(key).orElse(defaultValue);
    }

    public Optional<String> optString(String key) {
        JsonNode v = value(key);
        if (v == null) return Optional.empty();
        if (v.isContainerNode()) throw error(key, "expected a single value, got " + (v.isArray() ? "a list" : "a mapping"));
        return Optional.of(v.asText());
    }

    public long longValue(String key, long defaultValue) {
        JsonNode v = value(key);
        if (v == null) return defaultValue;
        if (v.canConvertToLong() && v.isIntegralNumber()) return v.asLong();
        try {
            return Long.parseLong(v.asText().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(key, "expected a whole number, got '" + v.asText() + "'");
        }
    }

    public int intValue(String key, int defaultValue) {
        long v = longValue(key, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error(key, "number " + v + " is out of range");
        return (int) v;
    }

    public boolean bool(String key, boolean defaultValue) {
        JsonNode v = value(key);
        if (v == null) return defaultValue;
        if (v.isBoolean()) return v.asBoolean();
        return switch (v.asText().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw error(key, "expected true or false, got '" + v.asText() + "'");
        };
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        Optional<String> s = optString(key);
        if (s.isEmpty()) return defaultValue;
        String wanted = s.get().trim().replace('-', '_').replace(' ', '_').toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) return e;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
        throw error(key, "unknown value '" + s.get() + "'; expected one of " + String.join(", ", names)
                + didYouMean(s.get().toLowerCase(Locale.ROOT), names));
    }

    /** A list of strings; a single value counts as a list of one. */
    public List<String> stringList(String key) {
        JsonNode v = value(key);
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (e.isContainerNode()) throw error(key, "expected a list of values, found a nested structure");
                out.add(e.asText());
            }
        } else if (v.isObject()) {
            throw error(key, "expected a list, got a mapping");
        } else {
            out.add(v.asText());
        }
        return out;
    }

    /** The mapping under {@code key}; an empty config when absent. */
    public Config child(String key) {
        JsonNode v = value(key);
        if (v != null && !v.isObject()) throw error(key, "expected a mapping of settings");
        return children.computeIfAbsent(key, k -> new Config(v, join(path, k), locator));
    }

    /**
     * The mapping under {@code key} as a config of its own: this one counts the key as known, and the reader of
     * the returned config answers for the keys inside it (used to hand a connector its settings).
     */
    public Config detached(String key) {
        JsonNode v = value(key);
        if (v != null && !v.isObject()) throw error(key, "expected a mapping of settings");
        return new Config(v, join(path, key), locator);
    }

    /** The mapping under {@code key} as named entries, in the order written. */
    public Map<String, Config> entries(String key) {
        Config c = child(key);
        Map<String, Config> out = new LinkedHashMap<>();
        for (String k : c.keys()) out.put(k, c.child(k));
        return out;
    }

    /** The list of mappings under {@code key}. */
    public List<Config> list(String key) {
        JsonNode v = value(key);
        if (v == null) return List.of();
        if (!v.isArray()) throw error(key, "expected a list");
        List<Config> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String p = join(path, key) + "[" + i + "]";
            if (!e.isObject()) throw new ConfigException(locator.locate(p), p, "expected a mapping of settings");
            Config c = new Config(e, p, locator);
            children.put(key + "[" + i + "]", c);
            out.add(c);
        }
        return out;
    }

    /** A string-to-string mapping, such as column type overrides. */
    public Map<String, String> stringMap(String key) {
        Config c = child(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : c.keys()) out.put(k, c.string(k));
        return out;
    }

    public ConfigException error(String key, String problem) {
        String p = join(path, key);
        String loc = locator.locate(p);
        return new ConfigException(loc.isEmpty() ? location() : loc, p, problem);
    }

    public ConfigException error(String problem) {
        return new ConfigException(location(), path, problem);
    }

    /** Keys present here or below that no reader asked for, each as an error with a did-you-mean. */
    public List<ConfigException> unknownKeys() {
        List<ConfigException> out = new ArrayList<>();
        if (!node.isObject()) return out;
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!asked.contains(k)) {
                out.add(error(k, "unknown key" + didYouMean(k, new ArrayList<>(asked))));
            }
        }
        List<Config> snapshot;
        synchronized (children) {
            snapshot = List.copyOf(children.values());
        }
        for (Config c : snapshot) out.addAll(c.unknownKeys());
        return out;
    }

    /** A copy holding only the given key removed; for layering defaults. */
    public Config without(String key) {
        if (!node.isObject()) return this;
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        copy.remove(key);
        return new Config(copy, path, locator);
    }

    private JsonNode value(String key) {
        asked.add(key);
        JsonNode v = node.get(key);
        return v == null || v instanceof NullNode ? null : v;
    }

    private static String join(String base, String key) {
        return base.isEmpty() ? key : base + "." + key;
    }

    /** " (did you mean 'x'?)" when one candidate is close to {@code word}, else "". */
    public static String didYouMean(String word, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        if (best == null || bestDistance > Math.max(2, word.length() / 3)) return "";
        return " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
