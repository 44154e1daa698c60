package dev.tributary.server;

import dev.tributary.scheduler.AlreadyRunningException;
import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.UnknownPipelineException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
        app.get(PREFIX + "/pipelines", ctx -> json(ctx, 200, pipelines.pipelines().stream().map(Json::pipeline).toList()));
        app.get(PREFIX + "/pipelines/{name}", ctx -> json(ctx, 200, Json.pipeline(pipeline(ctx.pathParam("name")))));
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
        try {
            json(ctx, 201, Json.run(pipelines.trigger(name, "api")));
        } catch (UnknownPipelineException e) {
            throw new HttpProblem(404, "no pipeline named " + name);
        } catch (AlreadyRunningException e) {
            Map<String, Object> body = new LinkedHashMap<>(Json.error(e.getMessage()));
            body.put("runningId", e.runningId());
            json(ctx, 409, body);
        }
    }

    private void runs(Context ctx) {
        Optional<String> pipeline = Optional.ofNullable(ctx.queryParam("pipeline")).filter(s -> !s.isBlank());
        var status = Optional.ofNullable(ctx.queryParam("status")).filter(s -> !s.isBlank()).map(WebPages::runStatus);
        int offset = Math.max(0, WebPages.intParam(ctx.queryParam("offset"), 0));
        json(ctx, 200, pipelines.runs(new RunQuery(pipeline, status, Optional.empty(), limit(ctx, 50), offset)).stream().map(Json::run).toList());
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
