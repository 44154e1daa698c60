package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.dialect.Dialect;
import dev.tributary.transform.dialect.Dialect.RelationKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Models on Spark, as dbt-spark builds them on Iceberg: {@code create or replace view}, {@code create or replace
 * table ... as} (one Iceberg commit: readers see the old table or the new one, and its history is kept), and
 * incremental models by {@code incremental_strategy} {@code append} (default without unique_key), {@code merge}
 * (default with one: Iceberg's {@code MERGE INTO}) or {@code insert_overwrite} (the partitions the query writes, or the
 * whole table when unpartitioned) or {@code delete+insert} (which dbt-spark refuses: Iceberg deletes the rows whose
 * unique_key the new rows have, then appends them). Configs {@code file_format} ({@code using x}), {@code partition_by} and
 * {@code tblproperties} as dbt-spark's.
 */
final class SparkMaterializations {
    private final Dialect dialect;
    private final boolean fullRefresh;

    SparkMaterializations(Dialect dialect, boolean fullRefresh) {
        this.dialect = dialect;
        this.fullRefresh = fullRefresh;
    }

    String materialize(Node n, String sql, Connection c) throws SQLException {
        return switch (n.materialized()) {
            case "view" -> view(n, sql, c);
            case "table" -> table(n, sql, c);
            case "incremental" -> incremental(n, sql, c);
            default -> throw new IllegalStateException("cannot materialize " + n.materialized());
        };
    }

    private String view(Node n, String sql, Connection c) throws SQLException {
        dropIfKind(n, RelationKind.TABLE, c);
        SqlRunner.execute(c, "create or replace view " + dialect.relation(n.schema, n.identifier) + " as\n" + sql);
        return "CREATE VIEW";
    }

    private String table(Node n, String sql, Connection c) throws SQLException {
        dropIfKind(n, RelationKind.VIEW, c);
        String rel = dialect.relation(n.schema, n.identifier);
        SqlRunner.execute(c, "create or replace table " + rel + tableOptions(n) + " as\n" + sql);
        return "SELECT " + ModelMaterializer.count(c, rel);
    }

    private void dropIfKind(Node n, RelationKind kind, Connection c) throws SQLException {
        Optional<RelationKind> existing = dialect.relationKind(c, n.schema, n.identifier);
        if (existing.isPresent() && existing.get() == kind) SqlRunner.execute(c, dialect.dropRelation(kind, n.schema, n.identifier));
    }

    /** {@code using <file_format>}, {@code partitioned by (...)}, {@code tblproperties (...)} from the model's config. */
    private String tableOptions(Node n) {
        StringBuilder out = new StringBuilder();
        String format = n.string("file_format", "");
        if (!format.isBlank()) out.append(" using ").append(format);
        List<String> partitions = Node.stringList(n.config.get("partition_by"));
        if (!partitions.isEmpty()) out.append(" partitioned by (").append(String.join(", ", partitions)).append(")");
        if (n.config.get("tblproperties") instanceof Map<?, ?> props && !props.isEmpty()) {
            List<String> kv = new ArrayList<>();
            for (Map.Entry<?, ?> e : props.entrySet()) kv.add(dialect.literal(String.valueOf(e.getKey())) + " = " + dialect.literal(String.valueOf(e.getValue())));
            out.append(" tblproperties (").append(String.join(", ", kv)).append(")");
        }
        return out.toString();
    }

    private String incremental(Node n, String sql, Connection c) throws SQLException {
        Optional<RelationKind> existing = dialect.relationKind(c, n.schema, n.identifier);
        if (existing.isEmpty() || fullRefresh || existing.get() == RelationKind.VIEW) return table(n, sql, c);
        List<String> keys = Node.stringList(n.config.get("unique_key"));
        String strategy = n.string("incremental_strategy", keys.isEmpty() ? "append" : "merge").toLowerCase(Locale.ROOT);
        if (!Set.of("append", "merge", "insert_overwrite", "delete+insert").contains(strategy)) {
            throw new ConfigException(n.path, "incremental_strategy", "unsupported incremental_strategy '" + strategy
                    + "' on Spark (append, merge, insert_overwrite, delete+insert)");
        }
        if ((strategy.equals("merge") || strategy.equals("delete+insert")) && keys.isEmpty()) {
            throw new ConfigException(n.path, "unique_key", "incremental_strategy '" + strategy + "' needs a unique_key");
        }
        String target = dialect.relation(n.schema, n.identifier);
        String staged = dialect.quote(n.identifier + "__dbt_tmp");
        SqlRunner.execute(c, "create or replace temporary view " + staged + " as\n" + sql);
        try {
            List<String> cols = commonColumns(n, c, staged);
            String colList = String.join(", ", cols);
            int rows = ModelMaterializer.count(c, staged);
            switch (strategy) {
                case "append" -> SqlRunner.execute(c, "insert into " + target + " (" + colList + ") select " + colList + " from " + staged);
                case "delete+insert" -> {
                    // dbt-spark refuses this strategy; on Iceberg it is a row-level delete of the keys the new rows
                    // have (any number of rows per key, unlike MERGE), then an append: two commits, not one
                    List<String> same = new ArrayList<>();
                    for (String k : keys) same.add("__dbt_dest." + dialect.quote(k.trim()) + " = __dbt_src." + dialect.quote(k.trim()));
                    SqlRunner.execute(c, "delete from " + target + " as __dbt_dest where exists (select 1 from " + staged + " as __dbt_src where "
                            + String.join(" and ", same) + ")");
                    SqlRunner.execute(c, "insert into " + target + " (" + colList + ") select " + colList + " from " + staged);
                }
                case "insert_overwrite" -> {
                    SqlRunner.execute(c, "set spark.sql.sources.partitionOverwriteMode = dynamic");
                    SqlRunner.execute(c, "insert overwrite " + target + " (" + colList + ") select " + colList + " from " + staged);
                }
                default -> {
                    List<String> on = new ArrayList<>();
                    for (String k : keys) on.add("__dbt_dest." + dialect.quote(k.trim()) + " = __dbt_src." + dialect.quote(k.trim()));
                    List<String> sets = new ArrayList<>();
                    List<String> values = new ArrayList<>();
                    for (String col : cols) {
                        sets.add("__dbt_dest." + col + " = __dbt_src." + col);
                        values.add("__dbt_src." + col);
                    }
                    SqlRunner.execute(c, "merge into " + target + " as __dbt_dest using " + staged + " as __dbt_src on " + String.join(" and ", on)
                            + " when matched then update set " + String.join(", ", sets)
                            + " when not matched then insert (" + colList + ") values (" + String.join(", ", values) + ")");
                }
            }
            return "INSERT " + rows;
        } finally {
            SqlRunner.execute(c, "drop view if exists " + staged);
        }
    }

    /**
     * The columns both the new rows and the table have, after dbt's {@code on_schema_change}: {@code ignore} (default),
     * {@code fail}, {@code append_new_columns} or {@code sync_all_columns} (new columns added; removed ones dropped).
     */
    private List<String> commonColumns(Node n, Connection c, String staged) throws SQLException {
        String mode = n.string("on_schema_change", "ignore").toLowerCase(Locale.ROOT);
        if (!Set.of("ignore", "fail", "append_new_columns", "sync_all_columns").contains(mode)) {
            throw new ConfigException(n.path, "on_schema_change", "unsupported on_schema_change '" + mode + "' (ignore, fail, append_new_columns, sync_all_columns)");
        }
        Map<String, Dialect.Column> source = new LinkedHashMap<>();
        try (var s = c.createStatement(); var rs = s.executeQuery("select * from " + staged + " limit 0")) {
            var md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) source.put(md.getColumnName(i).toLowerCase(Locale.ROOT), new Dialect.Column(md.getColumnName(i), md.getColumnTypeName(i)));
        }
        Map<String, Dialect.Column> target = new LinkedHashMap<>();
        for (Dialect.Column col : dialect.columns(c, n.schema, n.identifier)) target.put(col.name().toLowerCase(Locale.ROOT), col);
        List<Dialect.Column> added = new ArrayList<>();
        for (var e : source.entrySet()) if (!target.containsKey(e.getKey())) added.add(e.getValue());
        List<String> removed = new ArrayList<>();
        for (var e : target.entrySet()) if (!source.containsKey(e.getKey())) removed.add(e.getValue().name());
        String rel = dialect.relation(n.schema, n.identifier);
        if (!added.isEmpty() || !removed.isEmpty()) {
            if (mode.equals("fail")) {
                throw new SQLException("The source and target schemas on this incremental model are out of sync! (on_schema_change='fail')"
                        + (added.isEmpty() ? "" : " new columns: " + added.stream().map(Dialect.Column::name).toList() + ";")
                        + (removed.isEmpty() ? "" : " missing columns: " + removed + ";")
                        + " run with --full-refresh or set on_schema_change to append_new_columns or sync_all_columns");
            }
            if (!mode.equals("ignore")) {
                for (Dialect.Column col : added) {
                    SqlRunner.execute(c, "alter table " + rel + " add column " + dialect.quote(col.name()) + " " + col.dataType());
                    target.put(col.name().toLowerCase(Locale.ROOT), col);
                }
            }
            if (mode.equals("sync_all_columns")) {
                for (String col : removed) {
                    SqlRunner.execute(c, "alter table " + rel + " drop column " + dialect.quote(col));
                    target.remove(col.toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (var e : source.entrySet()) if (target.containsKey(e.getKey())) out.add(dialect.quote(e.getValue().name()));
        return out;
    }
}
