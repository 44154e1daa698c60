package dev.tributary.transform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes target/manifest.json and target/run_results.json in dbt's shapes (the commonly read fields). */
final class ArtifactWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ArtifactWriter() {}

    static void writeManifest(TransformProject p, Map<String, String> compiled, String invocationId) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("metadata", metadata("manifest/v12", invocationId));
        root.put("nodes", nodes(p, compiled));
        root.put("sources", sources(p));
        root.put("macros", Map.of());
        Map<String, Object> docs = new LinkedHashMap<>();
        p.docs.forEach((k, v) -> docs.put("doc." + p.name + "." + k, Map.of("name", k, "block_contents", v, "unique_id", "doc." + p.name + "." + k)));
        root.put("docs", docs);
        Map<String, List<String>> parentMap = new LinkedHashMap<>();
        Map<String, List<String>> childMap = new LinkedHashMap<>();
        for (String s : p.sources.keySet()) childMap.put(s, new ArrayList<>());
        for (Node n : p.nodes.values()) {
            parentMap.put(n.uniqueId, new ArrayList<>(n.dependsOn));
            childMap.putIfAbsent(n.uniqueId, new ArrayList<>());
        }
        for (Node n : p.nodes.values()) {
            for (String d : n.dependsOn) childMap.computeIfAbsent(d, k -> new ArrayList<>()).add(n.uniqueId);
        }
        root.put("parent_map", parentMap);
        root.put("child_map", childMap);
        write(p.targetPath.resolve("manifest.json"), root);
    }

    /**
     * The Jinja {@code graph} variable as dbt gives it: {@code nodes} and {@code sources} keyed by unique id, in the
     * manifest's shapes, and empty {@code exposures}, {@code metrics}, {@code groups}, {@code semantic_models}.
     */
    static Map<String, Object> graph(TransformProject p) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("nodes", nodes(p, Map.of()));
        g.put("sources", sources(p));
        g.put("exposures", Map.of());
        g.put("metrics", Map.of());
        g.put("groups", Map.of());
        g.put("semantic_models", Map.of());
        g.put("saved_queries", Map.of());
        return g;
    }

    private static Map<String, Object> nodes(TransformProject p, Map<String, String> compiled) {
        Map<String, Object> nodes = new LinkedHashMap<>();
        for (Node n : p.nodes.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unique_id", n.uniqueId);
            m.put("resource_type", n.type.label());
            m.put("name", n.name);
            m.put("package_name", n.packageName());
            m.put("path", n.path);
            m.put("original_file_path", n.path);
            m.put("fqn", n.fqn);
            m.put("database", p.target.database());
            m.put("schema", n.schema);
            m.put("alias", n.identifier);
            m.put("relation_name", n.type == ResourceType.MODEL && n.materialized().equals("ephemeral") ? null : n.dialect(p.dialect()).relation(n.schema, n.identifier));
            Map<String, Object> config = new LinkedHashMap<>(n.config);
            config.putIfAbsent("enabled", true);
            config.put("materialized", n.materialized());
            config.putIfAbsent("tags", List.of());
            m.put("config", config);
            m.put("tags", n.tags());
            m.put("description", n.description);
            Map<String, Object> cols = new LinkedHashMap<>();
            n.columnDescriptions.forEach((k, v) -> cols.put(k, Map.of("name", k, "description", v)));
            m.put("columns", cols);
            m.put("depends_on", Map.of("nodes", new ArrayList<>(n.dependsOn), "macros", List.of()));
            List<Map<String, Object>> refs = new ArrayList<>();
            for (List<String> r : n.refs) {
                Map<String, Object> ref = new LinkedHashMap<>();
                ref.put("name", r.get(r.size() - 1));
                ref.put("package", r.size() > 1 ? r.get(0) : null);
                ref.put("version", null);
                refs.add(ref);
            }
            m.put("refs", refs);
            m.put("sources", n.sourceRefs);
            m.put("raw_code", n.rawCode);
            String c = compiled.get(n.uniqueId);
            m.put("compiled", c != null);
            m.put("compiled_code", c);
            if (n.genericTest != null) {
                m.put("test_metadata", Map.of("name", n.genericTest.testName(), "kwargs", n.genericTest.kwargs()));
            }
            if (n.attachedNode != null) m.put("attached_node", n.attachedNode);
            if (n.columnName != null) m.put("column_name", n.columnName);
            nodes.put(n.uniqueId, m);
        }
        return nodes;
    }

    private static Map<String, Object> sources(TransformProject p) {
        Map<String, Object> sources = new LinkedHashMap<>();
        for (SourceTable s : p.sources.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unique_id", s.uniqueId());
            m.put("resource_type", "source");
            m.put("package_name", s.uniqueId().split("\\.")[1]);
            m.put("source_name", s.sourceName());
            m.put("name", s.tableName());
            m.put("fqn", List.of(s.uniqueId().split("\\.")[1], s.sourceName(), s.tableName()));
            m.put("database", s.database());
            m.put("schema", s.schema());
            m.put("identifier", s.identifier());
            m.put("loaded_at_field", s.loadedAtField());
            Map<String, Object> freshness = new LinkedHashMap<>();
            freshness.put("warn_after", s.warnAfterSeconds() == null ? Map.of() : Map.of("count", s.warnAfterSeconds() / 60, "period", "minute"));
            freshness.put("error_after", s.errorAfterSeconds() == null ? Map.of() : Map.of("count", s.errorAfterSeconds() / 60, "period", "minute"));
            m.put("freshness", freshness);
            m.put("description", s.description());
            m.put("original_file_path", s.path());
            m.put("relation_name", p.dialect().relation(s.schema(), s.identifier()));
            m.put("tags", s.tags());
            m.put("config", Map.of("enabled", true, "tags", s.tags()));
            sources.put(s.uniqueId(), m);
        }
        return sources;
    }

    static void writeRunResults(TransformProject p, RunSummary summary, String invocationId) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("metadata", metadata("run-results/v6", invocationId));
        List<Map<String, Object>> results = new ArrayList<>();
        for (NodeResult r : summary.results()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", r.status().label());
            List<Map<String, Object>> timing = new ArrayList<>();
            if (r.startedAt() != null) {
                timing.add(Map.of("name", "compile", "started_at", r.startedAt().toString(), "completed_at", r.startedAt().toString()));
                timing.add(Map.of("name", "execute", "started_at", r.startedAt().toString(), "completed_at", r.completedAt().toString()));
            }
            m.put("timing", timing);
            m.put("thread_id", r.threadId());
            m.put("execution_time", r.executionTime());
            m.put("adapter_response", Map.of());
            m.put("message", r.message());
            m.put("failures", r.failures());
            m.put("unique_id", r.uniqueId());
            m.put("compiled", r.compiledCode() != null);
            m.put("compiled_code", r.compiledCode());
            m.put("relation_name", r.relation());
            if (r.check() != null) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("value", r.check().value() == null || r.check().value().isInfinite() ? null : r.check().value());
                c.put("warn", r.check().warnThreshold());
                c.put("fail", r.check().failThreshold());
                c.put("samples", r.check().samples());
                m.put("check", c);
            }
            results.add(m);
        }
        root.put("results", results);
        root.put("elapsed_time", summary.elapsedSeconds());
        root.put("args", Map.of("which", summary.command(), "select", p.options.select(), "exclude", p.options.exclude(), "full_refresh", p.options.fullRefresh()));
        write(p.targetPath.resolve("run_results.json"), root);
    }

    private static Map<String, Object> metadata(String schema, String invocationId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dbt_schema_version", "https://schemas.getdbt.com/dbt/" + schema + ".json");
        m.put("dbt_version", "tributary-transform");
        m.put("generated_at", Instant.now().toString());
        m.put("invocation_id", invocationId);
        return m;
    }

    private static void write(Path file, Object value) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), value);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
