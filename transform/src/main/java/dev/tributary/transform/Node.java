package dev.tributary.transform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One node of the project graph: a model, seed, snapshot, test or data-quality check. Built while loading the
 * project; the config is final once loading ends, and the relation (schema, identifier) is resolved then.
 */
public final class Node {
    final String uniqueId;
    final ResourceType type;
    final String name;
    final String path; // relative to the project root, with forward slashes
    /** For a package's node, its file relative to the package's folder (where dbt writes its compiled SQL; for a generic test
     * from a package's YAML, <package>/<folder>/<test>.sql); else null. */
    String packageFilePath;
    /** For a unit test ({@code unit_tests:} in YAML), what it runs the model on and expects; else null. */
    UnitTest unitTest;
    final String rawCode;
    final int lineOffset; // lines before rawCode in its file (snapshot blocks)
    final Map<String, Object> config = new LinkedHashMap<>();
    final Set<String> dependsOn = new LinkedHashSet<>();
    final List<List<String>> refs = new ArrayList<>();
    final List<List<String>> sourceRefs = new ArrayList<>();
    final List<String> fqn = new ArrayList<>();
    String description = "";
    final Map<String, String> columnDescriptions = new LinkedHashMap<>();
    String schema;
    String identifier;
    // tests and checks
    String attachedNode;
    String columnName;
    GenericTest genericTest;
    CheckSpec check;

    Node(String uniqueId, ResourceType type, String name, String path, String rawCode, int lineOffset) {
        this.uniqueId = uniqueId;
        this.type = type;
        this.name = name;
        this.path = path;
        this.rawCode = rawCode;
        this.lineOffset = lineOffset;
    }

    public String uniqueId() { return uniqueId; }

    /** The project or package the node belongs to (the second part of its unique id). */
    public String packageName() { return uniqueId.split("\\.")[1]; }
    public ResourceType resourceType() { return type; }
    public String name() { return name; }
    public String path() { return path; }
    public String rawCode() { return rawCode; }
    public Set<String> dependsOn() { return dependsOn; }
    public Map<String, Object> config() { return config; }
    public String schema() { return schema; }
    public String identifier() { return identifier; }
    public String description() { return description; }

    public String materialized() {
        return switch (type) {
            case SEED -> "seed";
            case SNAPSHOT -> "snapshot";
            case TEST -> "test";
            case CHECK -> "check";
            default -> string("materialized", "view").toLowerCase(Locale.ROOT);
        };
    }

    public List<String> tags() {
        return stringList(config.get("tags"));
    }

    public boolean enabled() {
        Object v = config.get("enabled");
        return v == null || Boolean.parseBoolean(String.valueOf(v));
    }

    /** The dialect with this node's {@code quoting} config (dbt's, model-level) over the project's. */
    dev.tributary.transform.dialect.Dialect dialect(dev.tributary.transform.dialect.Dialect project) {
        if (!(config.get("quoting") instanceof Map<?, ?> quoting) || quoting.isEmpty()) return project;
        try {
            return project.withQuoting(quoting);
        } catch (IllegalArgumentException e) {
            throw new dev.tributary.spi.ConfigException(path, "quoting", "model '" + name + "': " + e.getMessage());
        }
    }

    /** A boolean config (true, false or their text), else the fallback. */
    boolean flag(String key, boolean fallback) {
        Object v = config.get(key);
        return v == null ? fallback : Boolean.parseBoolean(String.valueOf(v).strip());
    }

    String string(String key, String fallback) {
        Object v = config.get(key);
        return v == null ? fallback : String.valueOf(v);
    }

    static List<String> stringList(Object v) {
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        if (v instanceof Collection<?> c) {
            for (Object o : c) if (o != null) out.add(String.valueOf(o));
        } else if (!String.valueOf(v).isBlank()) {
            out.add(String.valueOf(v));
        }
        return out;
    }

    /** Merges config the way dbt does: later wins, except tags which accumulate. */
    void mergeConfig(Map<String, ?> more) {
        for (Map.Entry<String, ?> e : more.entrySet()) {
            String key = hookKey(e.getKey().startsWith("+") ? e.getKey().substring(1) : e.getKey());
            if (key.equals(PRE_HOOK) || key.equals(POST_HOOK)) {
                List<Object> hooks = new ArrayList<>(hookList(config.get(key)));
                hooks.addAll(hookList(e.getValue()));
                config.put(key, hooks);
            } else if (key.equals("tags")) {
                LinkedHashSet<String> tags = new LinkedHashSet<>(tags());
                tags.addAll(stringList(e.getValue()));
                config.put("tags", new ArrayList<>(tags));
            } else {
                config.put(key, e.getValue());
            }
        }
    }

    static final String PRE_HOOK = "pre-hook";
    static final String POST_HOOK = "post-hook";

    /** {@code pre_hook} and {@code pre-hook} (post likewise) name the same config; the hyphenated form is kept. */
    static String hookKey(String key) {
        return switch (key) {
            case "pre_hook", "pre-hook" -> PRE_HOOK;
            case "post_hook", "post-hook" -> POST_HOOK;
            default -> key;
        };
    }

    /** A hook config (a string, a list, or dbt's {@code {sql: ..., transaction: ...}} form) as a list. */
    static List<Object> hookList(Object v) {
        List<Object> out = new ArrayList<>();
        if (v == null) return out;
        if (v instanceof Collection<?> c) {
            for (Object o : c) out.addAll(hookList(o));
        } else if (v instanceof Map<?, ?> m) {
            if (m.get("sql") != null) out.add(m);
        } else if (!String.valueOf(v).isBlank()) {
            out.add(String.valueOf(v));
        }
        return out;
    }

    /** The hook statements of this node, unrendered, in the order they run (folder levels first, then the model's). */
    /**
     * The node's hooks of one kind in the order dbt runs them: {@code transaction: false} pre-hooks (dbt's
     * {@code before_begin}) before the others, {@code transaction: false} post-hooks ({@code after_commit}) after them.
     */
    List<String> hooks(String key) {
        List<String> inside = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        collectHooks(config.get(key), inside, outside);
        List<String> out = new ArrayList<>();
        if (key.equals(PRE_HOOK)) {
            out.addAll(outside);
            out.addAll(inside);
        } else {
            out.addAll(inside);
            out.addAll(outside);
        }
        return out;
    }

    private static void collectHooks(Object v, List<String> inside, List<String> outside) {
        if (v instanceof Collection<?> c) {
            for (Object o : c) collectHooks(o, inside, outside);
        } else if (v instanceof Map<?, ?> m) {
            if (m.get("sql") == null) return;
            boolean transactional = !"false".equalsIgnoreCase(String.valueOf(m.get("transaction")));
            (transactional ? inside : outside).add(String.valueOf(m.get("sql")));
        } else if (v != null && !String.valueOf(v).isBlank()) {
            inside.add(String.valueOf(v));
        }
    }

    @Override
    public String toString() {
        return uniqueId;
    }
}
