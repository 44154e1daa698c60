package dev.tributary.transform.jinja;

import dev.tributary.transform.dialect.Dialect;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one render of one file can see and what it captured: the functions {@code ref}, {@code source},
 * {@code config} and friends call back into this object.
 */
public final class RenderScope {
    /** How references resolve: while parsing they are recorded; while executing they name real relations. */
    public interface Resolver {
        RelationRef ref(String packageName, String name);

        RelationRef source(String sourceName, String tableName);

        List<Dialect.Column> columns(String schema, String identifier);

        boolean relationExists(String schema, String identifier);

        /** The tables and views of a schema, as the dialect lists them; none while parsing. */
        default List<Dialect.Relation> relations(String database, String schema) {
            return List.of();
        }

        /** Whether the schema exists; false while parsing. */
        default boolean schemaExists(String database, String schema) {
            return false;
        }

        /** Runs a query for {@code run_query} / {@code statement}; while parsing nothing runs and the result is empty. */
        default QueryResult query(String sql) {
            return QueryResult.EMPTY;
        }
    }

    final Resolver resolver;
    final boolean incremental;
    final Map<String, Object> vars;
    final Map<String, String> docs;
    final Map<String, Object> capturedConfig = new LinkedHashMap<>();
    RuntimeException failure;
    /** Configuration text (YAML files, a source's values): a none prints nothing there, as dbt's native render gives null. */
    boolean noneAsEmpty;
    /** Results of {@code {% call statement(name, fetch_result=True) %}}, read by {@code load_result(name)}. */
    final Map<String, Object> statementResults = new LinkedHashMap<>();

    public RenderScope(Resolver resolver, boolean incremental, Map<String, Object> vars, Map<String, String> docs) {
        this.resolver = resolver;
        this.incremental = incremental;
        this.vars = vars;
        this.docs = docs;
    }

    /** Config set by {@code {{ config(...) }}} calls during the render. */
    public Map<String, Object> capturedConfig() {
        return capturedConfig;
    }

    /**
     * This scope renders configuration (dbt_project.yml, profiles.yml, a source's schema...), where dbt reads a lone
     * {@code {{ none }}} as a null value: a none prints nothing instead of {@code None}.
     */
    public RenderScope forConfiguration() {
        noneAsEmpty = true;
        return this;
    }

    void fail(RuntimeException e) {
        if (failure == null) failure = e;
    }
}
