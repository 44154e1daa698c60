package dev.tributary.transform.jinja;

import dev.tributary.transform.dialect.Dialect;
import java.util.List;

/** The {@code adapter} object in Jinja: the common dbt calls. */
public final class JinjaAdapter {
    private final Dialect dialect;

    JinjaAdapter(Dialect dialect) {
        this.dialect = dialect;
    }

    public String quote(Object identifier) {
        return dialect.quote(String.valueOf(identifier));
    }

    /** dbt's {@code adapter.quote_as_configured(identifier, quote_key)}: every part is quoted here, as configured by default. */
    public String quote_as_configured(Object identifier, Object quoteKey) {
        return quote(identifier);
    }

    /** dbt's {@code adapter.check_schema_exists(database, schema)}, as the dialect finds schemas (false while parsing). */
    public boolean check_schema_exists(Object database, Object schema) {
        return JinjaFunctions.scope().resolver.schemaExists(database == null ? null : String.valueOf(database), String.valueOf(schema));
    }

    public List<Dialect.Column> get_columns_in_relation(Object relation) {
        RelationRef r = (RelationRef) relation;
        return JinjaFunctions.scope().resolver.columns(r.getSchema(), r.getIdentifier());
    }

    public Object get_relation(Object database, Object schema, Object identifier) {
        String s = String.valueOf(schema);
        String i = String.valueOf(identifier);
        String d = database == null || String.valueOf(database).isEmpty() ? null : String.valueOf(database);
        return JinjaFunctions.scope().resolver.relationExists(s, i) ? new RelationRef(d, s, i, dialect.relation(d, s, i)) : null;
    }

    /**
     * dbt's {@code adapter.list_relations_without_caching(schema_relation)}: the tables and views of the relation's
     * schema (and database, when it names one), as the dialect lists them when executing; none while parsing.
     */
    public List<RelationRef> list_relations_without_caching(Object schemaRelation) {
        List<RelationRef> out = new java.util.ArrayList<>();
        for (Dialect.Relation r : DbtContextObjects.listRelations(schemaRelation)) {
            out.add(new RelationRef(r.database(), r.schema(), r.name(), dialect.relation(r.database(), r.schema(), r.name()),
                    r.kind() == Dialect.RelationKind.VIEW ? "view" : "table"));
        }
        return out;
    }

    public String type() {
        return dialect.type();
    }
}
