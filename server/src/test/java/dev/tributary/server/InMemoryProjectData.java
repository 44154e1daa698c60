package dev.tributary.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link ProjectData} whose connections, models and check results a test sets; queries are refused. */
final class InMemoryProjectData implements ProjectData {
    final List<ConnectionInfo> connections = new ArrayList<>();
    final List<ModelInfo> models = new ArrayList<>();
    /** Every stored check result, in any order. */
    final List<CheckResult> results = new ArrayList<>();
    final Map<String, List<ColumnInfo>> modelColumns = new HashMap<>();
    final Map<String, Long> rows = new HashMap<>();

    @Override
    public List<ConnectionInfo> connections() {
        return connections;
    }

    @Override
    public List<ModelInfo> models() {
        return models;
    }

    @Override
    public Optional<ModelInfo> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    @Override
    public Optional<Long> rowCount(ModelInfo model) {
        return Optional.ofNullable(rows.get(model.name()));
    }

    @Override
    public List<ColumnInfo> columns(ModelInfo model) {
        return modelColumns.getOrDefault(model.name(), List.of());
    }

    @Override
    public List<CheckResult> latestChecks() {
        Map<String, CheckResult> latest = new HashMap<>();
        for (CheckResult r : results) latest.merge(r.name(), r, (a, b) -> a.runAt().isAfter(b.runAt()) ? a : b);
        List<CheckResult> out = new ArrayList<>(latest.values());
        out.sort(java.util.Comparator.comparingInt(CheckResult::severity).thenComparing(CheckResult::name));
        return out;
    }

    @Override
    public List<CheckResult> checkHistory(String checkName, int limit) {
        return results.stream().filter(r -> r.name().equals(checkName)).sorted((a, b) -> b.runAt().compareTo(a.runAt())).limit(limit).toList();
    }

    @Override
    public Map<String, Long> checkFailureCounts() {
        return Map.of();
    }

    @Override
    public QueryResult query(String sql, int maxRows) {
        throw new IllegalStateException("no warehouse in this test");
    }

    @Override
    public String selectAllFrom(String modelName) {
        return "select * from " + modelName;
    }

    static ModelInfo model(String name, String result, String... dependsOn) {
        return new ModelInfo("model.demo." + name, name, "model", "table", Optional.of("\"main\".\"" + name + "\""), Optional.of("select 1 as <x>"),
                Optional.empty(), List.of(dependsOn), result == null ? Optional.empty()
                        : Optional.of(new ModelResult(result, "OK", 0.5, Optional.of(FakePipelineService.T0))));
    }
}
