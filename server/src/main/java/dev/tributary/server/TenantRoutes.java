package dev.tributary.server;

import dev.tributary.scheduler.tenant.HubspotApp;
import dev.tributary.scheduler.tenant.InstallState;
import dev.tributary.scheduler.tenant.Tenant;
import dev.tributary.scheduler.tenant.TenantStatus;
import dev.tributary.scheduler.tenant.TenantSync;
import dev.tributary.scheduler.tenant.TenantWork;
import dev.tributary.scheduler.tenant.Tenants;
import dev.tributary.server.SessionStore.Session;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The app's tenants on the server: the public install link and callback, the Tenants pages (list, one tenant with
 * its own tables, pause, resume, uninstall, remove with its data) and the same under /api/v1/tenants. Only the
 * install link and the callback are public; nothing here shows a token.
 */
final class TenantRoutes {
    static final String INSTALL_PATH = "/install";

    private final Tenants tenants;
    private final List<TenantTemplate> templates;
    private final ProjectData data;
    private final WebPages pages;

    TenantRoutes(Tenants tenants, List<TenantTemplate> templates, ProjectData data, WebPages pages) {
        this.tenants = tenants;
        this.templates = List.copyOf(templates);
        this.data = data;
        this.pages = pages;
    }

    /** Paths that need no login: the install link and HubSpot's redirect back. */
    boolean isPublic(String path) {
        return path.equals(INSTALL_PATH) || path.equals(tenants.app().callbackPath());
    }

    interface PageRegistrar {
        void get(String path, PageHandler handler);

        void post(String path, PageHandler handler);
    }

    interface PageHandler {
        void handle(Context ctx, Session session) throws Exception;
    }

    void register(Javalin app, PageRegistrar pageRoutes) {
        app.get(INSTALL_PATH, ctx -> ctx.redirect(tenants.startInstall().toString(), HttpStatus.FOUND));
        app.get(tenants.app().callbackPath(), this::callback);
        pageRoutes.get("/tenants", this::listPage);
        pageRoutes.get("/tenants/{hub}", this::tenantPage);
        for (String action : List.of("pause", "resume", "uninstall", "remove")) {
            pageRoutes.post("/tenants/{hub}/" + action, (ctx, session) -> {
                long hub = hub(ctx);
                String done = act(action, hub, ctx.formParam("confirm"));
                ctx.redirect(action.equals("remove") ? "/tenants?done=" + Html.url(done) : "/tenants/" + hub, HttpStatus.SEE_OTHER);
            });
        }
        String api = ApiRoutes.PREFIX + "/tenants";
        app.get(api, ctx -> ApiRoutes.json(ctx, 200, tenants.list().stream().map(TenantRoutes::json).toList()));
        app.get(api + "/{hub}", ctx -> ApiRoutes.json(ctx, 200, json(tenant(hub(ctx)))));
        app.get(api + "/{hub}/tables", ctx -> ApiRoutes.json(ctx, 200, tables(tenant(hub(ctx))).stream().map(Json::connection).toList()));
        for (String action : List.of("pause", "resume", "uninstall")) {
            app.post(api + "/{hub}/" + action, ctx -> {
                long hub = hub(ctx);
                act(action, hub, "yes");
                ApiRoutes.json(ctx, 200, json(tenant(hub)));
            });
        }
        // a run's tenant syncs, grouped under it: which worker synced each tenant, when, and how it went
        app.get(ApiRoutes.PREFIX + "/runs/{id}/tenants", ctx -> {
            long run;
            try {
                run = Long.parseLong(ctx.pathParam("id"));
            } catch (NumberFormatException e) {
                throw new HttpProblem(404, "not a run id: " + ctx.pathParam("id"));
            }
            ApiRoutes.json(ctx, 200, tenants.store().work(run, null).stream().map(TenantRoutes::json).toList());
        });
        app.delete(api + "/{hub}", ctx -> {
            long hub = hub(ctx);
            String done = act("remove", hub, "yes");
            ApiRoutes.json(ctx, 200, Map.of("removed", hub, "result", done));
        });
    }

    /** The operations the UI and the API share; conflicts are 409, unknown tenants 404. */
    private String act(String action, long hub, String confirm) {
        tenant(hub);
        try {
            return switch (action) {
                case "pause" -> tenants.pause(hub).status().label();
                case "resume" -> tenants.resume(hub).status().label();
                case "uninstall" -> tenants.uninstall(hub).status().label();
                case "remove" -> {
                    if (!"yes".equals(confirm)) throw new HttpProblem(400, "removing a tenant drops its data: confirm it");
                    yield "tenant " + hub + " removed: " + tenants.remove(hub);
                }
                default -> throw new HttpProblem(404, "no such action: " + action);
            };
        } catch (IllegalStateException e) {
            throw new HttpProblem(409, e.getMessage());
        } catch (HubspotApp.AppException e) {
            throw new HttpProblem(502, e.getMessage());
        }
    }

    private void callback(Context ctx) {
        try {
            Tenant t = tenants.completeInstall(ctx.queryParam("code"), ctx.queryParam("state"), ctx.queryParam("error"));
            Html h = new Html().element("h1", "", "Installed")
                    .raw("<p id=\"installed\">").text("The app is installed in " + t.name() + " (hub " + t.hubId() + ")"
                            + (t.user().isEmpty() ? "" : " by " + t.user()) + ". Its data will be synced on the next scheduled run.").raw("</p>");
            ctx.html(pages.layout("Installed", Optional.ofNullable(ctx.attribute("session")), h.toString()));
        } catch (InstallState.Refused e) {
            ctx.status(400).html(pages.errorPage(Optional.ofNullable(ctx.attribute("session")), 400, "Install refused: " + e.getMessage()));
        } catch (HubspotApp.AppException e) {
            ctx.status(502).html(pages.errorPage(Optional.ofNullable(ctx.attribute("session")), 502, "Install failed: " + e.getMessage()));
        }
    }

    private void listPage(Context ctx, Session session) {
        List<Tenant> all = tenants.list();
        Html h = new Html().raw("<h1>Tenants</h1>");
        String done = ctx.queryParam("done");
        if (done != null) h.element("p", "id=\"done\" class=\"muted\"", done);
        h.raw("<p>Install link for accounts: <a id=\"install-link\" href=\"" + INSTALL_PATH + "\">").text(INSTALL_PATH).raw("</a> (")
                .text(all.size() + " tenant" + (all.size() == 1 ? "" : "s") + "; connections per tenant: "
                        + (templates.isEmpty() ? "none is multi_tenant" : String.join(", ", templates.stream().map(TenantTemplate::name).toList())))
                .raw(")</p>");
        h.raw("<table id=\"tenants\"><thead><tr><th>Hub</th><th>Account</th><th>Installed by</th><th>Status</th><th>Installed</th>"
                + "<th>Last sync</th><th>Rows</th><th>Errors</th><th>API calls</th><th></th></tr></thead><tbody>");
        for (Tenant t : all) {
            h.raw("<tr class=\"tenant\" " + Html.attr("data-hub", t.hubId()) + ">")
                    .raw("<td><a href=\"/tenants/" + t.hubId() + "\">").text(t.hubId()).raw("</a></td>")
                    .td(t.name()).td(t.user()).raw("<td>").raw(WebPages.status(t.status().label()))
                    .raw(t.statusReason().map(r -> " <span class=\"muted\">" + Html.escape(r) + "</span>").orElse("")).raw("</td>")
                    .td(Html.time(t.installedAt())).td(Html.time(t.lastSyncAt()))
                    .element("td", "class=\"rows\"", String.format(Locale.ROOT, "%,d", t.totalRows()))
                    .element("td", "class=\"errors\"", t.errors() + t.lastError().map(e -> " (last: " + e + ")").orElse(""))
                    .element("td", "class=\"api-calls\"", String.format(Locale.ROOT, "%,d", t.apiCalls()))
                    .raw("<td>").raw(actions(t, session)).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        ctx.html(pages.layout("Tenants", Optional.of(session), h.toString()));
    }

    private void tenantPage(Context ctx, Session session) {
        Tenant t = tenant(hub(ctx));
        Html h = new Html().element("h1", "", "Tenant " + t.hubId()).raw("<dl id=\"tenant\">")
                .element("dt", "", "Account").element("dd", "", t.name())
                .element("dt", "", "Installed by").element("dd", "", t.user())
                .element("dt", "", "Scopes").element("dd", "class=\"scopes\"", String.join(" ", t.scopes()))
                .element("dt", "", "Installed").element("dd", "", Html.time(t.installedAt()))
                .element("dt", "", "Status").raw("<dd>").raw(WebPages.status(t.status().label()))
                .text(t.statusReason().map(r -> " " + r).orElse("")).raw("</dd></dl>");
        h.raw(actions(t, session));
        h.raw("<h2>Syncs</h2><table id=\"syncs\"><thead><tr><th>Connection</th><th>Last sync</th><th>Last rows</th><th>Total rows</th>"
                + "<th>Failures</th><th>Last error</th><th>API calls</th></tr></thead><tbody>");
        for (TenantSync s : t.syncs()) {
            h.raw("<tr>").td(s.connection()).td(Html.time(s.lastSyncAt())).td(s.lastRows()).td(s.totalRows()).td(s.failures())
                    .td(s.lastError().orElse("")).td(s.apiCalls()).raw("</tr>");
        }
        h.raw("</tbody></table><h2>Tables</h2>");
        for (ProjectData.ConnectionInfo c : tables(t)) {
            h.raw("<section class=\"tenant-connection\" " + Html.attr("data-connection", c.name()) + "><h3>").text(c.name())
                    .raw(" <span class=\"muted\">").text("→ " + c.schema()).raw("</span></h3>");
            if (c.streams().isEmpty()) h.element("p", "class=\"muted\"", "Nothing loaded yet.");
            else {
                h.raw("<table class=\"streams\"><thead><tr><th>Table</th><th>Rows</th><th>Last sync</th></tr></thead><tbody>");
                for (ProjectData.StreamInfo s : c.streams()) {
                    h.raw("<tr class=\"stream\" " + Html.attr("data-stream", s.name()) + ">").td(s.name())
                            .element("td", "class=\"rows\"", s.rows().map(r -> String.format(Locale.ROOT, "%,d", r)).orElse("–")).td(Html.time(s.lastSync())).raw("</tr>");
                }
                h.raw("</tbody></table>");
            }
            h.raw("</section>");
        }
        ctx.html(pages.layout("Tenant " + t.hubId(), Optional.of(session), h.toString()));
    }

    /** The tenant's own tables: its schema of each multi-tenant connection, never another tenant's. */
    private List<ProjectData.ConnectionInfo> tables(Tenant t) {
        List<ProjectData.ConnectionInfo> out = new ArrayList<>();
        for (TenantTemplate template : templates) {
            out.add(data.connectionData(template.name() + "_" + t.hubId(), template.type(), template.schema() + "_" + t.hubId()));
        }
        return out;
    }

    private static String actions(Tenant t, Session session) {
        StringBuilder b = new StringBuilder("<span class=\"tenant-actions\">");
        if (!session.can(Role.OPERATOR)) return b.append("</span>").toString(); // a viewer's would be refused
        String csrf = WebPages.csrfInput(session);
        if (t.status() == TenantStatus.ACTIVE) b.append(form(t, "pause", "Pause", csrf, ""));
        if (t.status() == TenantStatus.PAUSED) b.append(form(t, "resume", "Resume", csrf, ""));
        if (t.status() == TenantStatus.ACTIVE || t.status() == TenantStatus.PAUSED) b.append(form(t, "uninstall", "Uninstall", csrf, ""));
        if (session.can(Role.ADMIN)) { // removal drops its data for good: admins only (see TributaryServer.requiredRole)
            b.append(form(t, "remove", "Remove with data", csrf,
                    "<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> drop its tables and state</label>"));
        }
        return b.append("</span>").toString();
    }

    private static String form(Tenant t, String action, String label, String csrf, String extra) {
        return "<form class=\"inline\" method=\"post\" " + Html.attr("action", "/tenants/" + t.hubId() + "/" + action) + ">" + csrf + extra
                + "<button type=\"submit\" " + Html.attr("id", action + "-" + t.hubId()) + ">" + Html.escape(label) + "</button></form>";
    }

    private Tenant tenant(long hub) {
        return tenants.find(hub).orElseThrow(() -> new HttpProblem(404, "no tenant with hub id " + hub));
    }

    private static long hub(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("hub"));
        } catch (NumberFormatException e) {
            throw new HttpProblem(404, "not a hub id: " + ctx.pathParam("hub"));
        }
    }

    static Map<String, Object> json(TenantWork w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", w.runId());
        m.put("connection", w.connection());
        m.put("hubId", w.hubId());
        m.put("position", w.position());
        m.put("status", w.status().label());
        m.put("worker", w.worker().orElse(null));
        m.put("claims", w.claims());
        m.put("startedAt", w.startedAt().map(Object::toString).orElse(null));
        m.put("finishedAt", w.finishedAt().map(Object::toString).orElse(null));
        m.put("records", w.records());
        m.put("apiCalls", w.apiCalls());
        m.put("error", w.error().orElse(null));
        return m;
    }

    static Map<String, Object> json(Tenant t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hubId", t.hubId());
        m.put("name", t.name());
        m.put("user", t.user());
        m.put("scopes", t.scopes());
        m.put("installedAt", t.installedAt().toString());
        m.put("updatedAt", t.updatedAt().toString());
        m.put("status", t.status().label());
        m.put("statusReason", t.statusReason().orElse(null));
        m.put("lastSyncAt", t.lastSyncAt().map(Object::toString).orElse(null));
        m.put("rows", t.totalRows());
        m.put("errors", t.errors());
        m.put("lastError", t.lastError().orElse(null));
        m.put("apiCalls", t.apiCalls());
        List<Map<String, Object>> syncs = new ArrayList<>();
        for (TenantSync s : t.syncs()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("connection", s.connection());
            sm.put("lastSyncAt", s.lastSyncAt().toString());
            sm.put("lastRows", s.lastRows());
            sm.put("totalRows", s.totalRows());
            sm.put("failures", s.failures());
            sm.put("lastError", s.lastError().orElse(null));
            sm.put("apiCalls", s.apiCalls());
            sm.put("syncs", s.syncs());
            syncs.add(sm);
        }
        m.put("syncs", syncs);
        return m;
    }
}
