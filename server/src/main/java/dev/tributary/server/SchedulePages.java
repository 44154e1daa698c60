package dev.tributary.server;

import dev.tributary.scheduler.AlreadyRunningException;
import dev.tributary.scheduler.Backfill;
import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RunDetails;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunRequest;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.UnknownPipelineException;
import dev.tributary.server.SessionStore.Session;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline's page and its schedule controls: pause and resume (kept in the metadata store), and a run of some of
 * its steps with vars.
 */
final class SchedulePages {
    /** Empty key/value rows the run form offers (more vars: the API). */
    static final int VAR_ROWS = 4;

    private final WebPages pages;
    private final RunPages runPages;
    private final PipelineService pipelines;
    private final Clock clock;

    SchedulePages(WebPages pages, RunPages runPages, PipelineService pipelines, Clock clock) {
        this.pages = pages;
        this.runPages = runPages;
        this.pipelines = pipelines;
        this.clock = clock;
    }

    /** The Pause or Resume button of a pipeline; after it the browser returns to {@code back} ("/" or the pipeline's page). */
    static String pauseForm(String pipeline, boolean paused, Session session, String back) {
        String action = paused ? "resume" : "pause";
        return "<form class=\"" + action + "\" method=\"post\" " + Html.attr("data-pipeline", pipeline) + " "
                + Html.attr("action", "/pipelines/" + Html.url(pipeline) + "/" + action) + ">" + WebPages.csrfInput(session)
                + "<input type=\"hidden\" name=\"back\" " + Html.attr("value", back) + ">"
                + "<button type=\"submit\" " + Html.attr("aria-label", (paused ? "Resume " : "Pause ") + pipeline) + ">" + (paused ? "Resume" : "Pause")
                + "</button></form>";
    }

    void pipeline(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        PipelineView p = pipelines.pipeline(name).orElseThrow(() -> new HttpProblem(404, "no pipeline named " + name));
        Optional<RunDetails.Pause> pause = Optional.ofNullable(pipelines.paused().get(name));
        Instant now = clock.instant();
        Html h = new Html().raw("<div id=\"pipeline-page\" " + Html.attr("data-pipeline", name) + ">").raw("<h1>Pipeline ").text(name).raw("</h1>");
        if (!p.definition().description().isEmpty()) h.element("p", "class=\"muted\"", p.definition().description());
        h.raw("<dl class=\"facts\">").element("dt", "", "Schedule").element("dd", "", p.definition().trigger().describe())
                .element("dt", "", "State");
        if (pause.isPresent()) {
            h.raw("<dd id=\"schedule-state\" class=\"paused\">").text("paused by " + pause.get().by() + " at " + Html.time(pause.get().at())
                    + ": its scheduled times pass without a run until it is resumed").raw("</dd>");
        } else {
            h.element("dd", "id=\"schedule-state\"", "active");
            h.element("dt", "", "Next run").element("dd", "", p.nextRun().map(n -> Html.time(n) + (n.isAfter(now) ? " (in " + Html.duration(Duration.between(now, n)) + ")" : " (due now)")).orElse("–"));
        }
        boolean operator = session.can(Role.OPERATOR); // a viewer sees no forms: the server would refuse them anyway
        h.raw("</dl><div class=\"actions\">").raw(operator ? pauseForm(name, pause.isPresent(), session, "/pipelines/" + Html.url(name)) : "")
                .raw("<a href=\"/runs?pipeline=" + Html.escape(Html.url(name)) + "\" id=\"pipeline-runs\">All runs</a></div>");
        h.raw("<h2>Recent runs</h2>").raw(RunPages.runGrid(name, p.recent()));

        if (!operator) {
            h.raw("</div>");
            ctx.html(pages.layout("Pipeline " + name, Optional.of(session), h.toString()));
            return;
        }
        h.raw("<h2>Run with options</h2><form id=\"run-form\" method=\"post\" " + Html.attr("action", "/pipelines/" + Html.url(name) + "/run") + ">")
                .raw(WebPages.csrfInput(session))
                .raw("<fieldset><legend>Steps (none ticked: all)</legend>");
        for (StepDef s : p.definition().steps()) {
            String id = "step-" + RunTimeline.cssWord(s.name());
            h.raw("<label class=\"step-choice\"><input type=\"checkbox\" name=\"step\" " + Html.attr("id", id) + " " + Html.attr("value", s.name()) + "> ")
                    .text(s.name()).raw(" <span class=\"muted\">").text(s.kind().name().toLowerCase(Locale.ROOT)
                            + (s.dependsOn().isEmpty() ? "" : ", after " + String.join(", ", s.dependsOn()))).raw("</span></label>");
        }
        h.raw("</fieldset><fieldset><legend>Vars (passed to build, run, test and checks steps as dbt vars)</legend>");
        for (int i = 0; i < VAR_ROWS; i++) {
            h.raw("<div class=\"var-row\"><label>Name <input name=\"var_key\" id=\"var-key-" + i + "\" pattern=\"[A-Za-z_][A-Za-z0-9_]*\"></label>"
                    + "<label>Value <input name=\"var_value\" id=\"var-value-" + i + "\"></label></div>");
        }
        h.raw("</fieldset><button type=\"submit\" id=\"run-with-options\">Run</button></form>");
        if (p.definition().trigger() instanceof dev.tributary.scheduler.Trigger.Cron) backfillSection(h, name, session);
        h.raw("</div>");
        ctx.html(pages.layout("Pipeline " + name, Optional.of(session), h.toString()));
    }

    private void backfillSection(Html h, String name, Session session) {
        h.raw("<h2 id=\"backfills-heading\">Backfill</h2><p class=\"muted\">One run per scheduled time in the range (UTC days, both included), one at a time;"
                + " each gets the var <code>" + Backfill.LOGICAL_DATE + "</code>: its scheduled time.</p>")
                .raw("<form id=\"backfill-form\" method=\"post\" " + Html.attr("action", "/pipelines/" + Html.url(name) + "/backfill") + ">")
                .raw(WebPages.csrfInput(session))
                .raw("<label>From <input type=\"date\" name=\"from\" id=\"backfill-from\" required></label> ")
                .raw("<label>To <input type=\"date\" name=\"to\" id=\"backfill-to\" required></label> ")
                .raw("<button type=\"submit\" id=\"start-backfill\">Queue backfill</button></form>");
        List<Backfill> all = pipelines.backfills(name);
        if (all.isEmpty()) return;
        h.raw("<table id=\"backfills\"><thead><tr><th>Backfill</th><th>Range</th><th>Progress</th><th>Runs</th><th>Asked</th></tr></thead><tbody>");
        for (Backfill b : all) {
            String counts = String.join(", ", b.runs().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
            h.raw("<tr class=\"backfill" + (b.done() ? " done" : "") + "\" data-backfill-id=\"" + b.id() + "\">").td("#" + b.id())
                    .td(Html.time(b.from()) + " – " + Html.time(b.to()))
                    .raw("<td class=\"backfill-progress\"><progress " + Html.attr("value", b.finished()) + " " + Html.attr("max", b.total()) + " "
                            + Html.attr("aria-label", "backfill " + b.id() + " progress") + "></progress> ")
                    .text(b.finished() + " of " + b.total() + " done" + (b.done() ? "" : ", " + b.started() + " started")).raw("</td>")
                    .raw("<td>").text(counts.isEmpty() ? "–" : counts).raw(" <a " + Html.attr("href", "/runs?pipeline=" + Html.url(name) + "&q=backfill") + ">runs</a></td>")
                    .td(b.createdBy() + ", " + Html.time(b.createdAt())).raw("</tr>");
        }
        h.raw("</tbody></table>");
    }

    void backfill(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        Instant from = day(ctx.formParam("from"), "from", false);
        Instant to = day(ctx.formParam("to"), "to", true);
        try {
            pipelines.backfill(name, from, to, session.user());
            AuditLog.record(ctx, "backfill", "pipeline " + name, Html.time(from) + " – " + Html.time(to));
        } catch (UnknownPipelineException e) {
            throw new HttpProblem(404, "no pipeline named " + name);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
        ctx.redirect("/pipelines/" + Html.url(name) + "#backfills-heading", HttpStatus.SEE_OTHER);
    }

    /** A date (a UTC day: its start, or with {@code end} its last moment) or an ISO-8601 instant; anything else is a 400 naming the field. */
    static Instant day(String value, String field, boolean end) {
        if (value == null || value.isBlank()) throw new HttpProblem(400, field + " is required (a date like 2026-11-01 or a time like 2026-11-01T07:00:00Z)");
        String v = value.strip();
        try {
            if (v.length() == 10) {
                java.time.LocalDate d = java.time.LocalDate.parse(v);
                return end ? d.plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC).minusNanos(1000) : d.atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
            }
            return Instant.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw new HttpProblem(400, field + " must be a date like 2026-11-01 or a time like 2026-11-01T07:00:00Z, got '" + v + "'");
        }
    }

    void runWith(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        RunRequest request = new RunRequest(ctx.formParams("step").stream().filter(s -> !s.isBlank()).toList(), vars(ctx.formParams("var_key"), ctx.formParams("var_value")));
        try {
            RunRecord run = pipelines.trigger(name, "manual", request);
            AuditLog.record(ctx, "trigger", "pipeline " + name, "run " + run.id() + (request.steps().isEmpty() ? "" : ", steps " + request.steps())
                    + (request.vars().isEmpty() ? "" : ", vars " + new java.util.TreeSet<>(request.vars().keySet())));
            ctx.redirect("/runs/" + run.id(), HttpStatus.SEE_OTHER);
        } catch (UnknownPipelineException e) {
            throw new HttpProblem(404, "no pipeline named " + name);
        } catch (AlreadyRunningException e) {
            runPages.alreadyRunning(ctx, session, name, e);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    /** The form's name/value rows: blank rows are skipped; a value without a name or a name twice is an error. */
    static Map<String, String> vars(List<String> keys, List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < Math.max(keys.size(), values.size()); i++) {
            String k = i < keys.size() ? keys.get(i).strip() : "";
            String v = i < values.size() ? values.get(i) : "";
            if (k.isEmpty() && v.isBlank()) continue;
            if (k.isEmpty()) throw new HttpProblem(400, "var row " + (i + 1) + " has a value but no name");
            if (out.put(k, v) != null) throw new HttpProblem(400, "var '" + k + "' is given twice");
        }
        try {
            return new RunRequest(List.of(), out).vars();
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    void pause(Context ctx, Session session) {
        pauseOrResume(ctx, session, true);
    }

    void resume(Context ctx, Session session) {
        pauseOrResume(ctx, session, false);
    }

    private void pauseOrResume(Context ctx, Session session, boolean pause) {
        String name = ctx.pathParam("name");
        try {
            if (pause) pipelines.pause(name, session.user());
            else pipelines.resume(name);
            AuditLog.record(ctx, pause ? "pause" : "resume", "pipeline " + name, "");
        } catch (UnknownPipelineException e) {
            throw new HttpProblem(404, "no pipeline named " + name);
        }
        // only two places to go back to: the overview or this pipeline's page (never a URL from the form)
        ctx.redirect("/".equals(ctx.formParam("back")) ? "/" : "/pipelines/" + Html.url(name), HttpStatus.SEE_OTHER);
    }

}
