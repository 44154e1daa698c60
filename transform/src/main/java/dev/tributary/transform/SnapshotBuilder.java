package dev.tributary.transform;

import dev.tributary.transform.dialect.Dialect;
import dev.tributary.transform.dialect.Dialect.RelationKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Type-2 history of a query, like dbt snapshots: each version of a row with dbt_valid_from / dbt_valid_to,
 * changes found by the timestamp strategy (updated_at grew) or the check strategy (check_cols differ).
 */
final class SnapshotBuilder {
    private final Dialect dialect;
    /** Asked right before each commit that changes the snapshot (see {@link TransformRunner#useCommitGate}). */
    private final java.util.function.BooleanSupplier gate;

    SnapshotBuilder(Dialect dialect, java.util.function.BooleanSupplier gate) {
        this.dialect = dialect;
        this.gate = gate;
    }

    String build(Node n, String sql, Connection c) throws SQLException {
        String body = NodeCompiler.stripTrailingSemicolon(sql);
        String target = dialect.relation(n.schema, n.identifier);
        List<String> keys = Node.stringList(n.config.get("unique_key"));
        boolean timestamp = n.string("strategy", "timestamp").equalsIgnoreCase("timestamp");
        String updatedAt = timestamp ? "cast(" + n.string("updated_at", "") + " as " + dialect.timestampType() + ")" : dialect.currentTimestamp();
        String keyText = keyText(keys, "");
        if (dialect.relationKind(c, n.schema, n.identifier).isEmpty()) {
            String first = "create table " + target + " as (select __dbt_s.*, md5(" + keyText(keys, "__dbt_s.") + " || '|' || " + dialect.castText("__dbt_upd") + ") as dbt_scd_id,"
                    + " __dbt_upd as dbt_updated_at, __dbt_upd as dbt_valid_from, cast(null as " + dialect.timestampType() + ") as dbt_valid_to"
                    + " from (select *, " + updatedAt + " as __dbt_upd from (\n" + body + "\n) __dbt_q) __dbt_s)";
            // the helper column __dbt_upd is dropped right after; DuckDB and PostgreSQL both allow it
            SqlRunner.inTransaction(c, gate, first, "alter table " + target + " drop column __dbt_upd");
            return "INSERT " + ModelMaterializer.count(c, target);
        }
        String staging = dialect.relation(n.schema, n.identifier + "__dbt_staging");
        String changes = dialect.relation(n.schema, n.identifier + "__dbt_changes");
        SqlRunner.execute(c, dialect.dropRelation(RelationKind.TABLE, n.schema, n.identifier + "__dbt_staging"));
        SqlRunner.execute(c, dialect.dropRelation(RelationKind.TABLE, n.schema, n.identifier + "__dbt_changes"));
        StringBuilder keyCols = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) keyCols.append(", ").append(keys.get(i)).append(" as __dbt_key_").append(i);
        SqlRunner.execute(c, "create table " + staging + " as (select *" + keyCols + ", " + updatedAt + " as __dbt_upd from (\n" + body + "\n) __dbt_q)");
        List<String> sourceCols = new ArrayList<>();
        for (Dialect.Column col : dialect.columns(c, n.schema, n.identifier + "__dbt_staging")) {
            if (!col.name().toLowerCase(Locale.ROOT).startsWith("__dbt_")) sourceCols.add(col.name());
        }
        List<String> targetCols = new ArrayList<>();
        for (Dialect.Column col : dialect.columns(c, n.schema, n.identifier)) targetCols.add(col.name().toLowerCase(Locale.ROOT));
        String current = "(select *" + keyCols + " from " + target + " where dbt_valid_to is null)";
        List<String> join = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) join.add("__dbt_cur.__dbt_key_" + i + " = __dbt_src.__dbt_key_" + i);
        String changed;
        if (timestamp) {
            changed = "__dbt_src.__dbt_upd > __dbt_cur.dbt_updated_at";
        } else {
            List<String> checkCols = Node.stringList(n.config.get("check_cols"));
            if (checkCols.size() == 1 && checkCols.get(0).equalsIgnoreCase("all")) checkCols = sourceCols;
            List<String> diffs = new ArrayList<>();
            for (String col : checkCols) diffs.add("__dbt_src." + dialect.quote(col) + " is distinct from __dbt_cur." + dialect.quote(col));
            changed = "(" + String.join(" or ", diffs) + ")";
        }
        SqlRunner.execute(c, "create table " + changes + " as (select __dbt_src.*, __dbt_cur.dbt_scd_id as __dbt_cur_scd_id from " + staging + " __dbt_src left join "
                + current + " __dbt_cur on " + String.join(" and ", join) + " where __dbt_cur.__dbt_key_0 is null or " + changed + ")");
        List<String> insertCols = new ArrayList<>();
        for (String col : sourceCols) {
            if (targetCols.contains(col.toLowerCase(Locale.ROOT))) insertCols.add(dialect.quote(col));
        }
        String cols = String.join(", ", insertCols);
        String tableName = dialect.quote(n.identifier);
        String closeChanged = "update " + target + " set dbt_valid_to = (select __dbt_ch.__dbt_upd from " + changes + " __dbt_ch where __dbt_ch.__dbt_cur_scd_id = "
                + tableName + ".dbt_scd_id) where dbt_valid_to is null and dbt_scd_id in (select __dbt_cur_scd_id from " + changes + " where __dbt_cur_scd_id is not null)";
        if (dialect instanceof dev.tributary.transform.dialect.SparkDialect) { // Iceberg updates take no correlated subquery: a merge
            closeChanged = "merge into " + target + " as __dbt_dest using (select * from " + changes + " where __dbt_cur_scd_id is not null) as __dbt_ch"
                    + " on __dbt_dest.dbt_scd_id = __dbt_ch.__dbt_cur_scd_id and __dbt_dest.dbt_valid_to is null"
                    + " when matched then update set dbt_valid_to = __dbt_ch.__dbt_upd";
        }
        String insertNew = "insert into " + target + " (" + cols + ", dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to) select " + cols + ", md5("
                + keyText.replace("__KEY__", "") + " || '|' || " + dialect.castText("__dbt_upd") + "), __dbt_upd, __dbt_upd, cast(null as " + dialect.timestampType() + ") from " + changes;
        String closeDeleted = null;
        boolean hardDeletes = Boolean.parseBoolean(n.string("invalidate_hard_deletes", "false")) || n.string("hard_deletes", "ignore").equalsIgnoreCase("invalidate");
        if (hardDeletes) {
            List<String> srcJoin = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) srcJoin.add("__dbt_src.__dbt_key_" + i + " = __dbt_cur.__dbt_key_" + i);
            closeDeleted = "update " + target + " set dbt_valid_to = " + dialect.currentTimestamp() + " where dbt_valid_to is null and dbt_scd_id in (select __dbt_cur.dbt_scd_id from "
                    + current + " __dbt_cur where not exists (select 1 from " + staging + " __dbt_src where " + String.join(" and ", srcJoin) + "))";
        }
        int changed0 = ModelMaterializer.count(c, changes);
        SqlRunner.inTransaction(c, gate, closeChanged, insertNew, closeDeleted,
                dialect.dropRelation(RelationKind.TABLE, n.schema, n.identifier + "__dbt_changes"),
                dialect.dropRelation(RelationKind.TABLE, n.schema, n.identifier + "__dbt_staging"));
        return "INSERT " + changed0;
    }

    private String keyText(List<String> keys, String prefix) {
        List<String> parts = new ArrayList<>();
        for (String k : keys) parts.add("coalesce(" + dialect.castText(prefix + k) + ", '')");
        return String.join(" || '|' || ", parts);
    }
}
