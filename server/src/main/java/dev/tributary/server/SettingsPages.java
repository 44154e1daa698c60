package dev.tributary.server;

import dev.tributary.scheduler.alert.AlertDelivery;
import dev.tributary.server.SessionStore.Session;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The admin's settings pages: the audit log (and its API), the alert channels with their deliveries, the masked config. */
final class SettingsPages {
    static final int AUDIT_PER_PAGE = 50;

    private final AuditLog audit;
    private final SettingsSources sources;
    private final WebPages pages;

    SettingsPages(AuditLog audit, SettingsSources sources, WebPages pages) {
        this.audit = audit;
        this.sources = sources;
        this.pages = pages;
    }

    /** The tabs of the settings pages, {@code current} marked for screen readers too. */
    static String tabs(String current) {
        StringBuilder b = new StringBuilder("<nav class=\"tabs\" id=\"settings-tabs\" aria-label=\"Settings\">");
        for (String[] t : new String[][] {{"users", "Users"}, {"audit", "Audit log"}, {"alerts", "Alerts"}, {"config", "Configuration"}}) {
            b.append("<a href=\"/settings/").append(t[0]).append('"').append(t[0].equals(current) ? " aria-current=\"page\" class=\"current\"" : "")
                    .append('>').append(t[1]).append("</a>");
        }
        return b.append("</nav>").toString();
    }

    void index(Context ctx, Session session) {
        Html h = new Html().raw("<h1>Settings</h1>").raw(tabs(""))
                .raw("<ul class=\"settings-index\"><li><a href=\"/settings/users\">Users</a>: accounts and their roles</li>")
                .raw("<li><a href=\"/settings/audit\">Audit log</a>: who did what, when, from where</li>")
                .raw("<li><a href=\"/settings/alerts\">Alerts</a>: channels and their last deliveries</li>")
                .raw("<li><a href=\"/settings/config\">Configuration</a>: tributary.yml with its secrets masked</li></ul>");
        ctx.html(pages.layout("Settings", Optional.of(session), h.toString()));
    }

    // ---- audit

    void audit(Context ctx, Session session) {
        AuditLog.Query filter = query(ctx, AUDIT_PER_PAGE + 1, 0);
        int page = WebPages.pageParam(ctx.queryParam("page"));
        AuditLog.Query q = new AuditLog.Query(filter.actor(), filter.action(), filter.text(), filter.from(), filter.until(), AUDIT_PER_PAGE + 1,
                (page - 1) * AUDIT_PER_PAGE);
        List<AuditLog.Entry> found = audit.find(q);
        boolean more = found.size() > AUDIT_PER_PAGE;
        List<AuditLog.Entry> shown = more ? found.subList(0, AUDIT_PER_PAGE) : found;
        Html h = new Html().raw("<h1>Audit log</h1>").raw(tabs("audit"))
                .raw("<form id=\"audit-filters\" method=\"get\" action=\"/settings/audit\">")
                .raw("<label>User <input name=\"actor\" " + Html.attr("value", q.actor()) + "></label>")
                .raw("<label>Action <input name=\"action\" " + Html.attr("value", q.action()) + " placeholder=\"trigger, login-failed…\"></label>")
                .raw("<label>Text <input name=\"q\" " + Html.attr("value", q.text()) + "></label>")
                .raw("<label>From <input type=\"date\" name=\"from\" " + Html.attr("value", Optional.ofNullable(ctx.queryParam("from")).orElse("")) + "></label>")
                .raw("<label>Until <input type=\"date\" name=\"until\" " + Html.attr("value", Optional.ofNullable(ctx.queryParam("until")).orElse("")) + "></label>")
                .raw("<button type=\"submit\">Filter</button></form>");
        h.raw("<table id=\"audit\"><thead><tr><th>When</th><th>User</th><th>Role</th><th>Action</th><th>Target</th><th>Detail</th><th>From</th><th>Outcome</th></tr></thead><tbody>");
        for (AuditLog.Entry e : shown) {
            h.raw("<tr class=\"audit outcome-" + (e.outcome().equals("ok") ? "ok" : "refused") + "\" " + Html.attr("data-action", e.action()) + " "
                            + Html.attr("data-actor", e.actor()) + ">")
                    .td(Html.time(e.at())).element("td", "class=\"audit-actor\"", e.actor()).td(e.role())
                    .element("td", "class=\"audit-action\"", e.action()).element("td", "class=\"audit-target\"", e.target())
                    .element("td", "class=\"audit-detail\"", e.detail()).td(e.ip()).element("td", "class=\"audit-outcome\"", e.outcome()).raw("</tr>");
        }
        h.raw("</tbody></table>");
        if (shown.isEmpty()) h.element("p", "class=\"muted\"", "Nothing recorded that matches.");
        String filters = param("actor", q.actor()) + param("action", q.action()) + param("q", q.text())
                + param("from", Optional.ofNullable(ctx.queryParam("from")).orElse("")) + param("until", Optional.ofNullable(ctx.queryParam("until")).orElse(""));
        h.raw("<nav class=\"paging\">");
        if (page > 1) h.raw("<a id=\"audit-prev\" href=\"" + Html.escape("/settings/audit?page=" + (page - 1) + filters) + "\">← newer</a>");
        h.raw(" <span>page " + page + "</span> ");
        if (more) h.raw("<a id=\"audit-next\" href=\"" + Html.escape("/settings/audit?page=" + (page + 1) + filters) + "\">older →</a>");
        h.raw("</nav>");
        ctx.html(pages.layout("Audit log", Optional.of(session), h.toString()));
    }

    /** GET /api/v1/audit?actor=&action=&q=&from=&until=&limit=&offset= (admin), newest first. */
    void auditApi(Context ctx) {
        int limit = WebPages.intParam(ctx.queryParam("limit"), 100);
        int offset = WebPages.intParam(ctx.queryParam("offset"), 0);
        if (limit < 1 || limit > 1000) throw new HttpProblem(400, "limit must be between 1 and 1000, got " + limit);
        if (offset < 0) throw new HttpProblem(400, "offset must not be negative, got " + offset);
        List<Map<String, Object>> out = audit.find(query(ctx, limit, offset)).stream().map(SettingsPages::json).toList();
        ApiRoutes.json(ctx, 200, Map.of("entries", out));
    }

    private static Map<String, Object> json(AuditLog.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", e.at().toString());
        m.put("actor", e.actor());
        m.put("role", e.role());
        m.put("action", e.action());
        m.put("target", e.target());
        m.put("detail", e.detail());
        m.put("ip", e.ip());
        m.put("outcome", e.outcome());
        return m;
    }

    private static AuditLog.Query query(Context ctx, int limit, int offset) {
        return new AuditLog.Query(text(ctx, "actor"), text(ctx, "action"), text(ctx, "q"), day(ctx, "from", 0), day(ctx, "until", 1), limit, offset);
    }

    private static String text(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null ? "" : v.strip();
    }

    /** A yyyy-mm-dd date as the start of that day (UTC), plus {@code plusDays}: "until" includes its day. */
    private static Optional<Instant> day(Context ctx, String name, int plusDays) {
        String v = text(ctx, name);
        if (v.isEmpty()) return Optional.empty();
        try {
            return Optional.of(LocalDate.parse(v).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            throw new HttpProblem(400, name + " must be a date like 2026-12-06, got " + v);
        }
    }

    private static String param(String name, String value) {
        return value.isEmpty() ? "" : "&" + name + "=" + Html.url(value);
    }

    // ---- alerts

    void alerts(Context ctx, Session session) {
        Html h = new Html().raw("<h1>Alerts</h1>").raw(tabs("alerts")).raw("<h2>Channels</h2>");
        if (sources.alertChannels().isEmpty()) {
            h.element("p", "class=\"muted\" id=\"no-channels\"", "No alert channels: add alerts.email or alerts.webhooks to tributary.yml.");
        } else {
            h.raw("<ul id=\"alert-channels\">");
            for (String c : sources.alertChannels()) h.element("li", "class=\"alert-channel\"", c);
            h.raw("</ul>");
        }
        List<AlertDelivery> deliveries = sources.deliveries().get();
        long failed = deliveries.stream().filter(d -> !d.ok()).count();
        h.raw("<h2>Last deliveries</h2>").element("p", "id=\"deliveries-summary\"", deliveries.size() + " shown, " + failed + " failed");
        h.raw("<table id=\"deliveries\"><thead><tr><th>When</th><th>Channel</th><th>Event</th><th>Pipeline / run</th><th>Attempts</th><th>Result</th></tr></thead><tbody>");
        for (AlertDelivery d : deliveries) {
            h.raw("<tr class=\"delivery " + (d.ok() ? "delivery-ok" : "delivery-failed") + "\">").td(Html.time(d.at())).td(d.channel())
                    .td(d.kind().name().toLowerCase(Locale.ROOT)).raw("<td>").text(d.pipeline().orElse(d.subject()));
            d.runId().ifPresent(id -> h.raw(" <a href=\"/runs/" + id + "\">run " + id + "</a>"));
            h.raw("</td>").td(d.attempts()).raw("<td>").raw(d.ok() ? WebPages.status("delivered") : WebPages.status("failed") + " ")
                    .element("span", "class=\"error-text\"", d.error().orElse("")).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        if (deliveries.isEmpty()) h.element("p", "class=\"muted\"", "No alert sent yet.");
        ctx.html(pages.layout("Alerts", Optional.of(session), h.toString()));
    }

    // ---- config

    void config(Context ctx, Session session) {
        Html h = new Html().raw("<h1>Configuration</h1>").raw(tabs("config"));
        if (sources.configFile().isEmpty()) {
            h.element("p", "class=\"muted\"", "This server runs no project.");
        } else {
            String text;
            try {
                text = Files.readString(sources.configFile().get());
            } catch (IOException e) {
                throw new HttpProblem(500, "cannot read tributary.yml: " + e.getClass().getSimpleName());
            }
            String masked;
            try {
                masked = ConfigMasking.mask(text);
            } catch (RuntimeException e) {
                // the parser's message may quote the file: say where, not what
                throw new HttpProblem(500, "tributary.yml does not parse as YAML; run tributary check");
            }
            h.element("p", "class=\"muted\"", "tributary.yml as serve read it. Values from the environment (${…}) and of keys named like "
                    + "password, secret, token or key are masked, and so are passwords in URLs.");
            h.element("pre", "id=\"config\" class=\"sql\"", masked);
        }
        ctx.html(pages.layout("Configuration", Optional.of(session), h.toString()));
    }
}
