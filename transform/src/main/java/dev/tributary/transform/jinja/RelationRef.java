package dev.tributary.transform.jinja;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A relation as Jinja sees it, shaped like dbt's: {@code {{ ref('x') }}} renders its quoted name; it is a mapping (so
 * {@code relation is mapping} and {@code relation.metadata.type} ending in {@code Relation} identify it, as packages
 * check) with {@code database schema identifier name type}; {@code is_table is_view is_cte}, {@code render()},
 * {@code include(..)}, {@code incorporate(..)} and {@code quote(..)} are answered by {@link PythonMethods}.
 * A {@link com.hubspot.jinjava.objects.PyWrapper}, so Jinjava keeps the object instead of copying it into a dict.
 */
public final class RelationRef extends AbstractMap<String, Object> implements com.hubspot.jinjava.objects.PyWrapper {
    private final String database;
    private final String schema;
    private final String identifier;
    private final String rendered;
    private final String type;

    public RelationRef(String database, String schema, String identifier, String rendered) {
        this(database, schema, identifier, rendered, null);
    }

    public RelationRef(String database, String schema, String identifier, String rendered, String type) {
        this.database = database;
        this.schema = schema;
        this.identifier = identifier;
        this.rendered = rendered;
        this.type = type;
    }

    public String getDatabase() { return database; }
    public String getSchema() { return schema; }
    public String getIdentifier() { return identifier; }
    public String getName() { return identifier; }
    public String getTable() { return identifier; }
    public String getType() { return type; }

    /** The relation with another type ({@code table}, {@code view}, {@code cte}...), as {@code incorporate(type=..)}. */
    public RelationRef withType(String newType) {
        return new RelationRef(database, schema, identifier, rendered, newType);
    }

    /** The relation rendered with only the parts included, quoted as both warehouses quote. */
    public RelationRef include(boolean withDatabase, boolean withSchema, boolean withIdentifier) {
        StringBuilder out = new StringBuilder();
        boolean renderedDatabase = database != null && !database.isEmpty();
        if (withDatabase && renderedDatabase) out.append(quote(database));
        if (withSchema && schema != null) out.append(out.isEmpty() ? "" : ".").append(quote(schema));
        if (withIdentifier && identifier != null) out.append(out.isEmpty() ? "" : ".").append(quote(identifier));
        return new RelationRef(database, schema, identifier, out.toString(), type);
    }

    /**
     * The relation with other parts ({@code replace_path(identifier=..)}, {@code incorporate(path={..})}); null keeps a
     * part. Rendered with every part it has, as dbt renders a relation.
     */
    public RelationRef withPath(String newDatabase, String newSchema, String newIdentifier) {
        String d = newDatabase != null ? newDatabase : database;
        String s = newSchema != null ? newSchema : schema;
        String i = newIdentifier != null ? newIdentifier : identifier;
        return new RelationRef(d, s, i, "", type).include(true, true, true);
    }

    static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("database", database);
        m.put("schema", schema);
        m.put("identifier", identifier);
        m.put("name", identifier);
        m.put("table", identifier);
        m.put("type", type);
        m.put("is_table", "table".equals(type));
        m.put("is_view", "view".equals(type));
        m.put("is_cte", "cte".equals(type));
        Map<String, Object> path = new LinkedHashMap<>();
        path.put("database", database);
        path.put("schema", schema);
        path.put("identifier", identifier);
        m.put("path", new com.hubspot.jinjava.objects.collections.PyMap(path));
        m.put("metadata", new com.hubspot.jinjava.objects.collections.PyMap(new LinkedHashMap<>(Map.of("type", metadataType()))));
        m.put("quote_policy", new com.hubspot.jinjava.objects.collections.PyMap(new LinkedHashMap<>(Map.of("database", true, "schema", true, "identifier", true))));
        return m.entrySet();
    }

    static String metadataType() {
        com.hubspot.jinjava.interpret.JinjavaInterpreter in = com.hubspot.jinjava.interpret.JinjavaInterpreter.getCurrent();
        Object h = in == null ? null : in.getContext().get(DbtContextObjects.DISPATCHER_KEY);
        if (h instanceof DbtContextObjects.EngineHandle handle) return handle.dialect().type().equals("postgres") ? "PostgresRelation" : "DuckDBRelation";
        return "BaseRelation";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelationRef r && java.util.Objects.equals(schema, r.schema) && java.util.Objects.equals(identifier, r.identifier)
                && java.util.Objects.equals(rendered, r.rendered);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(schema, identifier, rendered);
    }

    @Override
    public String toString() {
        return rendered;
    }
}
