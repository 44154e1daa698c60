package dev.tributary.transform.jinja;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * dbt's {@code config} object as seen by a model or macro: {@code config.get('key', default)} and
 * {@code config.require('key')} read the node's resolved config (while parsing: what folder configs, schema.yml and
 * the {@code config(...)} calls so far have set). {@code config(...)} itself stays a function.
 */
public final class NodeConfig {
    private final Map<String, Object> base;
    private final RenderScope scope;

    public NodeConfig(Map<String, Object> base, RenderScope scope) {
        this.base = base;
        this.scope = scope;
    }

    private Map<String, Object> current() {
        Map<String, Object> m = new LinkedHashMap<>(base);
        if (scope != null) m.putAll(scope.capturedConfig);
        return m;
    }

    public Object get(String key) {
        return current().get(key);
    }

    public Object get(String key, Object fallback) {
        Map<String, Object> m = current();
        return m.get(key) != null ? m.get(key) : fallback;
    }

    /** dbt's {@code config.set('key', value)}: like {@code config(key=value)}. */
    public String set(Object key, Object value) {
        if (scope != null) scope.capturedConfig.put(String.valueOf(key), JinjaFunctions.plain(value));
        return "";
    }

    public Object require(String key) {
        Object v = current().get(key);
        if (v == null) {
            TemplateException e = new TemplateException("Required config '" + key + "' was not set");
            if (scope != null) scope.fail(e);
            throw e;
        }
        return v;
    }

    @Override
    public String toString() {
        return "";
    }
}
