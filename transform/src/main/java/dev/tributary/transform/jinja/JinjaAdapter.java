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

    public List<Dialect.Column> get_columns_in_relation(Object relation) {
        RelationRef r = (RelationRef) relation;
        return JinjaFunctions.scope().resolver.columns(r.getSchema(), r.getIdentifier());
    }

    public Object get_relation(Object database, Object schema, Object identifier) {
        String s = String.valueOf(schema);
        String i = String.valueOf(identifier);
        return JinjaFunctions.scope().resolver.relationExists(s, i) ? new RelationRef(String.valueOf(database), s, i, dialect.relation(s, i)) : null;
    }

    public String type() {
        return dialect.type();
    }
}
