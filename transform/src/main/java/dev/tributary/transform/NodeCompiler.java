package dev.tributary.transform;

import dev.tributary.transform.dialect.Dialect;
import dev.tributary.transform.jinja.QueryResult;
import dev.tributary.transform.jinja.RelationRef;
import dev.tributary.transform.jinja.RenderScope;
import dev.tributary.transform.jinja.TemplateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a node for execution: refs name real relations, ephemeral models are injected as CTEs. */
final class NodeCompiler {
    private static final Pattern LEADING_WITH = Pattern.compile("^(\\s*(?:--[^\\n]*\\n\\s*|/\\*.*?\\*/\\s*)*)with(\\s+recursive)?\\s", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final TransformProject project;
    private final boolean fullRefresh;

    NodeCompiler(TransformProject project, boolean fullRefresh) {
        this.project = project;
        this.fullRefresh = fullRefresh;
    }

    String relationName(Node n) {
        return n.dialect(project.dialect()).relation(n.schema, n.identifier);
    }

    boolean isIncremental(Node n, Connection c) throws SQLException {
        if (n.type != ResourceType.MODEL || !n.materialized().equals("incremental") || fullRefresh) return false;
        return n.dialect(project.dialect()).relationKind(c, n.schema, n.identifier).orElse(null) == Dialect.RelationKind.TABLE;
    }

    String compile(Node n, Connection c) throws SQLException {
        Map<String, String> ctes = new LinkedHashMap<>();
        String sql = render(n, c, ctes);
        sql = ctes.isEmpty() ? sql : injectCtes(sql, ctes);
        return n.unitTest == null ? sql : UnitTestSql.comparison(n, sql, c, project.dialect());
    }

    private String render(Node n, Connection c, Map<String, String> ctes) throws SQLException {
        return render(n, n.path, n.rawCode, n.lineOffset, c, ctes);
    }

    /**
     * Renders one pre- or post-hook statement of a node with the node's context ({@code this}, {@code model},
     * {@code is_incremental()}); label names the hook in errors, such as {@code models/x.sql (post-hook 1)}.
     */
    String renderHook(Node n, String label, String hookSql, Connection c) throws SQLException {
        return render(n, label, hookSql, 0, c, new LinkedHashMap<>());
    }

    /** Renders an on-run-start / on-run-end statement: no {@code this}; {@code schemas} lists the schemas built. */
    String renderOperation(String label, String packageName, String hookSql, List<String> schemas, Connection c) {
        RenderScope scope = new RenderScope(resolver(c, new LinkedHashMap<>(), packageName), false, project.varsFor(packageName), project.docs);
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("execute", true);
        bindings.put("schemas", schemas);
        return project.engine.render(label, hookSql, 0, scope, bindings).strip();
    }

    private String render(Node n, String label, String text, int lineOffset, Connection c, Map<String, String> ctes) throws SQLException {
        RenderScope.Resolver resolver = resolver(c, ctes, n.packageName());
        if (n.unitTest != null) resolver = UnitTestSql.fixtures(n, resolver, ctes, c, project);
        RenderScope scope = new RenderScope(resolver, isIncremental(n, c), project.varsFor(n.packageName()), project.docs);
        Map<String, Object> bindings = new HashMap<>();
        String database = project.target.database();
        bindings.put("this", new RelationRef(database, n.schema, n.identifier, n.dialect(project.dialect()).relation(database, n.schema, n.identifier)));
        bindings.put("model", modelInfo(n, database));
        bindings.put("config", new dev.tributary.transform.jinja.NodeConfig(n.config, null));
        bindings.put("execute", true); // dbt: false while parsing, true when running
        return project.engine.render(label, text, lineOffset, scope, bindings).strip();
    }

    /**
     * The {@code model} Jinja variable, shaped like dbt's node: name, unique_id, path, original_file_path,
     * resource_type, package_name, alias, schema, database, tags, fqn and config.
     */
    static Map<String, Object> modelInfo(Node n, String database) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", n.name);
        m.put("alias", n.identifier == null ? n.name : n.identifier);
        m.put("schema", n.schema);
        m.put("database", database);
        m.put("tags", n.tags());
        m.put("fqn", List.copyOf(n.fqn));
        m.put("original_file_path", n.path);
        m.put("unique_id", n.uniqueId);
        m.put("path", n.path);
        m.put("resource_type", n.type.label());
        m.put("package_name", n.uniqueId.split("\\.")[1]);
        m.put("config", n.config);
        return m;
    }

    private RenderScope.Resolver resolver(Connection c, Map<String, String> ctes, String fromPackage) {
        Dialect dialect = project.dialect();
        return new RenderScope.Resolver() {
            @Override
            public RelationRef ref(String packageName, String name) {
                Node dep = project.resolveRef(packageName, name, fromPackage);
                if (dep == null) throw new TemplateException("ref(" + (packageName == null ? "" : "'" + packageName + "', ") + "'" + name + "') names no model, seed or snapshot" + project.didYouMeanNode(name));
                if (dep.type == ResourceType.MODEL && dep.materialized().equals("ephemeral")) {
                    String cte = "__dbt__cte__" + dep.name;
                    if (!ctes.containsKey(cte)) {
                        try {
                            String inner = render(dep, c, ctes);
                            ctes.put(cte, inner);
                        } catch (SQLException e) {
                            throw new TemplateException(e.getMessage());
                        }
                    }
                    return new RelationRef(null, null, cte, cte, "cte");
                }
                String database = project.target.database();
                return new RelationRef(database, dep.schema, dep.identifier, dep.dialect(dialect).relation(database, dep.schema, dep.identifier));
            }

            @Override
            public RelationRef source(String sourceName, String tableName) {
                SourceTable s = project.source(sourceName, tableName, fromPackage);
                if (s == null) throw new TemplateException("source('" + sourceName + "', '" + tableName + "') was not found" + project.didYouMeanSource(sourceName, tableName));
                return new RelationRef(s.database(), s.schema(), s.identifier(), dialect.relation(s.database(), s.schema(), s.identifier()));
            }

            @Override
            public List<Dialect.Column> columns(String schema, String identifier) {
                try {
                    return dialect.columns(c, schema, identifier);
                } catch (SQLException e) {
                    throw new TemplateException(e.getMessage());
                }
            }

            @Override
            public List<Dialect.Relation> relations(String database, String schema) {
                try {
                    return dialect.relations(c, database, schema);
                } catch (SQLException e) {
                    throw new TemplateException(e.getMessage());
                }
            }

            @Override
            public boolean schemaExists(String database, String schema) {
                try {
                    return dialect.schemaExists(c, database, schema);
                } catch (SQLException e) {
                    throw new TemplateException(e.getMessage());
                }
            }

            @Override
            public QueryResult query(String sql) {
                try (java.sql.Statement s = c.createStatement()) {
                    if (!s.execute(stripTrailingSemicolon(sql))) return QueryResult.EMPTY;
                    try (java.sql.ResultSet rs = s.getResultSet()) {
                        java.sql.ResultSetMetaData md = rs.getMetaData();
                        List<String> names = new java.util.ArrayList<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) names.add(md.getColumnLabel(i));
                        List<List<Object>> rows = new java.util.ArrayList<>();
                        while (rs.next()) {
                            List<Object> row = new java.util.ArrayList<>();
                            for (int i = 1; i <= names.size(); i++) row.add(rs.getObject(i));
                            rows.add(row);
                        }
                        return new QueryResult(names, rows);
                    }
                } catch (SQLException e) {
                    throw new TemplateException("run_query failed: " + e.getMessage() + "\n" + sql.strip());
                }
            }

            @Override
            public boolean relationExists(String schema, String identifier) {
                try {
                    return dialect.relationKind(c, schema, identifier).isPresent();
                } catch (SQLException e) {
                    throw new TemplateException(e.getMessage());
                }
            }
        };
    }

    static String injectCtes(String sql, Map<String, String> ctes) {
        StringBuilder defs = new StringBuilder();
        for (Map.Entry<String, String> e : ctes.entrySet()) {
            if (!defs.isEmpty()) defs.append(",\n");
            defs.append(e.getKey()).append(" as (\n").append(e.getValue()).append("\n)");
        }
        Matcher m = LEADING_WITH.matcher(sql);
        if (m.find()) {
            String recursive = m.group(2) == null ? "" : m.group(2);
            return m.group(1) + "with" + recursive + " " + defs + ",\n" + sql.substring(m.end());
        }
        return "with " + defs + "\n" + sql;
    }

    static String stripTrailingSemicolon(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).strip();
        return s;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
