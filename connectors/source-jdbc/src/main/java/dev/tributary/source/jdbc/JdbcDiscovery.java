package dev.tributary.source.jdbc;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.StreamId;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds what a configuration reads: the tables and views of its schemas that {@code tables} selects, and its
 * named queries (described by running them with {@code LIMIT 0}), each with the key and cursor the settings
 * give it. Settings that name something the database lacks are configuration errors, with a did-you-mean.
 */
final class JdbcDiscovery {
    static final String QUERY_ALIAS = "tributary_query";

    private final JdbcConfig config;
    private final JdbcSession session;
    private final Dialect dialect;

    JdbcDiscovery(JdbcConfig config, JdbcSession session) {
        this.config = config;
        this.session = session;
        this.dialect = session.dialect();
    }

    /** The configured schemas, or the dialect's default; each must exist. */
    List<String> schemas() throws SQLException {
        List<String> schemas = config.schemas().isEmpty() ? dialect.defaultSchemas(session.connection()) : config.schemas();
        if (schemas.isEmpty()) {
            throw config.settings().error("schemas", "is required: the URL names no database, so say which databases (schemas) to read");
        }
        Set<String> existing = dialect.existingSchemas(session.connection(), schemas);
        for (String s : schemas) {
            if (!existing.contains(s)) {
                throw config.settings().error("schemas", "schema '" + s + "' does not exist in " + session.settings().location()
                        + " (or this user may not see it)");
            }
        }
        return schemas;
    }

    /** Every selected table and every named query, validated against the settings. */
    List<Relation> all() throws SQLException {
        List<String> schemas = schemas();
        List<CatalogTable> tables = dialect.tables(session.connection(), schemas, Optional.empty());
        List<CatalogTable> selected = tables.stream().filter(t -> config.selects(t.schema(), t.name())).toList();
        checkTablePatterns(tables);
        checkOverrides(selected);
        List<Relation> out = new ArrayList<>();
        for (CatalogTable t : selected) out.add(relation(t));
        Set<String> tableNames = new HashSet<>();
        for (CatalogTable t : selected) tableNames.add(t.name());
        for (JdbcConfig.NamedQuery q : config.queries()) {
            if (tableNames.contains(q.name())) {
                throw q.options().where().error("name", "query '" + q.name() + "' has the name of a table; streams would be ambiguous, name it differently");
            }
            out.add(query(q));
        }
        return out;
    }

    /** The relation a stream reads, looked up afresh (so a read sees the table as it is now). */
    Relation find(StreamId id) throws SQLException {
        if (id.namespace().isEmpty()) {
            JdbcConfig.NamedQuery q = config.query(id.name()).orElseThrow(() -> JdbcConfig.notFound(config.settings(), "queries",
                    "named query", id.name(), "", config.queries().stream().map(JdbcConfig.NamedQuery::name).toList()));
            return query(q);
        }
        if (!config.selects(id.namespace(), id.name())) {
            throw config.settings().error("tables", "does not select stream " + id + "; discover the catalog again");
        }
        List<CatalogTable> found = dialect.tables(session.connection(), List.of(id.namespace()), Optional.of(id.name()));
        if (found.isEmpty()) {
            throw new dev.tributary.spi.DataException(id.toString(), "no table or view " + id + " in " + session.settings().location()
                    + " (dropped or renamed since discovery, or not readable by this user)");
        }
        return relation(found.get(0));
    }

    private Relation relation(CatalogTable t) {
        JdbcConfig.StreamOptions options = config.optionsFor(t.schema(), t.name());
        String from = dialect.qualified(t.schema(), t.name());
        StreamId id = new StreamId(t.schema(), t.name());
        List<String> key = options.primaryKey().orElse(t.primaryKey());
        boolean indexed = !key.isEmpty() && key.equals(t.primaryKey()) && dialect.primaryKeysAreIndexed();
        return withKeys(id, from, t.columns(), key, indexed, options);
    }

    private Relation query(JdbcConfig.NamedQuery q) throws SQLException {
        String from = "(" + q.sql() + ") " + QUERY_ALIAS;
        List<JdbcColumn> columns = new ArrayList<>();
        try (Statement s = session.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + from + " LIMIT 0")) {
            ResultSetMetaData md = rs.getMetaData();
            Set<String> names = new HashSet<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                JdbcColumn c = dialect.resultColumn(md, i);
                if (!names.add(c.name())) {
                    throw q.options().where().error("sql", "returns two columns named '" + c.name() + "'; give them different names with AS");
                }
                columns.add(c);
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) throw e;
            throw q.options().where().error("sql", "does not run as a SELECT: " + session.settings().redact(e.getMessage()));
        }
        return withKeys(StreamId.of(q.name()), from, columns, q.options().primaryKey().orElse(List.of()), false, q.options());
    }

    /** The relation with its key and cursor checked: both must be columns that can be ordered and compared. */
    private Relation withKeys(StreamId id, String from, List<JdbcColumn> columns, List<String> key, boolean indexedKey,
            JdbcConfig.StreamOptions options) {
        List<String> names = columns.stream().map(JdbcColumn::name).toList();
        Config where = options.where();
        for (String k : key) {
            int i = names.indexOf(k);
            if (i < 0) throw JdbcConfig.notFound(where, "primary_key", "column", k, id.toString(), names);
            if (!columns.get(i).keyable()) {
                throw where.error("primary_key", "column '" + k + "' of " + id + " is " + columns.get(i).nativeType()
                        + ", which cannot order and resume a read");
            }
        }
        if (options.cursor().isPresent()) {
            String cursor = options.cursor().get();
            int i = names.indexOf(cursor);
            if (i < 0) throw JdbcConfig.notFound(where, "cursor", "column", cursor, id.toString(), names);
            JdbcColumn c = columns.get(i);
            if (!c.keyable() || c.type() == DataType.BOOLEAN) {
                throw where.error("cursor", "column '" + cursor + "' of " + id + " is " + c.nativeType()
                        + "; a cursor is a number, date, time or text that grows as rows change");
            }
            if (options.cursorLag().isPresent() && !c.type().isTemporal()) {
                throw where.error("cursor_lag", "applies to date and time cursors; '" + cursor + "' of " + id + " is " + c.nativeType());
            }
        }
        return new Relation(id, from, columns, key, indexedKey, options.cursor(), options);
    }

    /** A name in {@code tables} without wildcards must select something: a typo would silently read nothing. */
    private void checkTablePatterns(List<CatalogTable> tables) {
        for (JdbcConfig.TablePattern p : config.tables()) {
            if (p.isGlob()) continue;
            if (tables.stream().noneMatch(t -> p.matches(t.schema(), t.name()))) {
                List<String> candidates = tables.stream().map(t -> p.qualified() ? t.qualifiedName() : t.name()).distinct().toList();
                throw JdbcConfig.notFound(config.settings(), "tables", "table or view", p.text(), "the schemas read", candidates);
            }
        }
    }

    /** Each override names one selected table: {@code schema.table}, or {@code table} when only one schema has it. */
    private void checkOverrides(List<CatalogTable> selected) {
        for (Map.Entry<String, JdbcConfig.StreamOptions> e : config.overrides().entrySet()) {
            String key = e.getKey();
            long matches = selected.stream().filter(t -> t.qualifiedName().equals(key) || t.name().equals(key)).count();
            boolean qualifiedMatch = selected.stream().anyMatch(t -> t.qualifiedName().equals(key));
            if (matches == 0) {
                Set<String> candidates = new TreeSet<>();
                for (CatalogTable t : selected) {
                    candidates.add(key.contains(".") ? t.qualifiedName() : t.name());
                }
                throw JdbcConfig.notFound(config.settings(), "overrides", "selected table", key, "", List.copyOf(candidates));
            }
            if (matches > 1 && !qualifiedMatch) {
                throw overrideError(key, "names a table in several schemas; write it as schema.table");
            }
        }
    }

    private ConfigException overrideError(String key, String problem) {
        return config.settings().error("overrides." + key, problem);
    }
}
