package dev.tributary.server;

import dev.tributary.scheduler.AlreadyRunningException;
import dev.tributary.scheduler.LogLine;
import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RunDetails;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunRequest;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepItem;
import dev.tributary.scheduler.StepRecord;
import dev.tributary.scheduler.UnknownPipelineException;
import dev.tributary.server.SessionStore.Session;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The pages about runs: the overview (pipelines with their run grid and pause state), the run history with its
 * filters, and a run's page (facts, timeline, streams and models, steps, log), with the run actions.
 */
final class RunPages {
    static final int RUNS_PER_PAGE = WebPages.RUNS_PER_PAGE;
    /** Log lines a run page shows at once; a live page fetches the rest as it goes. */
    static final int LOG_LINES_ON_PAGE = 10_000;
    /** Squares in a pipeline's run grid on the overview (its most recent runs). */
    static final int GRID_RUNS = 20;
    /** Longest text filter accepted. */
    private static final int MAX_TEXT = 200;

    private final WebPages pages;
    private final PipelineService pipelines;
    private final Clock clock;

    RunPages(WebPages pages, PipelineService pipelines, Clock clock) {
        this.pages = pages;
        this.pipelines = pipelines;
        this.clock = clock;
    }

    // ---- overview

    void overview(Context ctx, Session session) {
        Instant now = clock.instant();
        Map<String, RunDetails.Pause> paused = pipelines.paused();
        Html h = new Html().raw("<h1>Pipelines</h1><table id=\"pipelines\"><thead><tr><th>Pipeline</th><th>Schedule</th><th>Next run</th>"
                + "<th>Last status</th><th>Last duration</th><th>Recent runs</th><th></th></tr></thead><tbody>");
        List<PipelineView> all = pipelines.pipelines();
        for (PipelineView p : all) {
            String name = p.definition().name();
            Optional<RunRecord> shown = p.running().or(p::last);
            Optional<RunDetails.Pause> pause = Optional.ofNullable(paused.get(name));
            h.raw("<tr class=\"pipeline" + (pause.isPresent() ? " paused" : "") + "\" " + Html.attr("data-pipeline", name) + ">")
                    .raw("<td><a class=\"pipeline-link\" href=\"/pipelines/" + Html.escape(Html.url(name)) + "\">").text(name).raw("</a>");
            if (!p.definition().description().isEmpty()) h.element("div", "class=\"muted\"", p.definition().description());
            h.raw("</td><td>").text(p.definition().trigger().describe());
            pause.ifPresent(ps -> h.raw(" <span class=\"paused-badge\" " + Html.attr("title", "paused by " + ps.by() + " at " + Html.time(ps.at())) + ">paused</span>"));
            h.raw("</td>");
            if (pause.isPresent()) {
                h.element("td", "class=\"next-run muted\"", "paused");
            } else {
                h.raw("<td class=\"next-run\" title=\"" + Html.escape(Html.time(p.nextRun())) + "\">")
                        .text(p.nextRun().map(n -> n.isAfter(now) ? "in " + Html.duration(Duration.between(now, n)) : "due now").orElse("–")).raw("</td>");
            }
            h.raw("<td class=\"last-status\">").raw(shown.map(r -> "<a href=\"/runs/" + r.id() + "\">" + WebPages.status(r.status().name()) + "</a>")
                            .orElse("<span class=\"muted\">never run</span>")).raw("</td>")
                    .td(p.last().map(r -> Html.duration(r.duration())).orElse("–"))
                    .raw("<td>").raw(runGrid(name, p.recent())).raw("</td>")
                    .raw("<td class=\"pipeline-actions\">");
            if (session.can(Role.OPERATOR)) { // a viewer sees no buttons: the server would refuse them anyway
                h.raw("<form class=\"trigger\" method=\"post\" " + Html.attr("data-pipeline", name) + " "
                                + Html.attr("action", "/pipelines/" + Html.url(name) + "/trigger") + ">" + WebPages.csrfInput(session)
                                + "<button type=\"submit\">Run now</button></form>")
                        .raw(SchedulePages.pauseForm(name, pause.isPresent(), session, "/"));
            }
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        if (all.isEmpty()) h.element("p", "class=\"muted\"", "No pipelines: add a pipelines: section to tributary.yml.");
        ctx.html(pages.layout("Overview", Optional.of(session), h.toString()));
    }

    /**
     * A pipeline's last runs as uniform squares, oldest left, coloured by status; each links to its run and names it,
     * its status and its time in its title.
     */
    static String runGrid(String pipeline, List<RunRecord> newestFirst) {
        List<RunRecord> runs = new java.util.ArrayList<>(newestFirst.subList(0, Math.min(GRID_RUNS, newestFirst.size())));
        java.util.Collections.reverse(runs);
        StringBuilder b = new StringBuilder("<div class=\"run-grid\" " + Html.attr("data-pipeline", pipeline) + " role=\"list\" "
                + Html.attr("aria-label", "last " + runs.size() + " runs of " + pipeline) + ">");
        for (RunRecord r : runs) {
            String status = r.status().name().toLowerCase(Locale.ROOT);
            String title = "run #" + r.id() + ": " + status + ", " + Html.time(r.startedAt().orElse(r.dueAt()))
                    + r.duration().map(d -> " (" + Html.duration(d) + ")").orElse("");
            b.append("<a role=\"listitem\" class=\"run-square status-").append(status).append("\" href=\"/runs/").append(r.id())
                    .append("\" data-run-id=\"").append(r.id()).append("\" ").append(Html.attr("title", title)).append("></a>"); // the title names the link
        }
        return b.append("</div>").toString();
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
            alreadyRunning(ctx, session, name, e);
        }
    }

    void alreadyRunning(Context ctx, Session session, String name, AlreadyRunningException e) {
        Html h = new Html().element("h1", "", "Already running")
                .raw("<p class=\"error\" id=\"error\">").text("Pipeline " + name + " is already running: ")
                .raw("<a id=\"running-run\" href=\"/runs/" + e.runningId() + "\">run " + e.runningId() + "</a></p>");
        ctx.status(409).html(pages.layout("Already running", Optional.of(session), h.toString()));
    }

    // ---- run history

    /** The filters of /runs and /api/v1/runs from query parameters: pipeline, status, from and to (dates, UTC, to inclusive), q (text). */
    static RunQuery query(Context ctx, int limit, int offset) {
        Optional<String> pipeline = Optional.ofNullable(ctx.queryParam("pipeline")).filter(s -> !s.isBlank());
        Optional<RunStatus> status = Optional.ofNullable(ctx.queryParam("status")).filter(s -> !s.isBlank()).map(WebPages::runStatus);
        Optional<Instant> since = date(ctx, "from").map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC));
        Optional<Instant> until = date(ctx, "to").map(d -> d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new HttpProblem(400, "from (" + ctx.queryParam("from") + ") is after to (" + ctx.queryParam("to") + ")");
        }
        Optional<String> text = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).filter(s -> !s.isEmpty());
        if (text.isPresent() && text.get().length() > MAX_TEXT) throw new HttpProblem(400, "q is longer than " + MAX_TEXT + " characters");
        return new RunQuery(pipeline, status, since, until, text, limit, offset);
    }

    private static Optional<LocalDate> date(Context ctx, String param) {
        String value = ctx.queryParam(param);
        if (value == null || value.isBlank()) return Optional.empty();
        try {
            return Optional.of(LocalDate.parse(value.strip()));
        } catch (DateTimeParseException e) {
            throw new HttpProblem(400, param + " must be a date like 2026-12-31, got '" + value + "'");
        }
    }

    void runs(Context ctx, Session session) {
        int page = WebPages.pageParam(ctx.queryParam("page"));
        RunQuery query = query(ctx, RUNS_PER_PAGE + 1, (page - 1) * RUNS_PER_PAGE);
        List<RunRecord> found = pipelines.runs(query);
        boolean more = found.size() > RUNS_PER_PAGE;
        List<RunRecord> shown = more ? found.subList(0, RUNS_PER_PAGE) : found;

        Html h = new Html().raw("<h1>Runs</h1><form id=\"run-filters\" method=\"get\" action=\"/runs\"><label>Pipeline <select name=\"pipeline\"><option value=\"\">all</option>");
        for (PipelineView p : pipelines.pipelines()) {
            String n = p.definition().name();
            h.raw("<option " + Html.attr("value", n) + (query.pipeline().equals(Optional.of(n)) ? " selected" : "") + ">").text(n).raw("</option>");
        }
        // runs started from the CLI are in the same history under their own name
        String cli = dev.tributary.scheduler.CliRuns.PIPELINE;
        h.raw("<option value=\"" + cli + "\"" + (query.pipeline().equals(Optional.of(cli)) ? " selected" : "") + ">" + cli + " (command line)</option>");
        h.raw("</select></label><label>Status <select name=\"status\"><option value=\"\">all</option>");
        for (RunStatus s : RunStatus.values()) {
            String n = s.name().toLowerCase(Locale.ROOT);
            h.raw("<option value=\"" + n + "\"" + (query.status().equals(Optional.of(s)) ? " selected" : "") + ">" + n + "</option>");
        }
        h.raw("</select></label>")
                .raw("<label>From <input type=\"date\" name=\"from\" id=\"filter-from\" " + Html.attr("value", Optional.ofNullable(ctx.queryParam("from")).orElse("").strip()) + "></label>")
                .raw("<label>To <input type=\"date\" name=\"to\" id=\"filter-to\" " + Html.attr("value", Optional.ofNullable(ctx.queryParam("to")).orElse("").strip()) + "></label>")
                .raw("<label>Text <input type=\"search\" name=\"q\" id=\"filter-q\" placeholder=\"pipeline, trigger or error\" " + Html.attr("value", query.text().orElse("")) + "></label>")
                .raw("<button type=\"submit\">Filter</button> <a id=\"clear-filters\" href=\"/runs\">clear</a></form>");
        h.raw("<table id=\"runs\"><thead><tr><th>Run</th><th>Pipeline</th><th>Status</th><th>Trigger</th><th>Started</th><th>Duration</th><th>Records</th><th>Error</th></tr></thead><tbody>");
        for (RunRecord r : shown) {
            h.raw("<tr class=\"run\" data-run-id=\"" + r.id() + "\"><td><a href=\"/runs/" + r.id() + "\">#" + r.id() + "</a></td>")
                    .td(r.pipeline()).raw("<td>" + WebPages.status(r.status().name()) + "</td>").td(r.trigger()).td(Html.time(r.startedAt()))
                    .td(Html.duration(r.duration())).td(String.format(Locale.ROOT, "%,d", r.records()))
                    .element("td", "class=\"error-text\"", r.error().orElse("")).raw("</tr>");
        }
        h.raw("</tbody></table>");
        if (shown.isEmpty()) h.element("p", "class=\"muted\" id=\"no-runs\"", "No runs.");
        h.raw("<nav class=\"paging\">");
        String filters = filterParams(ctx);
        if (page > 1) h.raw("<a id=\"prev-page\" href=\"" + Html.escape("/runs?page=" + (page - 1) + filters) + "\">← newer</a>");
        h.raw(" <span>page " + page + "</span> ");
        if (more) h.raw("<a id=\"next-page\" href=\"" + Html.escape("/runs?page=" + (page + 1) + filters) + "\">older →</a>");
        h.raw("</nav>");
        ctx.html(pages.layout("Runs", Optional.of(session), h.toString()));
    }

    /** The filters as they came, for the paging links ("&pipeline=x&q=y"). */
    private static String filterParams(Context ctx) {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("pipeline", "status", "from", "to", "q")) {
            String v = ctx.queryParam(name);
            if (v != null && !v.isBlank()) b.append('&').append(name).append('=').append(Html.url(v.strip()));
        }
        return b.toString();
    }

    // ---- one run

    void run(Context ctx, Session session) {
        long id = WebPages.runId(ctx);
        RunRecord run = pipelines.run(id).orElseThrow(() -> new HttpProblem(404, "no run " + id));
        List<StepRecord> steps = pipelines.steps(id);
        List<StepItem> items = pipelines.itemsForRun(id);
        RunRequest request = pipelines.request(id);
        List<LogLine> log = pipelines.log(id, 0, LOG_LINES_ON_PAGE);
        long lastSeq = log.isEmpty() ? 0 : log.get(log.size() - 1).seq();
        boolean live = !run.status().isFinal();
        Instant now = clock.instant();

        Html h = new Html().raw("<div id=\"run-page\" data-run-id=\"" + run.id() + "\" data-live=\"" + live + "\" data-after=\"" + lastSeq + "\">")
                .raw("<h1>Run #" + run.id() + " of <a href=\"/pipelines/" + Html.escape(Html.url(run.pipeline())) + "\">").text(run.pipeline()).raw("</a></h1>")
                .raw("<dl class=\"facts\"><dt>Status</dt><dd><span id=\"run-status\" class=\"status status-" + run.status().name().toLowerCase(Locale.ROOT) + "\">")
                .text(run.status().name().toLowerCase(Locale.ROOT)).raw("</span></dd>")
                .element("dt", "", "Trigger").element("dd", "id=\"run-trigger\"", run.trigger() + run.rerunOf().map(r -> " (re-run of #" + r + ")").orElse(""))
                .element("dt", "", "Due").element("dd", "", Html.time(run.dueAt()))
                .element("dt", "", "Started").element("dd", "", Html.time(run.startedAt()))
                .element("dt", "", "Duration").element("dd", "id=\"run-duration\"", Html.duration(run.duration()))
                .element("dt", "", "Records").element("dd", "id=\"run-records\"", String.format(Locale.ROOT, "%,d", run.records()));
        if (!request.steps().isEmpty()) h.element("dt", "", "Steps asked for").element("dd", "id=\"run-steps\"", String.join(", ", request.steps()));
        if (!request.vars().isEmpty()) {
            h.element("dt", "", "Vars").raw("<dd id=\"run-vars\">");
            new java.util.TreeMap<>(request.vars()).forEach((k, v) -> h.raw("<code class=\"var\">").text(k + ": " + v).raw("</code> "));
            h.raw("</dd>");
        }
        run.error().ifPresent(e -> h.element("dt", "", "Error").element("dd", "class=\"error\" id=\"run-error\"", e));
        h.raw("</dl><div class=\"actions\">");
        // a CLI run belongs to its own process and has no pipeline to re-run: neither button would work
        boolean fromCli = dev.tributary.scheduler.CliRuns.PIPELINE.equals(run.trigger());
        boolean operator = session.can(Role.OPERATOR); // a viewer sees no buttons: the server would refuse them anyway
        if (operator && live && !fromCli) {
            h.raw("<form id=\"cancel-form\" method=\"post\" action=\"/runs/" + run.id() + "/cancel\">" + WebPages.csrfInput(session) + "<button type=\"submit\">Cancel</button></form>");
        }
        if (operator && !fromCli && (run.status() == RunStatus.FAILED || run.status() == RunStatus.CANCELLED)) {
            h.raw("<form id=\"rerun-form\" method=\"post\" action=\"/runs/" + run.id() + "/rerun\">" + WebPages.csrfInput(session) + "<button type=\"submit\">Re-run from failed</button></form>");
        }
        h.raw("</div>");
        if (!steps.isEmpty()) {
            h.raw("<h2>Timeline</h2><div class=\"timeline-box\">").raw(RunTimeline.svg(run, steps, items, now)).raw("</div>");
        }
        List<StepItem> streams = items.stream().filter(i -> i.kind().equals("stream")).toList();
        if (!streams.isEmpty()) {
            h.raw("<h2>Streams</h2><table id=\"streams\"><thead><tr><th>Stream</th><th>Step</th><th>Status</th><th>Records</th><th>Rejected</th>"
                    + "<th>Duration</th><th>Resumed</th><th>Error</th></tr></thead><tbody>");
            for (StepItem i : streams) {
                h.raw("<tr class=\"stream-item\" " + Html.attr("data-stream", i.name()) + ">").td(i.name()).td(i.step())
                        .raw("<td class=\"item-status\">" + WebPages.status(i.status()) + "</td>")
                        .element("td", "class=\"item-records num\"", String.format(Locale.ROOT, "%,d", i.rows()))
                        .element("td", "class=\"item-rejected num\"", String.format(Locale.ROOT, "%,d", i.rejected()))
                        .element("td", "class=\"item-duration\"", itemDuration(i, now))
                        .element("td", "class=\"item-resumed\"", i.resumed() ? "from checkpoint" : "no")
                        .raw("<td class=\"item-message error-text\">").raw(message(i)).raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        }
        List<StepItem> nodes = items.stream().filter(i -> !i.kind().equals("stream")).toList();
        if (!nodes.isEmpty()) {
            h.raw("<h2>Models, tests and checks</h2><table id=\"nodes\"><thead><tr><th>Name</th><th>Kind</th><th>Step</th><th>Status</th><th>Rows</th>"
                    + "<th>Duration</th><th>Message</th></tr></thead><tbody>");
            for (StepItem i : nodes) {
                h.raw("<tr class=\"node-item\" " + Html.attr("data-kind", i.kind()) + " " + Html.attr("data-name", i.name()) + ">").td(i.name()).td(i.kind()).td(i.step())
                        .raw("<td class=\"item-status\">" + WebPages.status(i.status()) + "</td>")
                        .element("td", "class=\"item-rows num\"", String.format(Locale.ROOT, "%,d", i.rows()))
                        .element("td", "class=\"item-duration\"", itemDuration(i, now))
                        .raw("<td class=\"item-message" + (isProblem(i.status()) ? " error-text" : "") + "\">").raw(message(i)).raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        }
        h.raw("<h2>Steps</h2><table id=\"steps\"><thead><tr><th>Step</th><th>Kind</th><th>Status</th><th>Attempt</th><th>Started</th>"
                + "<th>Duration</th><th>Records</th><th>Summary</th><th>Error</th></tr></thead><tbody>");
        for (StepRecord s : steps) {
            h.raw("<tr class=\"step\" " + Html.attr("data-step", s.step()) + ">").td(s.step()).td(s.kind().name().toLowerCase(Locale.ROOT))
                    .raw("<td class=\"step-status\">" + WebPages.status(s.status().name()) + "</td>")
                    .element("td", "class=\"step-attempt\"", s.attempt()).td(Html.time(s.startedAt()))
                    .element("td", "class=\"step-duration\"", s.startedAt().flatMap(a -> s.endedAt().map(b -> Html.duration(Duration.between(a, b)))).orElse("–"))
                    .element("td", "class=\"step-records\"", String.format(Locale.ROOT, "%,d", s.records()))
                    .element("td", "class=\"step-summary\"", s.summary())
                    .element("td", "class=\"step-error error-text\"", s.error().orElse("")).raw("</tr>");
        }
        h.raw("</tbody></table><h2>Log</h2>");
        if (log.size() == LOG_LINES_ON_PAGE && !live && !pipelines.log(id, lastSeq, 1).isEmpty()) {
            h.raw("<p class=\"muted\" id=\"log-truncated\">The first " + String.format(Locale.ROOT, "%,d", LOG_LINES_ON_PAGE) + " lines; the rest: <a href=\"/api/v1/runs/"
                    + run.id() + "/log?after=" + lastSeq + "&amp;limit=1000\">/api/v1/runs/" + run.id() + "/log?after=" + lastSeq + "</a></p>");
        }
        h.raw("<pre id=\"log\" tabindex=\"0\" aria-label=\"run log\">");
        for (LogLine l : log) h.raw("<span class=\"log-" + Html.escape(l.level().toLowerCase(Locale.ROOT)) + "\">").text(l.render()).raw("\n</span>");
        h.raw("</pre></div>");
        if (live) h.raw("<script src=\"/static/run.js\"></script>");
        ctx.html(pages.layout("Run #" + run.id(), Optional.of(session), h.toString()));
    }

    private static boolean isProblem(String status) {
        return switch (status) {
            case "failed", "error", "fail", "cancelled" -> true;
            default -> false;
        };
    }

    private static String itemDuration(StepItem i, Instant now) {
        if (i.startedAt().isEmpty()) return "–";
        return Html.duration(Duration.between(i.startedAt().get(), i.endedAt().orElse(now))) + (i.live() ? " so far" : "");
    }

    /** The item's message as the database wrote it, lines kept (escaped). */
    private static String message(StepItem i) {
        return i.message().map(m -> "<div class=\"db-message\">" + Html.escape(m) + "</div>").orElse("");
    }

    void cancel(Context ctx, Session session) {
        long id = WebPages.runId(ctx);
        pipelines.run(id).orElseThrow(() -> new HttpProblem(404, "no run " + id));
        pipelines.cancel(id);
        AuditLog.record(ctx, "cancel", "run " + id, "");
        ctx.redirect("/runs/" + id, HttpStatus.SEE_OTHER);
    }

    void rerun(Context ctx, Session session) {
        long id = WebPages.runId(ctx);
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
}
