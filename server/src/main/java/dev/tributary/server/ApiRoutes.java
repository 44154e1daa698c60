package dev.tributary.server;

import dev.tributary.scheduler.AlreadyRunningException;
import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RunDetails;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunRequest;
import dev.tributary.scheduler.StepItem;
import dev.tributary.scheduler.UnknownPipelineException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON API under /api/v1: everything the UI does. Authentication is checked before these handlers run. */
final class ApiRoutes {
    static final String PREFIX = "/api/v1";
    private static final int MAX_LIMIT = 1000;

    private final PipelineService pipelines;
    private final ProjectData data;

    ApiRoutes(PipelineService pipelines, ProjectData data) {
        this.pipelines = pipelines;
        this.data = data;
    }

    void register(Javalin app) {
        app.get(PREFIX + "/pipelines", ctx -> {
            var paused = pipelines.paused();
            json(ctx, 200, pipelines.pipelines().stream().map(p -> pipelineJson(p, paused)).toList());
        });
        app.get(PREFIX + "/pipelines/{name}", ctx -> json(ctx, 200, pipelineJson(pipeline(ctx.pathParam("name")), pipelines.paused())));
        // ui1: pause/resume, run items
        app.post(PREFIX + "/pipelines/{name}/pause", ctx -> pauseOrResume(ctx, true));
        app.post(PREFIX + "/pipelines/{name}/resume", ctx -> pauseOrResume(ctx, false));
        app.post(PREFIX + "/pipelines/{name}/backfill", this::backfill);
        app.get(PREFIX + "/pipelines/{name}/backfills", ctx -> {
            String name = pipeline(ctx.pathParam("name")).definition().name();
            json(ctx, 200, pipelines.backfills(name).stream().map(ApiRoutes::backfill).toList());
        });
        app.get(PREFIX + "/runs/{id}/items", ctx -> json(ctx, 200, pipelines.itemsForRun(run(ctx).id()).stream().map(ApiRoutes::item).toList()));
        app.post(PREFIX + "/pipelines/{name}/trigger", this::trigger);
        app.get(PREFIX + "/runs", this::runs);
        app.get(PREFIX + "/runs/{id}", ctx -> json(ctx, 200, Json.run(run(ctx))));
        app.get(PREFIX + "/runs/{id}/steps", ctx -> json(ctx, 200, pipelines.steps(run(ctx).id()).stream().map(Json::step).toList()));
        app.get(PREFIX + "/runs/{id}/log", this::log);
        app.post(PREFIX + "/runs/{id}/cancel", this::cancel);
        app.post(PREFIX + "/runs/{id}/rerun", this::rerun);
        app.get(PREFIX + "/connections", ctx -> json(ctx, 200, data.connections().stream().map(Json::connection).toList()));
        app.get(PREFIX + "/models", ctx -> json(ctx, 200, data.models().stream().map(Json::model).toList()));
        app.get(PREFIX + "/checks", ctx -> json(ctx, 200, data.latestChecks().stream().map(Json::check).toList()));
        app.get(PREFIX + "/checks/{name}/history", ctx -> json(ctx, 200,
                data.checkHistory(ctx.pathParam("name"), limit(ctx, 100)).stream().map(Json::check).toList()));
    }

    private void trigger(Context ctx) {
        String name = ctx.pathParam("name");
        pipeline(name); // 404 before the body is looked at
        RunRequest request = runRequest(ctx.body());
        try {
            Map<String, Object> run = new LinkedHashMap<>(Json.run(pipelines.trigger(name, "api", request)));
            if (!request.isDefault()) run.put("request", request(request));
            json(ctx, 201, run);
        } catch (UnknownPipelineException e) {
            throw new HttpProblem(404, "no pipeline named " + name);
        } catch (AlreadyRunningException e) {
            Map<String, Object> body = new LinkedHashMap<>(Json.error(e.getMessage()));
            body.put("runningId", e.runningId());
            json(ctx, 409, body);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The trigger's optional body: {"steps": ["build-2"], "vars": {"start_date": "2026-01-01"}}; anything else is a 400 that says what. */
    static RunRequest runRequest(String body) {
        if (body == null || body.isBlank()) return RunRequest.ALL;
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpProblem(400, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isNull()) return RunRequest.ALL;
        if (!root.isObject()) throw new HttpProblem(400, "the body must be a JSON object like {\"steps\": [...], \"vars\": {...}}");
        java.util.List<String> steps = new java.util.ArrayList<>();
        Map<String, String> vars = new LinkedHashMap<>();
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            com.fasterxml.jackson.databind.JsonNode v = root.get(field);
            switch (field) {
                case "steps" -> {
                    if (!v.isArray()) throw new HttpProblem(400, "steps must be an array of step names");
                    for (var s : v) {
                        if (!s.isTextual() || s.asText().isBlank()) throw new HttpProblem(400, "steps must be an array of step names, got " + s);
                        steps.add(s.asText());
                    }
                }
                case "vars" -> {
                    if (!v.isObject()) throw new HttpProblem(400, "vars must be an object of names to values");
                    for (var e = v.fields(); e.hasNext(); ) {
                        var entry = e.next();
                        var value = entry.getValue();
                        if (value.isContainerNode() || value.isNull()) throw new HttpProblem(400, "vars." + entry.getKey() + " must be a string, number or boolean");
                        vars.put(entry.getKey(), value.asText());
                    }
                }
                default -> throw new HttpProblem(400, "unknown field '" + field + "' in the body; expected steps, vars");
            }
        }
        try {
            return new RunRequest(steps, vars);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    private static Map<String, Object> request(RunRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", r.steps());
        m.put("vars", new java.util.TreeMap<>(r.vars()));
        return m;
    }

    private static Map<String, Object> pipelineJson(PipelineView p, Map<String, RunDetails.Pause> paused) {
        Map<String, Object> m = new LinkedHashMap<>(Json.pipeline(p));
        RunDetails.Pause pause = paused.get(p.definition().name());
        m.put("paused", pause != null);
        m.put("pausedAt", pause == null ? null : pause.at().toString());
        m.put("pausedBy", pause == null ? null : pause.by());
        return m;
    }

    private void pauseOrResume(Context ctx, boolean pause) {
        String name = ctx.pathParam("name");
        pipeline(name);
        // the API token names no one; a session names its user
        String by = ctx.header("Authorization") == null && ctx.attribute("session") instanceof SessionStore.Session s ? s.user() : "api";
        boolean changed = pause ? pipelines.pause(name, by) : pipelines.resume(name);
        Map<String, Object> body = pipelineJson(pipeline(name), pipelines.paused());
        body.put("changed", changed);
        json(ctx, 200, body);
    }

    /** Body {"from": "2026-11-01", "to": "2026-11-30"} (UTC days, both included) or ISO-8601 times. */
    private void backfill(Context ctx) {
        String name = pipeline(ctx.pathParam("name")).definition().name();
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = READER.readTree(ctx.body() == null || ctx.body().isBlank() ? "{}" : ctx.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpProblem(400, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) throw new HttpProblem(400, "the body must be a JSON object like {\"from\": \"2026-11-01\", \"to\": \"2026-11-30\"}");
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("from") && !f.equals("to")) throw new HttpProblem(400, "unknown field '" + f + "' in the body; expected from, to");
        }
        var from = SchedulePages.day(body.path("from").isTextual() ? body.get("from").asText() : null, "from", false);
        var to = SchedulePages.day(body.path("to").isTextual() ? body.get("to").asText() : null, "to", true);
        String by = ctx.header("Authorization") == null && ctx.attribute("session") instanceof SessionStore.Session s ? s.user() : "api";
        try {
            json(ctx, 201, backfill(pipelines.backfill(name, from, to, by)));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    static Map<String, Object> backfill(dev.tributary.scheduler.Backfill b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("pipeline", b.pipeline());
        m.put("from", b.from().toString());
        m.put("to", b.to().toString());
        m.put("scheduledTimes", b.slots().stream().map(Object::toString).toList());
        m.put("total", b.total());
        m.put("started", b.started());
        m.put("finished", b.finished());
        m.put("done", b.done());
        m.put("runs", b.runs());
        m.put("createdAt", b.createdAt().toString());
        m.put("createdBy", b.createdBy());
        return m;
    }

    static Map<String, Object> item(StepItem i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", i.runId());
        m.put("step", i.step());
        m.put("kind", i.kind());
        m.put("name", i.name());
        m.put("status", i.status());
        m.put("startedAt", i.startedAt().map(Object::toString).orElse(null));
        m.put("endedAt", i.endedAt().map(Object::toString).orElse(null));
        m.put("durationSeconds", i.duration().map(d -> d.toMillis() / 1000.0).orElse(null));
        m.put("rows", i.rows());
        m.put("rejected", i.rejected());
        m.put("resumed", i.resumed());
        m.put("message", i.message().orElse(null));
        return m;
    }

    private void runs(Context ctx) {
        int offset = Math.max(0, WebPages.intParam(ctx.queryParam("offset"), 0));
        json(ctx, 200, pipelines.runs(RunPages.query(ctx, limit(ctx, 50), offset)).stream().map(Json::run).toList());
    }

    private void log(Context ctx) {
        RunRecord run = run(ctx);
        long after = Math.max(0, longParam(ctx.queryParam("after")));
        var lines = pipelines.log(run.id(), after, limit(ctx, 1000));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", run.id());
        body.put("status", run.status().name().toLowerCase(java.util.Locale.ROOT));
        body.put("final", run.status().isFinal());
        body.put("lines", lines.stream().map(Json::log).toList());
        body.put("lastSeq", lines.isEmpty() ? after : lines.get(lines.size() - 1).seq());
        json(ctx, 200, body);
    }

    private void cancel(Context ctx) {
        RunRecord run = run(ctx);
        if (!pipelines.cancel(run.id())) throw new HttpProblem(409, "run " + run.id() + " is not live (it is " + run.status().name().toLowerCase(java.util.Locale.ROOT) + ")");
        json(ctx, 202, Json.run(pipelines.run(run.id()).orElse(run)));
    }

    private void rerun(Context ctx) {
        RunRecord run = run(ctx);
        try {
            json(ctx, 201, Json.run(pipelines.rerunFromFailed(run.id())));
        } catch (AlreadyRunningException e) {
            throw new HttpProblem(409, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(409, "run " + run.id() + " cannot be re-run: " + e.getMessage());
        }
    }

    private PipelineView pipeline(String name) {
        return pipelines.pipeline(name).orElseThrow(() -> new HttpProblem(404, "no pipeline named " + name));
    }

    private RunRecord run(Context ctx) {
        long id = WebPages.runId(ctx);
        return pipelines.run(id).orElseThrow(() -> new HttpProblem(404, "no run " + id));
    }

    private static int limit(Context ctx, int defaultLimit) {
        int limit = WebPages.intParam(ctx.queryParam("limit"), defaultLimit);
        if (limit < 1 || limit > MAX_LIMIT) throw new HttpProblem(400, "limit must be between 1 and " + MAX_LIMIT);
        return limit;
    }

    private static long longParam(String value) {
        if (value == null || value.isBlank()) return 0;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new HttpProblem(400, "not a number: " + value);
        }
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

}
