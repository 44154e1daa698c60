package dev.tributary.server;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the UI shows beyond pipelines: connections and their tables, models and lineage, data-quality results and
 * dashboard queries. Every method reads only and answers with empty results on a fresh project.
 */
public interface ProjectData {
    /** The project's name (tributary.yml's {@code name:}), shown in page titles; "" when unknown. */
    default String projectName() {
        return "";
    }

    List<ConnectionInfo> connections();

    /** One logical connection's tables (a tenant's copy of a multi-tenant connection), read from its own schema only. */
    default ConnectionInfo connectionData(String name, String type, String schema) {
        return new ConnectionInfo(name, type, schema, List.of());
    }

    /** Sources, seeds, snapshots and models of the transform project with their dependencies and last results. */
    List<ModelInfo> models();

    Optional<ModelInfo> model(String name);

    /** Rows in the model's relation now, when it can be counted. */
    Optional<Long> rowCount(ModelInfo model);

    /** The latest result of every check. */
    List<CheckResult> latestChecks();

    /** Results of one check, newest first. */
    List<CheckResult> checkHistory(String checkName, int limit);

    /** How many times each check has failed or errored, ever. */
    Map<String, Long> checkFailureCounts();

    /** Runs a dashboard query (read only) and returns at most {@code maxRows} rows. */
    QueryResult query(String sql, int maxRows);

    /**
     * Runs a dashboard query with {@code ?} placeholders bound to {@code parameters} in order ({@link java.time.Instant}s
     * are bound as timestamps), never pasted into the SQL.
     */
    default QueryResult query(String sql, List<Object> parameters, int maxRows) {
        if (parameters.isEmpty()) return query(sql, maxRows);
        throw new IllegalStateException("this project's warehouse cannot take query parameters");
    }

    /** The columns of a model's relation in the warehouse, in order; empty when it is not built or cannot be read. */
    default List<ColumnInfo> columns(ModelInfo model) {
        return List.of();
    }

    /** The SQL that reads a whole model, for {@code model:} charts. */
    String selectAllFrom(String modelName);

    record ConnectionInfo(String name, String type, String schema, List<StreamInfo> streams) {
        public ConnectionInfo {
            streams = List.copyOf(streams);
        }
    }

    /** A loaded table: row count, when its stream last committed, and its columns. */
    record StreamInfo(String name, Optional<Long> rows, Optional<Instant> lastSync, List<ColumnInfo> columns) {
        public StreamInfo {
            columns = List.copyOf(columns);
        }
    }

    record ColumnInfo(String name, String type) {}

    /**
     * @param kind source, seed, snapshot or model
     * @param dependsOn names (not ids) of the nodes it reads
     */
    record ModelInfo(String uniqueId, String name, String kind, String materialized, Optional<String> relation,
                     Optional<String> rawSql, Optional<String> compiledSql, List<String> dependsOn, Optional<ModelResult> lastResult) {
        public ModelInfo {
            dependsOn = List.copyOf(dependsOn);
        }
    }

    record ModelResult(String status, String message, double executionSeconds, Optional<Instant> completedAt) {}

    /** One stored check result; {@code samples} is the JSON array of sample failing rows as stored. */
    record CheckResult(String name, String type, String table, String column, String status, Optional<Double> value,
                       String warnThreshold, String failThreshold, String samples, String message, Instant runAt) {
        /** error, fail, warn, pass: how bad, for ordering (0 = worst). */
        public int severity() {
            return switch (status) {
                case "error" -> 0;
                case "fail" -> 1;
                case "warn" -> 2;
                default -> 3;
            };
        }
    }

    record QueryResult(List<String> columns, List<List<Object>> rows) {
        public QueryResult {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    /** For a server without a project (tests of pipelines only). */
    ProjectData NONE = new ProjectData() {
        public List<ConnectionInfo> connections() { return List.of(); }
        public List<ModelInfo> models() { return List.of(); }
        public Optional<ModelInfo> model(String name) { return Optional.empty(); }
        public Optional<Long> rowCount(ModelInfo model) { return Optional.empty(); }
        public List<CheckResult> latestChecks() { return List.of(); }
        public List<CheckResult> checkHistory(String checkName, int limit) { return List.of(); }
        public Map<String, Long> checkFailureCounts() { return Map.of(); }
        public QueryResult query(String sql, int maxRows) { throw new IllegalStateException("no warehouse configured"); }
        public String selectAllFrom(String modelName) { return "select * from " + modelName; }
    };
}
