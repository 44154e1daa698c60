package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepItem;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.Trigger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ui1's pages and API over HTTP: run page items and timeline, history filters, the pipeline page, pause/resume, runs with options. */
class RunPagesTest {
    private FakePipelineService pipelines;
    private TestServer t;
    private String csrf;

    @BeforeEach
    void start() {
        pipelines = new FakePipelineService()
                .add(FakePipelineService.pipeline("revops", new Trigger.Cron("0 7 * * *", ZoneId.of("Europe/London")),
                        FakePipelineService.step("sync-hubspot", StepKind.SYNC, Map.of()), FakePipelineService.step("build", StepKind.BUILD, Map.of())))
                .add(FakePipelineService.pipeline("leads", new Trigger.Manual(), FakePipelineService.step("sync-1", StepKind.SYNC, Map.of())));
        t = new TestServer(pipelines);
        csrf = t.loginAsAdmin();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private HttpResponse<String> postBody(String path, String contentType, String body) {
        return t.send(HttpRequest.newBuilder(t.uri(path)).header("Authorization", "Bearer " + TestServer.TOKEN).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> postRawForm(String path, String body) {
        return t.send(HttpRequest.newBuilder(t.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf + "&" + body)).build());
    }

    @Test
    void aRunPageShowsItsTimelineStreamsAndModelsWithTheDatabasesMessageEscaped() {
        RunRecord run = pipelines.trigger("revops", "manual");
        Instant s = run.startedAt().orElseThrow();
        pipelines.item(new StepItem(run.id(), "sync-hubspot", "stream", "hubspot.contacts", "succeeded", Optional.of(s), Optional.of(s.plusSeconds(40)),
                12_034, 3, true, Optional.empty()));
        pipelines.item(new StepItem(run.id(), "build", "model", "team_spending", "error", Optional.of(s.plusSeconds(41)), Optional.of(s.plusSeconds(42)),
                0, 0, false, Optional.of("Database Error in model team_spending (models/team_spending.sql)\n  ERROR: column \"<b>\" does not exist")));
        pipelines.finish(run.id(), RunStatus.FAILED, 12_034, Duration.ofSeconds(45), "step build failed");
        String html = t.get("/runs/" + run.id()).body();
        assertThat(html).contains("<svg id=\"timeline\"").contains("<g class=\"lane step\" data-step=\"sync-hubspot\">")
                .contains("<g class=\"lane item kind-stream\" data-item=\"hubspot.contacts\" data-kind=\"stream\">")
                .contains("<g class=\"lane item kind-model\" data-item=\"team_spending\" data-kind=\"model\">")
                .contains("<title>stream hubspot.contacts: succeeded, 40s, 12,034 rows</title>");
        String streams = html.substring(html.indexOf("<table id=\"streams\">"), html.indexOf("</table>", html.indexOf("<table id=\"streams\">")));
        assertThat(streams).contains("<tr class=\"stream-item\" data-stream=\"hubspot.contacts\">")
                .contains("<td class=\"item-records num\">12,034</td>").contains("<td class=\"item-rejected num\">3</td>")
                .contains("<td class=\"item-duration\">40s</td>").contains("<td class=\"item-resumed\">from checkpoint</td>");
        assertThat(html).contains("<tr class=\"node-item\" data-kind=\"model\" data-name=\"team_spending\">")
                .contains("ERROR: column &quot;&lt;b&gt;&quot; does not exist").doesNotContain("\"<b>\"");

        JsonNode items = t.json(t.get("/api/v1/runs/" + run.id() + "/items", TestServer.TOKEN));
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("name").asText()).isEqualTo("hubspot.contacts");
        assertThat(items.get(0).get("rows").asLong()).isEqualTo(12_034);
        assertThat(items.get(0).get("resumed").asBoolean()).isTrue();
        assertThat(items.get(0).get("durationSeconds").asDouble()).isEqualTo(40.0);
        assertThat(items.get(1).get("message").asText()).contains("does not exist");
        assertThat(t.get("/api/v1/runs/999/items", TestServer.TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void theHistoryFiltersByDateRangeAndTextKeptInTheUrl() {
        Instant day = Instant.parse("2026-11-20T10:00:00Z");
        RunRecord old = pipelines.addFinished("revops", RunStatus.FAILED, day, Duration.ofSeconds(5), "ERROR: permission denied for table deals");
        RunRecord mid = pipelines.addFinished("leads", RunStatus.SUCCEEDED, day.plus(Duration.ofDays(2)), Duration.ofSeconds(5), null);
        RunRecord late = pipelines.addFinished("revops", RunStatus.SUCCEEDED, day.plus(Duration.ofDays(4)), Duration.ofSeconds(5), null);

        String html = t.get("/runs?from=2026-11-21&to=2026-11-22").body();
        assertThat(html).contains("data-run-id=\"" + mid.id() + "\"").doesNotContain("data-run-id=\"" + old.id() + "\"")
                .doesNotContain("data-run-id=\"" + late.id() + "\"")
                .contains("name=\"from\" id=\"filter-from\" value=\"2026-11-21\"").contains("name=\"to\" id=\"filter-to\" value=\"2026-11-22\"");
        String text = t.get("/runs?q=Permission+Denied").body();
        assertThat(text).contains("data-run-id=\"" + old.id() + "\"").doesNotContain("data-run-id=\"" + mid.id() + "\"")
                .contains("value=\"Permission Denied\"");
        assertThat(t.get("/runs?from=2026-13-01").statusCode()).isEqualTo(400);
        assertThat(t.get("/runs?from=2026-13-01").body()).contains("from must be a date like 2026-12-31, got &#39;2026-13-01&#39;");
        assertThat(t.get("/runs?from=2026-11-22&to=2026-11-21").statusCode()).isEqualTo(400);
        JsonNode api = t.json(t.get("/api/v1/runs?q=permission&from=2026-11-20&to=2026-11-20", TestServer.TOKEN));
        assertThat(api).hasSize(1);
        assertThat(api.get(0).get("id").asLong()).isEqualTo(old.id());
        assertThat(t.get("/api/v1/runs?to=yesterday", TestServer.TOKEN).statusCode()).isEqualTo(400);

        for (int i = 0; i < 60; i++) pipelines.addFinished("revops", RunStatus.SUCCEEDED, day.plus(Duration.ofDays(4)), Duration.ofSeconds(1), null);
        String paged = t.get("/runs?pipeline=revops&q=revops&from=2026-11-24").body();
        assertThat(paged).contains("id=\"next-page\" href=\"/runs?page=2&amp;pipeline=revops&amp;from=2026-11-24&amp;q=revops\"");
    }

    @Test
    void pausingAndResumingFromTheOverviewAndThePipelinePage() {
        String overview = t.get("/").body();
        assertThat(overview).contains("<form class=\"pause\" method=\"post\" data-pipeline=\"revops\" action=\"/pipelines/revops/pause\">");
        HttpResponse<String> paused = t.postForm("/pipelines/revops/pause", Map.of("_csrf", csrf, "back", "/"));
        assertThat(paused.statusCode()).isEqualTo(303);
        assertThat(paused.headers().firstValue("Location")).contains("/");
        assertThat(pipelines.paused()).containsKey("revops");
        overview = t.get("/").body();
        String row = overview.substring(overview.indexOf("data-pipeline=\"revops\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(row).contains("<span class=\"paused-badge\" title=\"paused by admin at ").contains("<td class=\"next-run muted\">paused</td>")
                .contains("<form class=\"resume\"");
        assertThat(overview).contains("<tr class=\"pipeline paused\" data-pipeline=\"revops\">");
        assertThat(t.get("/pipelines/revops").body()).contains("<dd id=\"schedule-state\" class=\"paused\">paused by admin at ");

        HttpResponse<String> resumed = t.postForm("/pipelines/revops/resume", Map.of("_csrf", csrf, "back", "https://evil.example/"));
        assertThat(resumed.headers().firstValue("Location")).contains("/pipelines/revops");
        assertThat(pipelines.paused()).isEmpty();
        assertThat(t.postForm("/pipelines/nope/pause", Map.of("_csrf", csrf)).statusCode()).isEqualTo(404);
        assertThat(t.postForm("/pipelines/revops/pause", Map.of()).statusCode()).isEqualTo(403);
        assertThat(pipelines.paused()).isEmpty();

        JsonNode api = t.json(t.post("/api/v1/pipelines/revops/pause", TestServer.TOKEN));
        assertThat(api.get("paused").asBoolean()).isTrue();
        assertThat(api.get("changed").asBoolean()).isTrue();
        assertThat(api.get("pausedBy").asText()).isEqualTo("api");
        assertThat(t.json(t.get("/api/v1/pipelines", TestServer.TOKEN)).get(0).get("paused").asBoolean()).isTrue();
        assertThat(t.json(t.post("/api/v1/pipelines/revops/pause", TestServer.TOKEN)).get("changed").asBoolean()).isFalse();
        assertThat(t.json(t.post("/api/v1/pipelines/revops/resume", TestServer.TOKEN)).get("paused").asBoolean()).isFalse();
        assertThat(t.post("/api/v1/pipelines/nope/resume", TestServer.TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void runningSomeStepsWithVarsFromTheFormAndTheApi() {
        String page = t.get("/pipelines/revops").body();
        assertThat(page).contains("<form id=\"run-form\" method=\"post\" action=\"/pipelines/revops/run\">")
                .contains("<input type=\"checkbox\" name=\"step\" id=\"step-build\" value=\"build\">").contains("name=\"var_key\" id=\"var-key-0\"");
        HttpResponse<String> r = postRawForm("/pipelines/revops/run", "step=build&var_key=start_date&var_value=2026-01-01&var_key=&var_value=&var_key=end_date&var_value=2026-01-31");
        assertThat(r.statusCode()).isEqualTo(303);
        RunRecord run = pipelines.runs(dev.tributary.scheduler.RunQuery.latest(1)).get(0);
        assertThat(pipelines.steps(run.id())).extracting(dev.tributary.scheduler.StepRecord::step).containsExactly("build");
        assertThat(pipelines.request(run.id()).vars()).containsExactlyInAnyOrderEntriesOf(Map.of("start_date", "2026-01-01", "end_date", "2026-01-31"));
        assertThat(t.get("/runs/" + run.id()).body()).contains("<dd id=\"run-steps\">build</dd>").contains("<code class=\"var\">end_date: 2026-01-31</code>");
        pipelines.finish(run.id(), RunStatus.SUCCEEDED, 0, Duration.ofSeconds(1), null);

        HttpResponse<String> unknown = postRawForm("/pipelines/revops/run", "step=buld");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("no step &#39;buld&#39;").contains("build");
        assertThat(postRawForm("/pipelines/revops/run", "var_key=&var_value=orphan").statusCode()).isEqualTo(400);
        assertThat(postRawForm("/pipelines/revops/run", "var_key=bad+name&var_value=x").statusCode()).isEqualTo(400);

        HttpResponse<String> api = postBody("/api/v1/pipelines/revops/trigger", "application/json",
                "{\"steps\": [\"sync-hubspot\"], \"vars\": {\"logical_date\": \"2026-11-30\", \"limit\": 5}}");
        assertThat(api.statusCode()).as(api.body()).isEqualTo(201);
        JsonNode created = t.json(api);
        assertThat(created.get("request").get("steps").get(0).asText()).isEqualTo("sync-hubspot");
        assertThat(created.get("request").get("vars").get("limit").asText()).isEqualTo("5");
        pipelines.finish(created.get("id").asLong(), RunStatus.SUCCEEDED, 0, Duration.ofSeconds(1), null);

        HttpResponse<String> bad = postBody("/api/v1/pipelines/revops/trigger", "application/json", "{\"steps\": [\"nope\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(t.json(bad).get("error").asText()).contains("'nope'");
        assertThat(postBody("/api/v1/pipelines/revops/trigger", "application/json", "{\"step\": []}").body()).contains("unknown field 'step'");
        assertThat(postBody("/api/v1/pipelines/revops/trigger", "application/json", "{\"vars\": {\"a\": {\"b\": 1}}}").statusCode()).isEqualTo(400);
        assertThat(postBody("/api/v1/pipelines/revops/trigger", "application/json", "[1").statusCode()).isEqualTo(400);
        assertThat(postBody("/api/v1/pipelines/nope/trigger", "application/json", "{\"steps\": [\"x\"]}").statusCode()).isEqualTo(404);
        assertThat(pipelines.runs(dev.tributary.scheduler.RunQuery.latest(10))).hasSize(2);
    }

    @Test
    void aBackfillFromThePipelinePageAndTheApi() {
        String page = t.get("/pipelines/revops").body();
        assertThat(page).contains("<form id=\"backfill-form\" method=\"post\" action=\"/pipelines/revops/backfill\">");
        assertThat(t.get("/pipelines/leads").body()).doesNotContain("backfill-form"); // no cron schedule: nothing to backfill
        HttpResponse<String> r = t.postForm("/pipelines/revops/backfill", Map.of("_csrf", csrf, "from", "2026-11-01", "to", "2026-11-03"));
        assertThat(r.statusCode()).isEqualTo(303);
        var b = pipelines.backfills("revops").get(0);
        assertThat(b.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(b.to()).isEqualTo(Instant.parse("2026-11-03T23:59:59.999999Z"));
        assertThat(b.createdBy()).isEqualTo("admin");
        String shown = t.get("/pipelines/revops").body();
        assertThat(shown).contains("<tr class=\"backfill\" data-backfill-id=\"" + b.id() + "\">").contains("<progress value=\"1\" max=\"2\"")
                .contains("1 of 2 done, 1 started").contains("1 succeeded");
        HttpResponse<String> bad = t.postForm("/pipelines/revops/backfill", Map.of("_csrf", csrf, "from", "2026-11-03", "to", "nov"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("to must be a date like 2026-11-01");
        assertThat(t.postForm("/pipelines/leads/backfill", Map.of("_csrf", csrf, "from", "2026-11-01", "to", "2026-11-02")).statusCode()).isEqualTo(400);

        HttpResponse<String> api = postBody("/api/v1/pipelines/revops/backfill", "application/json", "{\"from\": \"2026-10-01T07:00:00Z\", \"to\": \"2026-10-05\"}");
        assertThat(api.statusCode()).as(api.body()).isEqualTo(201);
        assertThat(t.json(api).get("createdBy").asText()).isEqualTo("api");
        assertThat(t.json(t.get("/api/v1/pipelines/revops/backfills", TestServer.TOKEN))).hasSize(2);
        assertThat(postBody("/api/v1/pipelines/revops/backfill", "application/json", "{\"from\": \"2026-10-01\"}").statusCode()).isEqualTo(400);
        assertThat(postBody("/api/v1/pipelines/revops/backfill", "application/json", "{\"from\": \"2026-10-01\", \"to\": \"2026-10-02\", \"x\": 1}").body())
                .contains("unknown field 'x'");
        assertThat(postBody("/api/v1/pipelines/nope/backfill", "application/json", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void aRunWithAHundredStepsAndTenThousandLogLinesRendersWhole() {
        dev.tributary.scheduler.StepDef[] steps = new dev.tributary.scheduler.StepDef[100];
        for (int i = 0; i < steps.length; i++) steps[i] = FakePipelineService.step("sync-" + (i + 1), StepKind.SYNC, Map.of());
        pipelines.add(FakePipelineService.pipeline("big", new Trigger.Manual(), steps));
        RunRecord run = pipelines.trigger("big", "manual");
        Instant s = run.startedAt().orElseThrow();
        for (int i = 0; i < 100; i++) {
            pipelines.item(new StepItem(run.id(), "sync-" + (i + 1), "stream", "conn.stream_" + i, "succeeded", Optional.of(s.plusSeconds(i)),
                    Optional.of(s.plusSeconds(i + 1)), 100, 0, false, Optional.empty()));
        }
        for (int i = 2; i <= 10_000; i++) pipelines.appendLog(run.id(), "sync", "line " + i);
        pipelines.finish(run.id(), RunStatus.SUCCEEDED, 10_000, Duration.ofMinutes(2), null);
        HttpResponse<String> r = t.get("/runs/" + run.id());
        assertThat(r.statusCode()).isEqualTo(200);
        String html = r.body();
        assertThat(html.split("<tr class=\"step\" ", -1)).hasSize(101);
        assertThat(html.split("<g class=\"lane step\"", -1)).hasSize(101);
        assertThat(html.split("<tr class=\"stream-item\"", -1)).hasSize(101);
        assertThat(html).contains("[big][sync] line 10000").contains("id=\"log-truncated\"")
                .doesNotContain("[big][scheduler] run " + run.id() + " succeeded"); // line 10,001: the link to the API gives the rest
        assertThat(html).endsWith("</html>");
    }
}
