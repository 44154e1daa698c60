package dev.tributary.server;

import dev.tributary.scheduler.AlreadyRunningException;
import dev.tributary.scheduler.LogLine;
import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.RunQuery;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.StepRecord;
import dev.tributary.scheduler.UnknownPipelineException;
import dev.tributary.server.SessionStore.Session;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The server-rendered pages of the web UI and their form actions. */
final class WebPages {
    static final int RUNS_PER_PAGE = 50;
    static final int MAX_RUNS_PAGE = Integer.MAX_VALUE / RUNS_PER_PAGE;

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
            if (tenantsEnabled) h.raw("<a href=\"/tenants\">Tenants</a>");
            for (DashboardDef d : settings.dashboards()) {
                h.raw("<a class=\"dashboard-link\" href=\"/dashboards/" + Html.escape(Html.url(d.name())) + "\">").text(d.title()).raw("</a>");
            }
            h.raw("<form id=\"logout-form\" method=\"post\" action=\"/logout\">").raw(csrfInput(session.get()))
                    .raw("<span class=\"user\">").text(session.get().user()).raw("</span><button type=\"submit\">Log out</button></form></nav>");
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

    // overview, runs and a run: RunPages; a pipeline and its schedule controls: SchedulePages

    // ---- connections

    void connections(Context ctx, Session session) {
        Instant now = clock.instant();
        Html h = new Html().raw("<h1>Connections</h1>");
        List<ProjectData.ConnectionInfo> connections = data.connections();
        if (connections.isEmpty()) h.element("p", "class=\"muted\"", "No connections in tributary.yml.");
        for (ProjectData.ConnectionInfo c : connections) {
            h.raw("<section class=\"connection\" " + Html.attr("data-connection", c.name()) + ">").raw("<h2>").text(c.name())
                    .raw(" <span class=\"muted\">").text(c.type() + " → " + c.schema()).raw("</span></h2>");
            if (c.streams().isEmpty()) {
                h.element("p", "class=\"muted\"", "Nothing loaded yet.");
            } else {
                h.raw("<table class=\"streams\"><thead><tr><th>Stream</th><th>Rows</th><th>Last sync</th><th>Freshness</th><th>Schema</th></tr></thead><tbody>");
                for (ProjectData.StreamInfo s : c.streams()) {
                    h.raw("<tr class=\"stream\" " + Html.attr("data-stream", s.name()) + ">").td(s.name())
                            .element("td", "class=\"rows\"", s.rows().map(r -> String.format(Locale.ROOT, "%,d", r)).orElse("–"))
                            .td(Html.time(s.lastSync())).element("td", "class=\"freshness\"", Html.age(s.lastSync().orElse(null), now))
                            .raw("<td><details><summary>" + s.columns().size() + " columns</summary><table class=\"columns\">");
                    for (ProjectData.ColumnInfo col : s.columns()) h.raw("<tr>").td(col.name()).td(col.type()).raw("</tr>");
                    h.raw("</table></details></td></tr>");
                }
                h.raw("</tbody></table>");
            }
            h.raw("</section>");
        }
        ctx.html(layout("Connections", Optional.of(session), h.toString()));
    }

    // ---- models

    /** Lineage nodes and edges: sources and models from the manifest, exports from the pipelines' export steps. */
    LineageData lineage() {
        List<Svg.LineageNode> nodes = new ArrayList<>();
        List<Svg.LineageEdge> edges = new ArrayList<>();
        for (ProjectData.ModelInfo m : data.models()) {
            nodes.add(new Svg.LineageNode(m.name(), m.kind()));
            for (String d : m.dependsOn()) edges.add(new Svg.LineageEdge(d, m.name()));
        }
        for (PipelineView p : pipelines.pipelines()) {
            for (StepDef s : p.definition().steps()) {
                if (s.kind() != StepKind.EXPORT) continue;
                String model = s.options().get("model");
                String name = "export: " + s.options().getOrDefault("path", p.definition().name() + "/" + s.name());
                nodes.add(new Svg.LineageNode(name, "export"));
                if (model != null) edges.add(new Svg.LineageEdge(model, name));
            }
        }
        return new LineageData(nodes, edges);
    }

    record LineageData(List<Svg.LineageNode> nodes, List<Svg.LineageEdge> edges) {}

    void models(Context ctx, Session session) {
        List<ProjectData.ModelInfo> models = data.models();
        LineageData lineage = lineage();
        Html h = new Html().raw("<h1>Models</h1>");
        if (lineage.nodes().isEmpty()) {
            h.element("p", "class=\"muted\"", "No models yet: run a build to write target/manifest.json.");
        } else {
            h.raw("<div class=\"lineage-box\">").raw(Svg.lineage(lineage.nodes(), lineage.edges())).raw("</div>");
        }
        h.raw("<table id=\"models\"><thead><tr><th>Name</th><th>Kind</th><th>Materialized</th><th>Last status</th><th>Message</th><th>Finished</th></tr></thead><tbody>");
        for (ProjectData.ModelInfo m : models) {
            if (m.kind().equals("source")) continue;
            h.raw("<tr class=\"model\" " + Html.attr("data-model", m.name()) + "><td><a href=\"/models/" + Html.escape(Html.url(m.name())) + "\">")
                    .text(m.name()).raw("</a></td>").td(m.kind()).td(m.materialized())
                    .raw("<td>" + m.lastResult().map(r -> status(r.status())).orElse("–") + "</td>")
                    .td(m.lastResult().map(ProjectData.ModelResult::message).orElse(""))
                    .td(m.lastResult().map(r -> Html.time(r.completedAt())).orElse("–")).raw("</tr>");
        }
        h.raw("</tbody></table>");
        ctx.html(layout("Models", Optional.of(session), h.toString()));
    }

    void model(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        ProjectData.ModelInfo m = data.model(name).orElseThrow(() -> new HttpProblem(404, "no model named " + name));
        Html h = new Html().raw("<h1>").text(m.name()).raw("</h1><dl class=\"facts\">")
                .element("dt", "", "Kind").element("dd", "", m.kind())
                .element("dt", "", "Materialization").element("dd", "id=\"materialization\"", m.materialized())
                .element("dt", "", "Relation").element("dd", "", m.relation().orElse("–"))
                .element("dt", "", "Depends on").element("dd", "", m.dependsOn().isEmpty() ? "–" : String.join(", ", m.dependsOn()))
                .element("dt", "", "Rows").element("dd", "id=\"model-rows\"", data.rowCount(m).map(r -> String.format(Locale.ROOT, "%,d", r)).orElse("–"));
        h.raw("<dt>Last result</dt><dd id=\"model-result\">");
        m.lastResult().ifPresentOrElse(r -> h.raw(status(r.status()) + " ").text(r.message() + " · " + Html.time(r.completedAt())
                + " · " + String.format(Locale.ROOT, "%.2fs", r.executionSeconds())), () -> h.text("not run yet"));
        h.raw("</dd></dl>");
        h.element("h2", "", "SQL").element("pre", "class=\"sql\" id=\"sql-raw\"", m.rawSql().orElse("(none)"));
        if (m.compiledSql().isPresent()) h.element("h2", "", "Compiled SQL").element("pre", "class=\"sql\" id=\"sql-compiled\"", m.compiledSql().get());
        ctx.html(layout(m.name(), Optional.of(session), h.toString()));
    }

    // ---- quality

    void quality(Context ctx, Session session) {
        List<ProjectData.CheckResult> checks = data.latestChecks();
        Html h = new Html().raw("<h1>Data quality</h1>");
        long failing = checks.stream().filter(c -> c.severity() <= 1).count();
        h.element("p", "id=\"quality-summary\"", checks.size() + " checks, " + failing + " failing");
        h.raw("<table id=\"checks\"><thead><tr><th>Check</th><th>Status</th><th>Type</th><th>Table</th><th>Value</th><th>Thresholds</th><th>Run at</th><th>Sample failing rows</th></tr></thead><tbody>");
        for (ProjectData.CheckResult c : checks) checkRow(h, c, true);
        h.raw("</tbody></table>");
        if (checks.isEmpty()) h.element("p", "class=\"muted\"", "No check results yet.");
        ctx.html(layout("Quality", Optional.of(session), h.toString()));
    }

    void checkHistory(Context ctx, Session session) {
        String name = ctx.pathParam("check");
        List<ProjectData.CheckResult> history = data.checkHistory(name, 200);
        if (history.isEmpty()) throw new HttpProblem(404, "no results for check " + name);
        Html h = new Html().raw("<h1>").text(name).raw("</h1>");
        h.raw("<table id=\"check-history\"><thead><tr><th>Check</th><th>Status</th><th>Type</th><th>Table</th><th>Value</th><th>Thresholds</th><th>Run at</th><th>Sample failing rows</th></tr></thead><tbody>");
        for (ProjectData.CheckResult c : history) checkRow(h, c, false);
        h.raw("</tbody></table>");
        ctx.html(layout(name, Optional.of(session), h.toString()));
    }

    private static void checkRow(Html h, ProjectData.CheckResult c, boolean link) {
        h.raw("<tr class=\"check check-" + Html.escape(c.status()) + "\" " + Html.attr("data-check", c.name()) + "><td>");
        if (link) h.raw("<a href=\"/quality/" + Html.escape(Html.url(c.name())) + "\">").text(c.name()).raw("</a>");
        else h.text(c.name());
        h.raw("</td><td>" + status(c.status()) + "</td>").td(c.type())
                .td(c.table() + (c.column().isEmpty() ? "" : "." + c.column()))
                .element("td", "class=\"value\"", c.value().map(v -> v == Math.rint(v) ? String.valueOf(v.longValue()) : String.format(Locale.ROOT, "%.4f", v)).orElse("–"))
                .td("warn " + (c.warnThreshold().isEmpty() ? "–" : c.warnThreshold()) + " · fail " + (c.failThreshold().isEmpty() ? "–" : c.failThreshold()))
                .td(Html.time(c.runAt())).raw("<td>");
        if (!c.samples().isBlank() && !c.samples().equals("[]")) {
            h.raw("<details><summary>samples</summary>").element("pre", "class=\"samples\"", c.samples()).raw("</details>");
        } else if (!c.message().isEmpty()) {
            h.element("span", "class=\"muted\"", c.message());
        }
        h.raw("</td></tr>");
    }

    // ---- dashboards

    void dashboard(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        DashboardDef d = settings.dashboard(name).orElseThrow(() -> new HttpProblem(404, "no dashboard named " + name));
        Html h = new Html().raw("<h1>").text(d.title()).raw("</h1><div class=\"charts\">");
        for (ChartDef chart : d.charts()) {
            h.raw("<figure class=\"chart-box\">").element("figcaption", "", chart.title());
            try {
                String sql = chart.query().orElseGet(() -> data.selectAllFrom(chart.model().orElseThrow()));
                h.raw(Svg.chart(chart, data.query(sql, 2000)));
            } catch (RuntimeException e) {
                h.element("p", "class=\"chart-error error\"", "Cannot draw this chart: " + e.getMessage());
            }
            h.raw("</figure>");
        }
        h.raw("</div>");
        ctx.html(layout(d.title(), Optional.of(session), h.toString()));
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
