package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.dialect.Dialect;
import dev.tributary.transform.dialect.Dialect.RelationKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Builds a model as a view, a table (built aside then swapped in) or an incremental table. */
final class ModelMaterializer {
    private final Dialect dialect;
    private final boolean fullRefresh;
    /** Asked right before each commit that changes the model's relation (see {@link TransformRunner#useCommitGate}). */
    private final java.util.function.BooleanSupplier gate;

    ModelMaterializer(Dialect dialect, boolean fullRefresh, java.util.function.BooleanSupplier gate) {
        this.dialect = dialect;
        this.fullRefresh = fullRefresh;
        this.gate = gate;
    }

    /** Returns the adapter-style message, such as {@code CREATE VIEW} or {@code SELECT 42}. */
    String materialize(Node n, String sql, Connection c) throws SQLException {
        String body = NodeCompiler.stripTrailingSemicolon(sql);
        if (dialect instanceof dev.tributary.transform.dialect.SparkDialect) {
            SqlRunner.requireGate(gate); // Spark's statements commit Iceberg snapshots themselves: asked before them
            return new SparkMaterializations(dialect, fullRefresh).materialize(n, body, c);
        }
        if (SnowflakeModels.applies(dialect)) SnowflakeModels.checkConfigs(n);
        return switch (n.materialized()) {
            case "view" -> view(n, body, c);
            case "table" -> table(n, body, c);
            case "incremental" -> incremental(n, body, c);
            default -> throw new IllegalStateException("cannot materialize " + n.materialized());
        };
    }

    private String view(Node n, String sql, Connection c) throws SQLException {
        if (dialect.replacesInPlace()) {
            SqlRunner.requireGate(gate); // Snowflake commits DDL at once: asked before the replacement
            dropIfKind(n, RelationKind.TABLE, c);
            String rel = dialect.relation(n.schema, n.identifier);
            SqlRunner.execute(c, SnowflakeModels.applies(dialect) ? SnowflakeModels.createView(n, rel, sql) : dialect.createOrReplaceView(rel, sql));
            return "CREATE VIEW";
        }
        String tmp = n.identifier + "__dbt_tmp";
        SqlRunner.execute(c, dialect.dropRelation(RelationKind.VIEW, n.schema, tmp));
        SqlRunner.execute(c, "create view " + dialect.relation(n.schema, tmp) + " as (\n" + sql + "\n)");
        swap(n, RelationKind.VIEW, tmp, c);
        return "CREATE VIEW";
    }

    private String table(Node n, String sql, Connection c) throws SQLException {
        if (dialect.replacesInPlace()) {
            SqlRunner.requireGate(gate);
            dropIfKind(n, RelationKind.VIEW, c);
            String target = dialect.relation(n.schema, n.identifier);
            if (SnowflakeModels.applies(dialect)) {
                for (String statement : SnowflakeModels.createTable(n, target, sql)) SqlRunner.execute(c, statement);
            } else {
                SqlRunner.execute(c, dialect.createOrReplaceTable(target, sql));
            }
            return "SELECT " + count(c, target);
        }
        String tmp = n.identifier + "__dbt_tmp";
        SqlRunner.execute(c, dialect.dropRelation(RelationKind.TABLE, n.schema, tmp));
        int rows = SqlRunner.execute(c, "create table " + dialect.relation(n.schema, tmp) + " as (\n" + sql + "\n)");
        if (rows < 0) rows = count(c, dialect.relation(n.schema, tmp)); // DuckDB reports no row count for create table as
        swap(n, RelationKind.TABLE, tmp, c);
        return rows >= 0 ? "SELECT " + rows : "CREATE TABLE";
    }

    /** Drops the model's relation if it exists as the other kind (create or replace keeps to one kind). */
    private void dropIfKind(Node n, RelationKind kind, Connection c) throws SQLException {
        if (dialect.relationKind(c, n.schema, n.identifier).orElse(null) == kind) SqlRunner.execute(c, dialect.dropRelation(kind, n.schema, n.identifier));
    }

    /** Replaces the existing relation with the one built under tmp, in one transaction. */
    private void swap(Node n, RelationKind kind, String tmp, Connection c) throws SQLException {
        Optional<RelationKind> existing = dialect.relationKind(c, n.schema, n.identifier);
        SqlRunner.inTransaction(c, gate,
                existing.map(k -> dialect.dropRelation(k, n.schema, n.identifier)).orElse(null),
                dialect.rename(kind, n.schema, tmp, n.identifier));
    }

    private String incremental(Node n, String sql, Connection c) throws SQLException {
        Optional<RelationKind> existing = dialect.relationKind(c, n.schema, n.identifier);
        if (existing.isEmpty() || fullRefresh || existing.get() == RelationKind.VIEW) return table(n, sql, c);
        String tmp = n.identifier + "__dbt_tmp";
        String target = dialect.relation(n.schema, n.identifier);
        String staged = dialect.relation(n.schema, tmp);
        List<String> keys = Node.stringList(n.config.get("unique_key"));
        boolean snowflake = SnowflakeModels.applies(dialect);
        // dbt-snowflake's default is merge, which without a unique_key inserts every row: append
        String strategy = n.string("incremental_strategy", keys.isEmpty() ? "append" : snowflake ? "merge" : "delete+insert")
                .toLowerCase(Locale.ROOT);
        // dbt-snowflake: the new rows in a temporary view or table (of this session), dropped after
        RelationKind tmpKind = snowflake && SnowflakeModels.tmpIsView(n, strategy, !keys.isEmpty()) ? RelationKind.VIEW : RelationKind.TABLE;
        String drop = dialect.dropRelation(tmpKind, n.schema, tmp);
        if (snowflake) {
            SqlRunner.execute(c, SnowflakeModels.createTemporary(tmpKind == RelationKind.VIEW, staged, sql));
        } else {
            SqlRunner.execute(c, drop);
            SqlRunner.execute(c, dialect.replacesInPlace() ? dialect.createOrReplaceTable(staged, sql) : "create table " + staged + " as (\n" + sql + "\n)");
        }
        Set<String> targetCols = new java.util.HashSet<>();
        try {
            SqlRunner.requireGate(gate); // on_schema_change may alter the target's columns: asked before that
            targetCols = onSchemaChange(n, c, tmp);
        } catch (SQLException | RuntimeException e) {
            SqlRunner.execute(c, drop);
            throw e;
        }
        List<String> cols = new ArrayList<>();
        for (Dialect.Column col : dialect.columns(c, n.schema, tmp)) {
            if (targetCols.contains(col.name().toLowerCase(Locale.ROOT))) cols.add(dialect.quote(col.name()));
        }
        String colList = String.join(", ", cols);
        String insertAll = "insert into " + target + " (" + colList + ") select " + colList + " from " + staged;
        int before = count(c, staged);
        switch (strategy) {
            case "append" -> SqlRunner.inTransaction(c, gate, insertAll, drop);
            case "insert_overwrite" -> {
                if (!snowflake) throw new ConfigException(n.path, "incremental_strategy", "unsupported incremental_strategy 'insert_overwrite' (append, merge, delete+insert)");
                // dbt-snowflake: one statement that replaces every row of the table with the new ones (it commits
                // by itself: the gate is asked before it)
                SqlRunner.requireGate(gate);
                SqlRunner.execute(c, "insert overwrite into " + target + " (" + colList + ") select " + colList + " from " + staged);
                SqlRunner.execute(c, drop);
            }
            case "delete+insert" -> {
                requireKeys(n, keys, strategy);
                String match = match(keys, target, "__dbt_src");
                SqlRunner.inTransaction(c, gate,
                        "delete from " + target + " where exists (select 1 from " + staged + " as __dbt_src where " + match + ")",
                        insertAll, drop);
            }
            case "merge" -> {
                requireKeys(n, keys, strategy);
                List<String> sets = new ArrayList<>();
                Set<String> keySet = new java.util.HashSet<>();
                for (String k : keys) keySet.add(dialect.quote(k.trim()));
                for (String col : cols) {
                    if (!keySet.contains(col)) sets.add(col + " = __dbt_src." + col);
                }
                if (dialect.supportsMerge()) {
                    List<String> srcCols = new ArrayList<>();
                    for (String col : cols) srcCols.add("__dbt_src." + col);
                    String merge = "merge into " + target + " using " + staged + " as __dbt_src on " + match(keys, target, "__dbt_src")
                            + (sets.isEmpty() ? "" : " when matched then update set " + String.join(", ", sets))
                            + " when not matched then insert (" + colList + ") values (" + String.join(", ", srcCols) + ")";
                    SqlRunner.inTransaction(c, gate, merge);
                    SqlRunner.execute(c, drop);
                    return "INSERT " + before;
                }
                String update = sets.isEmpty() ? null
                        : "update " + target + " set " + String.join(", ", sets) + " from " + staged + " as __dbt_src where " + match(keys, target, "__dbt_src");
                String insertNew = "insert into " + target + " (" + colList + ") select " + colList + " from " + staged + " as __dbt_src where not exists (select 1 from "
                        + target + " where " + match(keys, target, "__dbt_src") + ")";
                SqlRunner.inTransaction(c, gate, update, insertNew, drop);
            }
            default -> throw new ConfigException(n.path, "incremental_strategy", "unsupported incremental_strategy '" + strategy + "' (append, merge, delete+insert"
                    + (snowflake ? ", insert_overwrite)" : ")"));
        }
        return "INSERT " + before;
    }

    /**
     * dbt's {@code on_schema_change} for an incremental run: {@code ignore} (default: new columns are left out),
     * {@code fail}, {@code append_new_columns} (add them; removed ones stay, filled with null) or
     * {@code sync_all_columns} (add new ones, drop removed ones, change changed types). Returns the target's columns.
     */
    private Set<String> onSchemaChange(Node n, Connection c, String tmp) throws SQLException {
        String mode = n.string("on_schema_change", "ignore").toLowerCase(Locale.ROOT);
        if (!Set.of("ignore", "fail", "append_new_columns", "sync_all_columns").contains(mode)) {
            throw new ConfigException(n.path, "on_schema_change", "unsupported on_schema_change '" + mode + "' (ignore, fail, append_new_columns, sync_all_columns)");
        }
        java.util.Map<String, Dialect.Column> target = new java.util.LinkedHashMap<>();
        for (Dialect.Column col : dialect.columns(c, n.schema, n.identifier)) target.put(col.name().toLowerCase(Locale.ROOT), col);
        java.util.Map<String, Dialect.Column> source = new java.util.LinkedHashMap<>();
        for (Dialect.Column col : dialect.columns(c, n.schema, tmp)) source.put(col.name().toLowerCase(Locale.ROOT), col);
        List<Dialect.Column> added = new ArrayList<>();
        List<Dialect.Column> removed = new ArrayList<>();
        List<Dialect.Column> changed = new ArrayList<>();
        for (var e : source.entrySet()) {
            Dialect.Column t = target.get(e.getKey());
            if (t == null) added.add(e.getValue());
            else if (!t.dataType().equalsIgnoreCase(e.getValue().dataType())) changed.add(e.getValue());
        }
        for (var e : target.entrySet()) if (!source.containsKey(e.getKey())) removed.add(e.getValue());
        boolean differs = !added.isEmpty() || !removed.isEmpty() || !changed.isEmpty();
        if (!differs || mode.equals("ignore")) return target.keySet();
        String rel = dialect.relation(n.schema, n.identifier);
        if (mode.equals("fail")) {
            throw new SQLException("The source and target schemas on this incremental model are out of sync! (on_schema_change='fail')"
                    + (added.isEmpty() ? "" : " new columns: " + names(added) + ";") + (removed.isEmpty() ? "" : " missing columns: " + names(removed) + ";")
                    + (changed.isEmpty() ? "" : " changed types: " + names(changed) + ";")
                    + " run with --full-refresh or set on_schema_change to append_new_columns or sync_all_columns");
        }
        List<String> ddl = new ArrayList<>();
        for (Dialect.Column col : added) ddl.add("alter table " + rel + " add column " + dialect.quote(col.name()) + " " + col.dataType());
        if (mode.equals("sync_all_columns")) {
            for (Dialect.Column col : removed) ddl.add("alter table " + rel + " drop column " + dialect.quote(col.name()));
            for (Dialect.Column col : changed) ddl.add("alter table " + rel + " alter column " + dialect.quote(col.name()) + " type " + col.dataType());
        }
        for (String sql : ddl) SqlRunner.execute(c, sql);
        Set<String> out = new java.util.HashSet<>();
        for (Dialect.Column col : dialect.columns(c, n.schema, n.identifier)) out.add(col.name().toLowerCase(Locale.ROOT));
        return out;
    }

    private static List<String> names(List<Dialect.Column> cols) {
        List<String> out = new ArrayList<>();
        for (Dialect.Column col : cols) out.add(col.name());
        return out;
    }

    private static void requireKeys(Node n, List<String> keys, String strategy) {
        if (keys.isEmpty()) throw new ConfigException(n.path, "unique_key", "incremental_strategy '" + strategy + "' needs a unique_key");
    }

    private String match(List<String> keys, String target, String alias) {
        List<String> parts = new ArrayList<>();
        for (String k : keys) parts.add(target + "." + dialect.quote(k.trim()) + " = " + alias + "." + dialect.quote(k.trim()));
        return String.join(" and ", parts);
    }

    static int count(Connection c, String relation) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery("select count(*) from " + relation)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
