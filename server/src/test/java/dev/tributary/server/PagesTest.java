package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.Trigger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PagesTest {
    private FakePipelineService pipelines;
    private TestServer t;
    private String csrf;

    @BeforeEach
    void start() {
        pipelines = new FakePipelineService()
                .add(FakePipelineService.pipeline("revops", new Trigger.Cron("0 7 * * *", ZoneId.of("Europe/London")),
                        FakePipelineService.step("sync-hubspot", StepKind.SYNC, Map.of()), FakePipelineService.step("build", StepKind.BUILD, Map.of())))
                .add(FakePipelineService.pipeline("<script>alert(1)</script>", new Trigger.Manual(),
                        FakePipelineService.step("sync-1", StepKind.SYNC, Map.of())));
        t = new TestServer(pipelines);
        csrf = t.loginAsAdmin();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void overviewShowsScheduleLastStatusDurationRunGridAndRunButton() {
        RunRecord first = pipelines.trigger("revops", "schedule");
        pipelines.finish(first.id(), RunStatus.SUCCEEDED, 120, Duration.ofSeconds(75), null);
        RunRecord second = pipelines.trigger("revops", "schedule");
        pipelines.finish(second.id(), RunStatus.FAILED, 0, Duration.ofSeconds(5), "boom");

        String html = t.get("/").body();
        String row = html.substring(html.indexOf("<tr class=\"pipeline\" data-pipeline=\"revops\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(row).contains("0 7 * * * (Europe/London)").contains("status-failed").contains(">5s<")
                .contains("<div class=\"run-grid\" data-pipeline=\"revops\"")
                .contains("class=\"run-square status-succeeded\" href=\"/runs/" + first.id() + "\"")
                .contains("class=\"run-square status-failed\" href=\"/runs/" + second.id() + "\"")
                .contains("title=\"run #" + second.id() + ": failed, 2026-11-30 08:02:00 UTC (5s)\"")
                .contains("<form class=\"trigger\" method=\"post\" data-pipeline=\"revops\" action=\"/pipelines/revops/trigger\">")
                .contains("<button type=\"submit\">Run now</button>");
    }

    @Test
    void dynamicTextIsEscaped() {
        String html = t.get("/").body();
        assertThat(html).doesNotContain("<script>alert(1)</script>");
        assertThat(html).contains("data-pipeline=\"&lt;script&gt;alert(1)&lt;/script&gt;\"").contains("&lt;script&gt;alert(1)&lt;/script&gt;</a>");
        assertThat(html).contains("action=\"/pipelines/%3Cscript%3Ealert%281%29%3C%2Fscript%3E/trigger\"");
    }

    @Test
    void runNowFormStartsARunAndRedirectsToItsPage() {
        HttpResponse<String> r = t.postForm("/pipelines/revops/trigger", Map.of("_csrf", csrf));
        assertThat(r.statusCode()).isEqualTo(303);
        RunRecord run = pipelines.runs(dev.tributary.scheduler.RunQuery.latest(1)).get(0);
        assertThat(run.pipeline()).isEqualTo("revops");
        assertThat(run.trigger()).isEqualTo("manual");
        assertThat(r.headers().firstValue("Location")).contains("/runs/" + run.id());
    }

    @Test
    void runNowWhileRunningAnswers409WithALinkToTheLiveRun() {
        RunRecord live = pipelines.trigger("revops", "schedule");
        HttpResponse<String> r = t.postForm("/pipelines/revops/trigger", Map.of("_csrf", csrf));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("already running").contains("href=\"/runs/" + live.id() + "\"");
        assertThat(pipelines.runs(dev.tributary.scheduler.RunQuery.latest(10))).hasSize(1);
    }

    @Test
    void liveRunPageShowsStatusStepsLogCancelAndThePollingScript() {
        RunRecord run = pipelines.trigger("revops", "manual");
        pipelines.appendLog(run.id(), "hubspot", "contacts: 2,000 records <b>");
        String html = t.get("/runs/" + run.id()).body();
        assertThat(html).contains("<span id=\"run-status\" class=\"status status-running\">running</span>");
        assertThat(html).contains("<tr class=\"step\" data-step=\"sync-hubspot\">").contains("<tr class=\"step\" data-step=\"build\">");
        assertThat(html).contains("<pre id=\"log\" tabindex=\"0\" aria-label=\"run log\">").contains("[revops][hubspot] contacts: 2,000 records &lt;b&gt;");
        assertThat(html).contains("data-live=\"true\"").contains("data-after=\"2\"").contains("<script src=\"/static/run.js\"></script>");
        assertThat(html).contains("id=\"cancel-form\"").doesNotContain("id=\"rerun-form\"");
        assertThat(t.get("/static/run.js").body()).contains("/api/v1/runs/").contains("/log?after=");
    }

    @Test
    void aRunStartedFromTheCliHasNeitherCancelNorReRun() {
        RunRecord run = pipelines.trigger("revops", "cli");
        assertThat(t.get("/runs/" + run.id()).body()).contains("status-running").doesNotContain("id=\"cancel-form\"");
        pipelines.finish(run.id(), RunStatus.FAILED, 10, Duration.ofSeconds(3), "exit code 1");
        assertThat(t.get("/runs/" + run.id()).body()).contains("status-failed").doesNotContain("id=\"rerun-form\"").doesNotContain("id=\"cancel-form\"");
    }

    @Test
    void failedRunPageShowsStepErrorsAndReRunsFromTheFailedStep() {
        RunRecord run = pipelines.trigger("revops", "manual");
        pipelines.finish(run.id(), RunStatus.FAILED, 10, Duration.ofSeconds(3), "HubSpot answered 500");
        String html = t.get("/runs/" + run.id()).body();
        assertThat(html).contains("<span id=\"run-status\" class=\"status status-failed\">failed</span>");
        assertThat(html).contains("HubSpot answered 500").contains("<td class=\"step-attempt\">2</td>");
        assertThat(html).contains("id=\"rerun-form\"").doesNotContain("id=\"cancel-form\"").doesNotContain("run.js");

        HttpResponse<String> r = t.postForm("/runs/" + run.id() + "/rerun", Map.of("_csrf", csrf));
        assertThat(r.statusCode()).isEqualTo(303);
        RunRecord rerun = pipelines.runs(dev.tributary.scheduler.RunQuery.latest(1)).get(0);
        assertThat(rerun.rerunOf()).contains(run.id());
        assertThat(r.headers().firstValue("Location")).contains("/runs/" + rerun.id());
    }

    @Test
    void cancelButtonCancelsTheLiveRun() {
        RunRecord run = pipelines.trigger("revops", "manual");
        HttpResponse<String> r = t.postForm("/runs/" + run.id() + "/cancel", Map.of("_csrf", csrf));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(pipelines.run(run.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void runsListFiltersByPipelineAndStatusAndPages() {
        for (int i = 0; i < WebPages.RUNS_PER_PAGE + 5; i++) {
            RunRecord r = pipelines.trigger("revops", "schedule");
            pipelines.finish(r.id(), i % 2 == 0 ? RunStatus.SUCCEEDED : RunStatus.FAILED, 1, Duration.ofSeconds(1), null);
        }
        pipelines.trigger("<script>alert(1)</script>", "manual");
        String all = t.get("/runs").body();
        assertThat(all.split("<tr class=\"run\"", -1)).hasSize(WebPages.RUNS_PER_PAGE + 1);
        assertThat(all).contains("id=\"next-page\"");
        String page2 = t.get("/runs?page=2").body();
        assertThat(page2.split("<tr class=\"run\"", -1)).hasSize(6 + 1);
        String failed = t.get("/runs?pipeline=revops&status=failed").body();
        assertThat(failed).contains("status-failed").doesNotContain("status-succeeded\">").doesNotContain("status-running");
        assertThat(t.get("/runs?status=bogus").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownRunIs404Page() {
        HttpResponse<String> r = t.get("/runs/999");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no run 999");
    }
}
