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

    /** dbt's {@code adapter.check_schema_exists(database, schema)}, from information_schema (false while parsing). */
    public boolean check_schema_exists(Object database, Object schema) {
        String sql = "select count(*) as n from information_schema.schemata where schema_name = " + literal(String.valueOf(schema))
                + (database == null ? "" : " and catalog_name = " + literal(String.valueOf(database)));
        QueryResult r = JinjaFunctions.scope().resolver.query(sql);
        for (QueryResult.Row row : r) return ((Number) row.get("n")).longValue() > 0;
        return false;
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
     * schema (and database, when it names one), read from information_schema when executing; none while parsing.
     */
    public List<RelationRef> list_relations_without_caching(Object schemaRelation) {
        QueryResult result = JinjaFunctions.scope().resolver.query(DbtContextObjects.listRelationsSql(schemaRelation));
        List<RelationRef> out = new java.util.ArrayList<>();
        for (QueryResult.Row row : result) {
            String schema = String.valueOf(row.get("schema"));
            String name = String.valueOf(row.get("name"));
            String database = String.valueOf(row.get("database"));
            out.add(new RelationRef(database, schema, name, dialect.relation(database, schema, name), String.valueOf(row.get("type"))));
        }
        return out;
    }

    /** The query behind list_relations_without_caching: columns database, name, schema, type (table or view). */
    static String listRelationsSql(RelationRef schemaRelation) {
        String database = schemaRelation.getDatabase();
        return "select table_catalog as \"database\", table_name as \"name\", table_schema as \"schema\","
                + " case when table_type = 'VIEW' then 'view' else 'table' end as \"type\""
                + " from information_schema.tables where table_schema = " + literal(schemaRelation.getSchema())
                + (database == null || database.isEmpty() ? "" : " and table_catalog = " + literal(database))
                + " order by table_name";
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    public String type() {
        return dialect.type();
    }
}
