package dev.tributary.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.scheduler.LogLine;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The API's JSON shapes, built explicitly so that the wire format does not follow internal renames. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> error(String message) {
        return Map.of("error", message == null ? "error" : message);
    }

    static Map<String, Object> pipeline(PipelineView p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.definition().name());
        m.put("description", p.definition().description());
        m.put("schedule", p.definition().trigger().describe());
        m.put("nextRun", time(p.nextRun()));
        m.put("running", p.running().map(Json::run).orElse(null));
        m.put("lastRun", p.last().map(Json::run).orElse(null));
        List<Object> steps = new ArrayList<>();
        for (StepDef s : p.definition().steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("name", s.name());
            step.put("kind", lower(s.kind()));
            step.put("targets", s.targets());
            step.put("dependsOn", s.dependsOn());
            steps.add(step);
        }
        m.put("steps", steps);
        m.put("recentRuns", p.recent().stream().map(Json::run).toList());
        return m;
    }

    static Map<String, Object> run(RunRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("pipeline", r.pipeline());
        m.put("status", lower(r.status()));
        m.put("final", r.status().isFinal());
        m.put("trigger", r.trigger());
        m.put("dueAt", r.dueAt().toString());
        m.put("startedAt", time(r.startedAt()));
        m.put("endedAt", time(r.endedAt()));
        m.put("durationSeconds", r.duration().map(d -> d.toMillis() / 1000.0).orElse(null));
        m.put("records", r.records());
        m.put("error", r.error().orElse(null));
        m.put("rerunOf", r.rerunOf().orElse(null));
        return m;
    }

    static Map<String, Object> step(StepRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", s.step());
        m.put("kind", lower(s.kind()));
        m.put("status", lower(s.status()));
        m.put("attempt", s.attempt());
        m.put("startedAt", time(s.startedAt()));
        m.put("endedAt", time(s.endedAt()));
        m.put("duration", s.startedAt().flatMap(a -> s.endedAt().map(b -> Html.duration(java.time.Duration.between(a, b)))).orElse(null));
        m.put("records", s.records());
        m.put("summary", s.summary());
        m.put("error", s.error().orElse(null));
        return m;
    }

    static Map<String, Object> log(LogLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", l.seq());
        m.put("at", l.at().toString());
        m.put("level", l.level());
        m.put("pipeline", l.pipeline());
        m.put("system", l.system());
        m.put("message", l.message());
        m.put("text", l.render());
        return m;
    }

    static Map<String, Object> connection(ProjectData.ConnectionInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("type", c.type());
        m.put("schema", c.schema());
        List<Object> streams = new ArrayList<>();
        for (ProjectData.StreamInfo s : c.streams()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("name", s.name());
            sm.put("rows", s.rows().orElse(null));
            sm.put("lastSync", time(s.lastSync()));
            sm.put("columns", s.columns().stream().map(col -> Map.of("name", col.name(), "type", col.type())).toList());
            streams.add(sm);
        }
        m.put("streams", streams);
        return m;
    }

    static Map<String, Object> model(ProjectData.ModelInfo mi) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uniqueId", mi.uniqueId());
        m.put("name", mi.name());
        m.put("kind", mi.kind());
        m.put("materialized", mi.materialized());
        m.put("relation", mi.relation().orElse(null));
        m.put("dependsOn", mi.dependsOn());
        m.put("lastResult", mi.lastResult().map(r -> {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("status", r.status());
            rm.put("message", r.message());
            rm.put("executionSeconds", r.executionSeconds());
            rm.put("completedAt", time(r.completedAt()));
            return rm;
        }).orElse(null));
        return m;
    }

    static Map<String, Object> check(ProjectData.CheckResult c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("type", c.type());
        m.put("table", c.table());
        m.put("column", c.column());
        m.put("status", c.status());
        m.put("value", c.value().orElse(null));
        m.put("warnThreshold", c.warnThreshold());
        m.put("failThreshold", c.failThreshold());
        Object samples;
        try {
            samples = MAPPER.readTree(c.samples());
        } catch (JsonProcessingException e) {
            samples = c.samples();
        }
        m.put("samples", samples);
        m.put("message", c.message());
        m.put("runAt", c.runAt() == null ? null : c.runAt().toString());
        return m;
    }

    private static String time(Optional<Instant> at) {
        return at.map(Instant::toString).orElse(null);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
