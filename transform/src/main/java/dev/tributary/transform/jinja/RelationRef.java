package dev.tributary.transform.jinja;

/** A relation as Jinja sees it: {@code {{ ref('x') }}} renders its quoted name; {@code .schema} etc. work too. */
public final class RelationRef {
    private final String database;
    private final String schema;
    private final String identifier;
    private final String rendered;

    public RelationRef(String database, String schema, String identifier, String rendered) {
        this.database = database;
        this.schema = schema;
        this.identifier = identifier;
        this.rendered = rendered;
    }

    public String getDatabase() { return database; }
    public String getSchema() { return schema; }
    public String getIdentifier() { return identifier; }
    public String getName() { return identifier; }
    public String getTable() { return identifier; }

    @Override
    public String toString() {
        return rendered;
    }
}
