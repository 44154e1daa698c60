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

    // overview, runs and a run: RunPages; a pipeline and its schedule controls: SchedulePages

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
