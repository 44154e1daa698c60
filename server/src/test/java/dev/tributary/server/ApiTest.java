package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.Trigger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiTest {
    private FakePipelineService pipelines;
    private TestServer t;

    @BeforeEach
    void start() {
        pipelines = new FakePipelineService().add(FakePipelineService.pipeline("revops", new Trigger.Interval(Duration.ofSeconds(300)),
                FakePipelineService.step("sync-1", StepKind.SYNC, Map.of()), FakePipelineService.step("build", StepKind.BUILD, Map.of())));
        t = new TestServer(pipelines);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void tokenIsRequiredAndCheckedExactly() {
        HttpResponse<String> none = t.get("/api/v1/pipelines");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(t.json(none).path("error").asText()).contains("authentication required");
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(t.get("/api/v1/pipelines", TestServer.TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(t.get("/api/v1/pipelines", TestServer.TOKEN.substring(1)).statusCode()).isEqualTo(401);

        HttpResponse<String> ok = t.get("/api/v1/pipelines", TestServer.TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode p = t.json(ok).get(0);
        assertThat(p.path("name").asText()).isEqualTo("revops");
        assertThat(p.path("schedule").asText()).isEqualTo("every 5m after the last run ends");
        assertThat(p.path("steps")).hasSize(2);
    }

    @Test
    void triggerAnswers201ThenConflictAnd404ForUnknown() {
        HttpResponse<String> created = t.post("/api/v1/pipelines/revops/trigger", TestServer.TOKEN);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode run = t.json(created);
        assertThat(run.path("pipeline").asText()).isEqualTo("revops");
        assertThat(run.path("status").asText()).isEqualTo("running");
        assertThat(run.path("trigger").asText()).isEqualTo("api");

        HttpResponse<String> conflict = t.post("/api/v1/pipelines/revops/trigger", TestServer.TOKEN);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(t.json(conflict).path("runningId").asLong()).isEqualTo(run.path("id").asLong());
        assertThat(t.json(conflict).path("error").asText()).contains("already running");

        HttpResponse<String> unknown = t.post("/api/v1/pipelines/nope/trigger", TestServer.TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(t.json(unknown).path("error").asText()).isEqualTo("no pipeline named nope");
    }

    @Test
    void runStepsAndLogAfterASequenceNumber() {
        RunRecord run = pipelines.trigger("revops", "manual");
        pipelines.appendLog(run.id(), "hubspot", "contacts: 10 records");
        pipelines.appendLog(run.id(), "hubspot", "deals: 3 records");
        JsonNode r = t.json(t.get("/api/v1/runs/" + run.id(), TestServer.TOKEN));
        assertThat(r.path("id").asLong()).isEqualTo(run.id());
        assertThat(r.path("final").asBoolean()).isFalse();
        JsonNode steps = t.json(t.get("/api/v1/runs/" + run.id() + "/steps", TestServer.TOKEN));
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).path("status").asText()).isEqualTo("running");

        JsonNode log = t.json(t.get("/api/v1/runs/" + run.id() + "/log?after=1", TestServer.TOKEN));
        List<String> texts = new ArrayList<>();
        log.path("lines").forEach(l -> texts.add(l.path("text").asText()));
        assertThat(texts).containsExactly("[revops][hubspot] contacts: 10 records", "[revops][hubspot] deals: 3 records");
        assertThat(log.path("lastSeq").asLong()).isEqualTo(3);
        assertThat(t.json(t.get("/api/v1/runs/" + run.id() + "/log?after=2&limit=1", TestServer.TOKEN)).path("lines")).hasSize(1);
        assertThat(t.get("/api/v1/runs/" + run.id() + "/log?limit=0", TestServer.TOKEN).statusCode()).isEqualTo(400);
        assertThat(t.get("/api/v1/runs/77/steps", TestServer.TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void runsFilterByPipelineAndStatusWithLimitAndOffset() {
        for (int i = 0; i < 4; i++) {
            RunRecord r = pipelines.trigger("revops", "schedule");
            pipelines.finish(r.id(), i < 3 ? RunStatus.SUCCEEDED : RunStatus.FAILED, 5, Duration.ofSeconds(2), null);
        }
        assertThat(t.json(t.get("/api/v1/runs?status=failed", TestServer.TOKEN))).hasSize(1);
        JsonNode page = t.json(t.get("/api/v1/runs?pipeline=revops&status=succeeded&limit=2&offset=1", TestServer.TOKEN));
        assertThat(page).hasSize(2);
        assertThat(page.get(0).path("id").asLong()).isEqualTo(2);
        assertThat(t.json(t.get("/api/v1/runs?pipeline=other", TestServer.TOKEN))).isEmpty();
    }

    @Test
    void cancelLiveRunThenRerunIt() {
        RunRecord run = pipelines.trigger("revops", "manual");
        HttpResponse<String> cancelled = t.post("/api/v1/runs/" + run.id() + "/cancel", TestServer.TOKEN);
        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(t.json(cancelled).path("status").asText()).isEqualTo("cancelled");
        assertThat(t.post("/api/v1/runs/" + run.id() + "/cancel", TestServer.TOKEN).statusCode()).isEqualTo(409);

        HttpResponse<String> rerun = t.post("/api/v1/runs/" + run.id() + "/rerun", TestServer.TOKEN);
        assertThat(rerun.statusCode()).isEqualTo(201);
        assertThat(t.json(rerun).path("rerunOf").asLong()).isEqualTo(run.id());
        long rerunId = t.json(rerun).path("id").asLong();
        pipelines.finish(rerunId, RunStatus.SUCCEEDED, 1, Duration.ofSeconds(1), null);
        assertThat(t.post("/api/v1/runs/" + rerunId + "/rerun", TestServer.TOKEN).statusCode()).isEqualTo(409);
        assertThat(t.post("/api/v1/runs/4242/rerun", TestServer.TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void sessionAuthNeedsTheCsrfHeaderOnPosts() {
        String csrf = t.loginAsAdmin();
        assertThat(t.get("/api/v1/pipelines").statusCode()).isEqualTo(200);
        HttpResponse<String> without = t.send(HttpRequest.newBuilder(t.uri("/api/v1/pipelines/revops/trigger")).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(pipelines.runs(dev.tributary.scheduler.RunQuery.latest(5))).isEmpty();
        HttpResponse<String> with = t.send(HttpRequest.newBuilder(t.uri("/api/v1/pipelines/revops/trigger")).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(with.statusCode()).isEqualTo(201);
    }

    @Test
    void openApiDescribesEveryRegisteredApiRoute() {
        HttpResponse<String> r = t.get("/api/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = t.json(r);
        assertThat(doc.path("openapi").asText()).startsWith("3.0");
        List<String> documented = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        List<String> apiRoutes = t.server.registeredRoutes().stream().filter(route -> route.contains(" /api/v1/")).toList();
        assertThat(apiRoutes).hasSizeGreaterThanOrEqualTo(13);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(apiRoutes);
    }

    @Test
    void unknownRoutesAnswer404InTheirOwnShape() {
        HttpResponse<String> api = t.get("/api/v1/nothing-here", TestServer.TOKEN);
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(t.json(api).path("error").asText()).isEqualTo("not found: /api/v1/nothing-here");
        t.loginAsAdmin();
        HttpResponse<String> page = t.get("/nothing-here");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("id=\"error\">not found: /nothing-here").contains("id=\"nav\"");
    }

    @Test
    void projectDataEndpointsAnswerEmptyOnAFreshProject() {
        for (String path : List.of("/api/v1/connections", "/api/v1/models", "/api/v1/checks", "/api/v1/checks/x/history")) {
            HttpResponse<String> r = t.get(path, TestServer.TOKEN);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(t.json(r).isArray()).as(path).isTrue();
        }
    }
}
