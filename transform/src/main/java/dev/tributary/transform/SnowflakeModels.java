package dev.tributary.transform;

import dev.tributary.spi.ConfigException;
import dev.tributary.transform.dialect.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * dbt-snowflake's model configs on the snowflake target, as its macros write them: tables {@code create or replace
 * [transient] table x [copy grants] as (...)} ({@code transient} true by default), with {@code cluster_by} the rows
 * ordered by the keys and then {@code alter table x cluster by (...)}, and {@code automatic_clustering} {@code alter
 * table x resume recluster}; views {@code create or replace [secure] view x [copy grants] as (...)}; incremental runs'
 * new rows in a {@code temporary view} or {@code temporary table} ({@code tmp_relation_type}; a view by default but for
 * delete+insert with a unique_key). {@code query_tag} ({@code alter session set query_tag}, put back after the node) and
 * {@code snowflake_warehouse} ({@code use warehouse}, put back after) hold for the whole node, hooks included.
 * dbt-snowflake configs Tributary does not implement are errors naming the model and the config.
 */
final class SnowflakeModels {
    /** dbt-snowflake (and dbt) configs that change what Snowflake builds and that this target does not implement. */
    private static final Set<String> UNSUPPORTED = Set.of("table_type", "external_volume", "base_location_root", "base_location_subpath",
            "catalog_name", "target_lag", "snowflake_initialization_warehouse", "refresh_mode", "initialize", "merge_update_columns",
            "merge_exclude_columns", "incremental_predicates", "persist_docs", "grants", "sql_header", "row_access_policy", "table_tag");

    private SnowflakeModels() {}

    /** Refuses a config this target would otherwise ignore: it names the node and the config. */
    static void checkConfigs(Node n) {
        for (String key : UNSUPPORTED) {
            Object v = n.config.get(key);
            boolean set = v != null && !(v instanceof Map<?, ?> m && (m.isEmpty() || m.values().stream().noneMatch(x -> Boolean.parseBoolean(String.valueOf(x)))))
                    && !(v instanceof List<?> l && l.isEmpty()) && !String.valueOf(v).isBlank() && !String.valueOf(v).equalsIgnoreCase("false");
            if (set) throw new ConfigException(n.path, key, n.type.label() + " '" + n.name + "' sets " + key + ", which the snowflake target does not support (see transform/README.md)");
        }
        String tmp = n.string("tmp_relation_type", "");
        if (!tmp.isEmpty() && !tmp.equals("view") && !tmp.equals("table")) {
            throw new ConfigException(n.path, "tmp_relation_type", "model '" + n.name + "': tmp_relation_type must be view or table, got '" + tmp + "'");
        }
    }

    /** The statements that build a table: the create, then the clustering key and automatic clustering when configured. */
    static List<String> createTable(Node n, String relation, String sql) {
        List<String> keys = Node.stringList(n.config.get("cluster_by"));
        String clusterBy = String.join(", ", keys);
        String body = keys.isEmpty() ? sql : "select * from (\n" + sql + "\n) order by (" + clusterBy + ")";
        List<String> out = new ArrayList<>();
        out.add("create or replace " + (n.flag("transient", true) ? "transient " : "") + "table " + relation
                + (n.flag("copy_grants", false) ? " copy grants" : "") + " as (\n" + body + "\n)");
        if (!keys.isEmpty()) {
            out.add("alter table " + relation + " cluster by (" + clusterBy + ")");
            if (n.flag("automatic_clustering", false)) out.add("alter table " + relation + " resume recluster");
        }
        return out;
    }

    static String createView(Node n, String relation, String sql) {
        return "create or replace " + (n.flag("secure", false) ? "secure " : "") + "view " + relation
                + (n.flag("copy_grants", false) ? " copy grants" : "") + " as (\n" + sql + "\n)";
    }

    /** Whether an incremental run's new rows go to a temporary view (else a temporary table), as dbt-snowflake decides. */
    static boolean tmpIsView(Node n, String strategy, boolean hasKey) {
        String tmp = n.string("tmp_relation_type", "");
        if (strategy.equals("delete+insert") && hasKey && tmp.equals("view")) {
            throw new ConfigException(n.path, "tmp_relation_type", "model '" + n.name
                    + "': the delete+insert strategy with a unique_key needs tmp_relation_type table (its delete and insert must read the same rows)");
        }
        if (!tmp.isEmpty()) return tmp.equals("view");
        return !(strategy.equals("delete+insert") && hasKey);
    }

    static String createTemporary(boolean view, String relation, String sql) {
        return "create or replace temporary " + (view ? "view " : "table ") + relation + " as (\n" + sql + "\n)";
    }

    /** What a node changed in the session, put back by {@link #restore}. */
    record Session(String queryTag, String warehouse) {}

    /**
     * Sets the node's {@code query_tag} and {@code snowflake_warehouse} (when it names another than the target's), as
     * dbt-snowflake does before a node; returns what to put back, or null when nothing was changed.
     */
    static Session enter(Node n, Connection c, String targetWarehouse) throws SQLException {
        String tag = n.string("query_tag", "");
        String warehouse = n.string("snowflake_warehouse", "");
        String previousTag = null;
        String previousWarehouse = null;
        if (!warehouse.isBlank() && !warehouse.equalsIgnoreCase(String.valueOf(targetWarehouse))) {
            previousWarehouse = single(c, "select current_warehouse() as warehouse");
            SqlRunner.execute(c, "use warehouse " + warehouse);
        }
        if (!tag.isBlank()) {
            previousTag = tagOf(c);
            SqlRunner.execute(c, "alter session set query_tag = " + literal(tag));
        }
        return previousTag == null && previousWarehouse == null ? null : new Session(previousTag, previousWarehouse);
    }

    /** Puts back the session's query tag (unset when there was none) and warehouse. */
    static void restore(Session s, Connection c) throws SQLException {
        if (s == null) return;
        if (s.queryTag() != null) SqlRunner.execute(c, s.queryTag().isEmpty() ? "alter session unset query_tag" : "alter session set query_tag = " + literal(s.queryTag()));
        if (s.warehouse() != null) SqlRunner.execute(c, "use warehouse " + s.warehouse());
    }

    private static String tagOf(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show parameters like 'query_tag' in session")) {
            if (!rs.next()) throw new SQLException("show parameters like 'query_tag' in session answered no row");
            String v = rs.getString("value");
            return v == null ? "" : v;
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String literal(String value) {
        return new dev.tributary.transform.dialect.SnowflakeDialect().literal(value);
    }

    static boolean applies(Dialect dialect) {
        return dialect instanceof dev.tributary.transform.dialect.SnowflakeDialect;
    }
}
