package dev.tributary.server;

import dev.tributary.scheduler.AlreadyRunningException;
import dev.tributary.scheduler.LogLine;
import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepRecord;
import dev.tributary.scheduler.UnknownPipelineException;
import dev.tributary.server.SessionStore.Session;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The server-rendered pages of the web UI and their form actions. */
final class WebPages {
    static final int RUNS_PER_PAGE = 50;
    static final int MAX_RUNS_PAGE = Integer.MAX_VALUE / RUNS_PER_PAGE;
    private static final int LOG_LINES_ON_PAGE = 5000;

    private final ServerSettings settings;
    private final PipelineService pipelines;
    private final ProjectData data;
    private final Clock clock;
    private volatile boolean tenantsEnabled;

    WebPages(ServerSettings settings, PipelineService pipelines, ProjectData data, Clock clock) {
        this.settings = settings;
        this.pipelines = pipelines;
        this.data = data;
        this.clock = clock;
    }

    void tenantsEnabled(boolean on) {
        tenantsEnabled = on;
    }

    // ---- layout

    String layout(String title, Optional<Session> session, String body) {
        Html h = new Html();
        h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .element("title", "", title + (data.projectName().isEmpty() ? "" : " · " + data.projectName()) + " · Tributary")
                .raw("<link rel=\"stylesheet\" href=\"/static/tributary.css\"></head><body>");
        if (session.isPresent()) {
            h.raw("<nav id=\"nav\"><a class=\"brand\" href=\"/\">Tributary</a>");
            if (!data.projectName().isEmpty()) h.raw("<span class=\"project-name\">").text(data.projectName()).raw("</span>");
            h.raw("<a href=\"/\">Overview</a><a href=\"/runs\">Runs</a>"
                    + "<a href=\"/connections\">Connections</a><a href=\"/models\">Models</a><a href=\"/quality\">Quality</a>");
            h.raw("<a href=\"/lineage\">Lineage</a>"); // ui2
            if (tenantsEnabled) h.raw("<a href=\"/tenants\">Tenants</a>");
            if (session.get().can(Role.ADMIN)) h.raw("<a id=\"settings-link\" href=\"/settings\">Settings</a>");
            for (DashboardDef d : settings.dashboards()) {
                h.raw("<a class=\"dashboard-link\" href=\"/dashboards/" + Html.escape(Html.url(d.name())) + "\">").text(d.title()).raw("</a>");
            }
            h.raw("<form id=\"logout-form\" method=\"post\" action=\"/logout\">").raw(csrfInput(session.get()))
                    .raw("<span class=\"user\">").text(session.get().user()).raw("</span> <span class=\"role\" id=\"user-role\">").text(session.get().role().label())
                    .raw("</span><button type=\"submit\">Log out</button></form></nav>");
        }
        h.raw("<main>").raw(body).raw("</main></body></html>");
        return h.toString();
    }

    static String csrfInput(Session s) {
        return "<input type=\"hidden\" name=\"_csrf\" " + Html.attr("value", s.csrfToken()) + ">";
    }

    static String status(String status) {
        String s = status.toLowerCase(Locale.ROOT);
        return "<span class=\"status status-" + Html.escape(s) + "\">" + Html.escape(s) + "</span>";
    }

    String loginPage(String next, String loginToken, String error) {
        Html h = new Html();
        h.raw("<section class=\"login\"><h1>Tributary</h1>");
        if (error != null) h.element("p", "class=\"error\" id=\"login-error\"", error);
        h.raw("<form id=\"login-form\" method=\"post\" action=\"/login\">")
                .raw("<input type=\"hidden\" name=\"_csrf\" " + Html.attr("value", loginToken) + ">")
                .raw("<input type=\"hidden\" name=\"next\" " + Html.attr("value", next) + ">")
                .raw("<label>User <input name=\"username\" autocomplete=\"username\" required autofocus></label>")
                .raw("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>")
                .raw("<button type=\"submit\">Log in</button></form></section>");
        return layout("Log in", Optional.empty(), h.toString());
    }

    String errorPage(Optional<Session> session, int status, String message) {
        Html h = new Html().element("h1", "", status == 404 ? "Not found" : "Error " + status).element("p", "class=\"error\" id=\"error\"", message);
        return layout("Error", session, h.toString());
    }

    // ---- overview

    void overview(Context ctx, Session session) {
        Instant now = clock.instant();
        Html h = new Html().raw("<h1>Pipelines</h1><table id=\"pipelines\"><thead><tr><th>Pipeline</th><th>Schedule</th><th>Next run</th>"
                + "<th>Last status</th><th>Last duration</th><th>Recent runs</th><th></th></tr></thead><tbody>");
        List<PipelineView> all = pipelines.pipelines();
        for (PipelineView p : all) {
            String name = p.definition().name();
            Optional<RunRecord> shown = p.running().or(p::last);
            h.raw("<tr class=\"pipeline\" " + Html.attr("data-pipeline", name) + ">")
                    .raw("<td><a href=\"/runs?pipeline=" + Html.escape(Html.url(name)) + "\">").text(name).raw("</a>");
            if (!p.definition().description().isEmpty()) h.element("div", "class=\"muted\"", p.definition().description());
            h.raw("</td>").td(p.definition().trigger().describe())
                    .raw("<td title=\"" + Html.escape(Html.time(p.nextRun())) + "\">").text(p.nextRun().map(n -> n.isAfter(now) ? "in " + Html.duration(java.time.Duration.between(now, n)) : "due now").orElse("–")).raw("</td>")
                    .raw("<td class=\"last-status\">").raw(shown.map(r -> "<a href=\"/runs/" + r.id() + "\">" + status(r.status().name()) + "</a>").orElse("<span class=\"muted\">never run</span>")).raw("</td>")
                    .td(p.last().map(r -> Html.duration(r.duration())).orElse("–"))
                    .raw("<td>").raw(Svg.sparkline(p.recent())).raw("</td>")
                    .raw("<td>" + (session.can(Role.OPERATOR) ? "<form class=\"trigger\" method=\"post\" " + Html.attr("data-pipeline", name) + " "
                            + Html.attr("action", "/pipelines/" + Html.url(name) + "/trigger") + ">" + csrfInput(session)
                            + "<button type=\"submit\">Run now</button></form>" : "") + "</td></tr>");
        }
        h.raw("</tbody></table>");
        if (all.isEmpty()) h.element("p", "class=\"muted\"", "No pipelines: add a pipelines: section to tributary.yml.");
        ctx.html(layout("Overview", Optional.of(session), h.toString()));
    }

    void trigger(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        try {
            RunRecord run = pipelines.trigger(name, "manual");
            AuditLog.record(ctx, "trigger", "pipeline " + name, "run " + run.id());
            ctx.redirect("/runs/" + run.id(), HttpStatus.SEE_OTHER);
        } catch (UnknownPipelineException e) {
            throw new HttpProblem(404, "no pipeline named " + name);
        } catch (AlreadyRunningException e) {
            Html h = new Html().element("h1", "", "Already running")
                    .raw("<p class=\"error\" id=\"error\">").text("Pipeline " + name + " is already running: ")
                    .raw("<a id=\"running-run\" href=\"/runs/" + e.runningId() + "\">run " + e.runningId() + "</a></p>");
            ctx.status(409).html(layout("Already running", Optional.of(session), h.toString()));
        }
    }

    // ---- runs

    void runs(Context ctx, Session session) {
        Optional<String> pipeline = Optional.ofNullable(ctx.queryParam("pipeline")).filter(s -> !s.isBlank());
        Optional<RunStatus> status = Optional.ofNullable(ctx.queryParam("status")).filter(s -> !s.isBlank()).map(WebPages::runStatus);
        int page = pageParam(ctx.queryParam("page"));
        RunQuery query = new RunQuery(pipeline, status, Optional.empty(), RUNS_PER_PAGE + 1, (page - 1) * RUNS_PER_PAGE);
        List<RunRecord> found = pipelines.runs(query);
        boolean more = found.size() > RUNS_PER_PAGE;
        List<RunRecord> shown = more ? found.subList(0, RUNS_PER_PAGE) : found;

        Html h = new Html().raw("<h1>Runs</h1><form id=\"run-filters\" method=\"get\" action=\"/runs\"><label>Pipeline <select name=\"pipeline\"><option value=\"\">all</option>");
        for (PipelineView p : pipelines.pipelines()) {
            String n = p.definition().name();
            h.raw("<option " + Html.attr("value", n) + (pipeline.equals(Optional.of(n)) ? " selected" : "") + ">").text(n).raw("</option>");
        }
        h.raw("</select></label><label>Status <select name=\"status\"><option value=\"\">all</option>");
        for (RunStatus s : RunStatus.values()) {
            String n = s.name().toLowerCase(Locale.ROOT);
            h.raw("<option value=\"" + n + "\"" + (status.equals(Optional.of(s)) ? " selected" : "") + ">" + n + "</option>");
        }
        h.raw("</select></label><button type=\"submit\">Filter</button></form>");
        h.raw("<table id=\"runs\"><thead><tr><th>Run</th><th>Pipeline</th><th>Status</th><th>Trigger</th><th>Started</th><th>Duration</th><th>Records</th><th>Error</th></tr></thead><tbody>");
        for (RunRecord r : shown) {
            h.raw("<tr class=\"run\" data-run-id=\"" + r.id() + "\"><td><a href=\"/runs/" + r.id() + "\">#" + r.id() + "</a></td>")
                    .td(r.pipeline()).raw("<td>" + status(r.status().name()) + "</td>").td(r.trigger()).td(Html.time(r.startedAt()))
                    .td(Html.duration(r.duration())).td(String.format(Locale.ROOT, "%,d", r.records()))
                    .element("td", "class=\"error-text\"", r.error().orElse("")).raw("</tr>");
        }
        h.raw("</tbody></table>");
        if (shown.isEmpty()) h.element("p", "class=\"muted\"", "No runs.");
        h.raw("<nav class=\"paging\">");
        String filters = pipeline.map(p -> "&pipeline=" + Html.url(p)).orElse("") + status.map(s -> "&status=" + s.name().toLowerCase(Locale.ROOT)).orElse("");
        if (page > 1) h.raw("<a id=\"prev-page\" href=\"" + Html.escape("/runs?page=" + (page - 1) + filters) + "\">← newer</a>");
        h.raw(" <span>page " + page + "</span> ");
        if (more) h.raw("<a id=\"next-page\" href=\"" + Html.escape("/runs?page=" + (page + 1) + filters) + "\">older →</a>");
        h.raw("</nav>");
        ctx.html(layout("Runs", Optional.of(session), h.toString()));
    }

    void run(Context ctx, Session session) {
        long id = runId(ctx);
        RunRecord run = pipelines.run(id).orElseThrow(() -> new HttpProblem(404, "no run " + id));
        List<StepRecord> steps = pipelines.steps(id);
        List<LogLine> log = pipelines.log(id, 0, LOG_LINES_ON_PAGE);
        long lastSeq = log.isEmpty() ? 0 : log.get(log.size() - 1).seq();
        boolean live = !run.status().isFinal();

        Html h = new Html().raw("<div id=\"run-page\" data-run-id=\"" + run.id() + "\" data-live=\"" + live + "\" data-after=\"" + lastSeq + "\">")
                .raw("<h1>Run #" + run.id() + " of <a href=\"/runs?pipeline=" + Html.escape(Html.url(run.pipeline())) + "\">").text(run.pipeline()).raw("</a></h1>")
                .raw("<dl class=\"facts\"><dt>Status</dt><dd><span id=\"run-status\" class=\"status status-" + run.status().name().toLowerCase(Locale.ROOT) + "\">")
                .text(run.status().name().toLowerCase(Locale.ROOT)).raw("</span></dd>")
                .element("dt", "", "Trigger").element("dd", "", run.trigger() + run.rerunOf().map(r -> " (re-run of #" + r + ")").orElse(""))
                .element("dt", "", "Started").element("dd", "", Html.time(run.startedAt()))
                .element("dt", "", "Duration").element("dd", "id=\"run-duration\"", Html.duration(run.duration()))
                .element("dt", "", "Records").element("dd", "id=\"run-records\"", String.format(Locale.ROOT, "%,d", run.records()));
        run.error().ifPresent(e -> h.element("dt", "", "Error").element("dd", "class=\"error\" id=\"run-error\"", e));
        h.raw("</dl><div class=\"actions\">");
        // a CLI run belongs to its own process and has no pipeline to re-run: neither button would work
        boolean fromCli = dev.tributary.scheduler.CliRuns.PIPELINE.equals(run.trigger());
        boolean operator = session.can(Role.OPERATOR); // a viewer sees no buttons: the server would refuse them anyway
        if (operator && live && !fromCli) {
            h.raw("<form id=\"cancel-form\" method=\"post\" action=\"/runs/" + run.id() + "/cancel\">" + csrfInput(session) + "<button type=\"submit\">Cancel</button></form>");
        }
        if (operator && !fromCli && (run.status() == RunStatus.FAILED || run.status() == RunStatus.CANCELLED)) {
            h.raw("<form id=\"rerun-form\" method=\"post\" action=\"/runs/" + run.id() + "/rerun\">" + csrfInput(session) + "<button type=\"submit\">Re-run from failed</button></form>");
        }
        h.raw("</div><h2>Steps</h2><table id=\"steps\"><thead><tr><th>Step</th><th>Kind</th><th>Status</th><th>Attempt</th><th>Started</th>"
                + "<th>Duration</th><th>Records</th><th>Summary</th><th>Error</th></tr></thead><tbody>");
        for (StepRecord s : steps) {
            h.raw("<tr class=\"step\" " + Html.attr("data-step", s.step()) + ">").td(s.step()).td(s.kind().name().toLowerCase(Locale.ROOT))
                    .raw("<td class=\"step-status\">" + status(s.status().name()) + "</td>")
                    .element("td", "class=\"step-attempt\"", s.attempt()).td(Html.time(s.startedAt()))
                    .element("td", "class=\"step-duration\"", s.startedAt().flatMap(a -> s.endedAt().map(b -> Html.duration(java.time.Duration.between(a, b)))).orElse("–"))
                    .element("td", "class=\"step-records\"", String.format(Locale.ROOT, "%,d", s.records()))
                    .element("td", "class=\"step-summary\"", s.summary())
                    .element("td", "class=\"step-error error-text\"", s.error().orElse("")).raw("</tr>");
        }
        h.raw("</tbody></table><h2>Log</h2><pre id=\"log\">");
        for (LogLine l : log) h.raw("<span class=\"log-" + Html.escape(l.level().toLowerCase(Locale.ROOT)) + "\">").text(l.render()).raw("\n</span>");
        h.raw("</pre></div>");
        if (live) h.raw("<script src=\"/static/run.js\"></script>");
        ctx.html(layout("Run #" + run.id(), Optional.of(session), h.toString()));
    }

    void cancel(Context ctx, Session session) {
        long id = runId(ctx);
        pipelines.run(id).orElseThrow(() -> new HttpProblem(404, "no run " + id));
        pipelines.cancel(id);
        AuditLog.record(ctx, "cancel", "run " + id, "");
        ctx.redirect("/runs/" + id, HttpStatus.SEE_OTHER);
    }

    void rerun(Context ctx, Session session) {
        long id = runId(ctx);
        pipelines.run(id).orElseThrow(() -> new HttpProblem(404, "no run " + id));
        try {
            RunRecord run = pipelines.rerunFromFailed(id);
            AuditLog.record(ctx, "rerun", "run " + id, "new run " + run.id());
            ctx.redirect("/runs/" + run.id(), HttpStatus.SEE_OTHER);
        } catch (AlreadyRunningException e) {
            throw new HttpProblem(409, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(409, "run " + id + " cannot be re-run: " + e.getMessage());
        }
    }

    // ---- helpers

    static long runId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new HttpProblem(404, "not a run id: " + ctx.pathParam("id"));
        }
    }

    static RunStatus runStatus(String s) {
        try {
            return RunStatus.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "unknown run status '" + s + "'; expected one of queued, running, succeeded, failed, cancelled");
        }
    }

    /** 1 when absent or below 1; a 400 beyond the last page an int offset can reach (a huge one once wrapped round to page 1). */
    static int pageParam(String value) {
        if (value == null || value.isBlank()) return 1;
        java.math.BigInteger page;
        try {
            page = new java.math.BigInteger(value.trim());
        } catch (NumberFormatException e) {
            throw new HttpProblem(400, "page must be a number, got " + value);
        }
        if (page.signum() <= 0) return 1;
        if (page.compareTo(java.math.BigInteger.valueOf(MAX_RUNS_PAGE)) > 0) {
            throw new HttpProblem(400, "page must be between 1 and " + MAX_RUNS_PAGE + ", got " + value.trim());
        }
        return page.intValueExact();
    }

    static int intParam(String value, int defaultValue) {
        if (value == null || value.isBlank()) return defaultValue;
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            if (value.trim().matches("[+-]?\\d+")) throw new HttpProblem(400, "number out of range: " + value.trim());
            throw new HttpProblem(400, "not a number: " + value);
        }
    }
}
