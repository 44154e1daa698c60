package dev.tributary.transform;

import dev.tributary.transform.dialect.Dialect;
import dev.tributary.transform.jinja.QueryResult;
import dev.tributary.transform.jinja.RelationRef;
import dev.tributary.transform.jinja.RenderScope;
import dev.tributary.transform.jinja.TemplateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of a unit test: the model's SQL with each input it reads replaced by a CTE of the given rows, compared with
 * the expected rows both ways ({@code except all}); every row that differs is a failure, as in dbt.
 */
final class UnitTestSql {
    private UnitTestSql() {}

    /** A resolver giving the unit test's fixtures for the model's ref() and source() calls (CTEs added to ctes). */
    static RenderScope.Resolver fixtures(Node n, RenderScope.Resolver base, Map<String, String> ctes, Connection c, TransformProject project) {
        UnitTest ut = n.unitTest;
        Dialect dialect = project.dialect();
        return new RenderScope.Resolver() {
            @Override
            public RelationRef ref(String packageName, String name) {
                UnitTest.Fixture f = ut.inputs().get("ref:" + (packageName == null ? name : packageName + "." + name));
                if (f == null && packageName != null) f = ut.inputs().get("ref:" + name);
                if (f == null) throw new TemplateException("unit test '" + n.name + "' gives no input for ref('" + name + "'), which model "
                        + ut.modelId() + " reads: add it under given (rows: [] for none)");
                Node dep = project.resolveRef(packageName, name, n.packageName());
                List<Dialect.Column> columns = dep == null || dep.schema == null ? List.of() : existingColumns(dep.schema, dep.identifier);
                return fixture("__dbt__fixture__" + name, f, columns);
            }

            @Override
            public RelationRef source(String sourceName, String tableName) {
                UnitTest.Fixture f = ut.inputs().get("source:" + sourceName + "." + tableName);
                if (f == null) throw new TemplateException("unit test '" + n.name + "' gives no input for source('" + sourceName + "', '" + tableName
                        + "'), which model " + ut.modelId() + " reads: add it under given (rows: [] for none)");
                SourceTable s = project.source(sourceName, tableName, n.packageName());
                List<Dialect.Column> columns = s == null ? List.of() : existingColumns(s.schema(), s.identifier());
                return fixture("__dbt__fixture__" + sourceName + "__" + tableName, f, columns);
            }

            private List<Dialect.Column> existingColumns(String schema, String identifier) {
                try {
                    return dialect.relationKind(c, schema, identifier).isPresent() ? dialect.columns(c, schema, identifier) : List.of();
                } catch (SQLException e) {
                    throw new TemplateException(e.getMessage());
                }
            }

            private RelationRef fixture(String cte, UnitTest.Fixture f, List<Dialect.Column> columns) {
                String name = cte.replaceAll("\\W", "_");
                ctes.putIfAbsent(name, rows(f, columns, dialect));
                return new RelationRef(null, null, name, name);
            }

            @Override
            public List<Dialect.Column> columns(String schema, String identifier) {
                return schema == null ? List.of() : base.columns(schema, identifier);
            }

            @Override
            public boolean relationExists(String schema, String identifier) {
                return schema != null && base.relationExists(schema, identifier);
            }

            @Override
            public QueryResult query(String sql) {
                return base.query(sql);
            }
        };
    }

    /** The comparison query: one row per difference between the model's result and the expected rows. */
    static String comparison(Node n, String actualSql, Connection c, Dialect dialect) throws SQLException {
        String actual = NodeCompiler.stripTrailingSemicolon(actualSql);
        List<Dialect.Column> actualColumns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select * from (\n" + actual + "\n) dbt_unit_actual limit 0")) {
            ResultSetMetaData md = ps.executeQuery().getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) actualColumns.add(new Dialect.Column(md.getColumnLabel(i), md.getColumnTypeName(i)));
        }
        UnitTest.Fixture expect = n.unitTest.expect();
        List<String> compared = new ArrayList<>();
        if (expect.format().equals("sql") || dictRows(expect).isEmpty()) {
            for (Dialect.Column col : actualColumns) compared.add(col.name());
        } else {
            Set<String> keys = new LinkedHashSet<>();
            for (Map<String, Object> row : dictRows(expect)) keys.addAll(row.keySet());
            for (String k : keys) {
                if (actualColumns.stream().noneMatch(col -> col.name().equalsIgnoreCase(k))) {
                    throw new TemplateException("unit test '" + n.name + "' expects column '" + k + "' (" + expect.location() + "), which the model does not return"
                            + " (it returns " + actualColumns.stream().map(Dialect.Column::name).toList() + ")");
                }
                compared.add(k);
            }
        }
        List<Dialect.Column> expectedColumns = new ArrayList<>();
        for (String k : compared) {
            expectedColumns.add(actualColumns.stream().filter(col -> col.name().equalsIgnoreCase(k)).findFirst().orElseThrow());
        }
        String expected = rows(expect, expectedColumns, dialect);
        String cols = String.join(", ", compared.stream().map(dialect::quote).toList());
        return "with dbt_unit_actual as (\nselect " + cols + " from (\n" + actual + "\n) dbt_a\n),\n"
                + "dbt_unit_expected as (\nselect " + cols + " from (\n" + expected + "\n) dbt_e\n)\n"
                + "select 'actual' as dbt_unit_diff, * from (select * from dbt_unit_actual except all select * from dbt_unit_expected) dbt_extra\n"
                + "union all\n"
                + "select 'expected' as dbt_unit_diff, * from (select * from dbt_unit_expected except all select * from dbt_unit_actual) dbt_missing";
    }

    /** A fixture's rows as a query; known columns (of the relation it stands for) fix the types and fill missing values with null. */
    static String rows(UnitTest.Fixture f, List<Dialect.Column> known, Dialect dialect) {
        if (f.format().equals("sql")) return f.text().strip();
        List<Map<String, Object>> rows = dictRows(f);
        List<String> names = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (Dialect.Column col : known) {
            names.add(col.name());
            types.put(col.name().toLowerCase(java.util.Locale.ROOT), col.dataType());
        }
        for (Map<String, Object> row : rows) {
            for (String k : row.keySet()) {
                if (names.stream().noneMatch(x -> x.equalsIgnoreCase(k))) names.add(k);
            }
        }
        if (names.isEmpty()) {
            throw new TemplateException("the fixture at " + f.location() + " has no rows and its relation does not exist yet, so its columns are unknown: give at least one row");
        }
        List<String> selects = new ArrayList<>();
        for (Map<String, Object> row : rows) selects.add(select(row, names, types, dialect));
        if (selects.isEmpty()) return select(Map.of(), names, types, dialect) + " where 1 = 0";
        return String.join("\nunion all\n", selects);
    }

    private static String select(Map<String, Object> row, List<String> names, Map<String, String> types, Dialect dialect) {
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            Object v = null;
            for (Map.Entry<String, Object> e : row.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) v = e.getValue();
            }
            String literal = v == null ? "null" : v instanceof Boolean || v instanceof Number ? String.valueOf(v) : "'" + String.valueOf(v).replace("'", "''") + "'";
            String type = types.get(name.toLowerCase(java.util.Locale.ROOT));
            parts.add((type == null ? literal : "cast(" + literal + " as " + type + ")") + " as " + dialect.quote(name));
        }
        return "select " + String.join(", ", parts);
    }

    /** Rows of a dict or csv fixture as mappings (in csv, an empty field is null). */
    static List<Map<String, Object>> dictRows(UnitTest.Fixture f) {
        if (f.format().equals("dict")) return f.rows();
        if (!f.format().equals("csv")) return List.of();
        List<List<String>> lines = CsvReader.parse(f.text().strip() + "\n");
        List<Map<String, Object>> out = new ArrayList<>();
        if (lines.isEmpty()) return out;
        List<String> header = lines.get(0).stream().map(String::strip).toList();
        for (List<String> line : lines.subList(1, lines.size())) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String v = i < line.size() ? line.get(i).strip() : "";
                row.put(header.get(i), v.isEmpty() ? null : v);
            }
            out.add(row);
        }
        return out;
    }
}
