package dev.tributary.server;

import dev.tributary.scheduler.PipelineService;
import dev.tributary.scheduler.PipelineView;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepKind;
import dev.tributary.server.ProjectData.CheckResult;
import dev.tributary.server.ProjectData.ColumnInfo;
import dev.tributary.server.ProjectData.ConnectionInfo;
import dev.tributary.server.ProjectData.ModelInfo;
import dev.tributary.server.ProjectData.StreamInfo;
import dev.tributary.server.SessionStore.Session;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What was loaded and built: the connections and a page per table ({@code /tables/<connection>/<stream>}), the models
 * and a page per model, and the lineage graph ({@code /lineage}, focusable on one node). Table and model pages show
 * columns, freshness, rows, the checks on them with their latest results, and the runs that touched them (from
 * {@link ItemHistory}).
 */
final class CatalogPages {
    static final int HISTORY_ROWS = 50;

    private final PipelineService pipelines;
    private final ProjectData data;
    private final WebPages layout;
    private final java.time.Clock clock;
    private volatile ItemHistory history = ItemHistory.NONE;

    CatalogPages(PipelineService pipelines, ProjectData data, WebPages layout, java.time.Clock clock) {
        this.pipelines = pipelines;
        this.data = data;
        this.layout = layout;
        this.clock = clock;
    }

    void history(ItemHistory history) {
        this.history = history;
    }

    static String tableHref(String connection, String stream) {
        return "/tables/" + Html.url(connection) + "/" + Html.url(stream);
    }

    static String modelHref(String name) {
        return "/models/" + Html.url(name);
    }

    // ---- connections and tables

    void connections(Context ctx, Session session) {
        Instant now = clock.instant();
        Html h = new Html().raw("<h1>Connections</h1>");
        List<ConnectionInfo> connections = data.connections();
        if (connections.isEmpty()) h.element("p", "class=\"muted\"", "No connections in tributary.yml.");
        for (ConnectionInfo c : connections) {
            h.raw("<section class=\"connection\" " + Html.attr("data-connection", c.name()) + ">").raw("<h2>").text(c.name())
                    .raw(" <span class=\"muted\">").text(c.type() + " → " + c.schema()).raw("</span></h2>");
            if (c.streams().isEmpty()) {
                h.element("p", "class=\"muted\"", "Nothing loaded yet.");
            } else {
                h.raw("<table class=\"streams\"><thead><tr><th>Stream</th><th>Rows</th><th>Last sync</th><th>Freshness</th><th>Schema</th></tr></thead><tbody>");
                for (StreamInfo s : c.streams()) {
                    h.raw("<tr class=\"stream\" " + Html.attr("data-stream", s.name()) + "><td><a class=\"table-link\" "
                                    + Html.attr("href", tableHref(c.name(), s.name())) + ">").text(s.name()).raw("</a></td>")
                            .element("td", "class=\"rows\"", rows(s.rows()))
                            .td(Html.time(s.lastSync())).element("td", "class=\"freshness\"", Html.age(s.lastSync().orElse(null), now))
                            .raw("<td><details><summary>" + s.columns().size() + " columns</summary><table class=\"columns\">");
                    for (ColumnInfo col : s.columns()) h.raw("<tr>").td(col.name()).td(col.type()).raw("</tr>");
                    h.raw("</table></details></td></tr>");
                }
                h.raw("</tbody></table>");
            }
            h.raw("</section>");
        }
        ctx.html(layout.layout("Connections", Optional.of(session), h.toString()));
    }

    void table(Context ctx, Session session) {
        String connection = ctx.pathParam("connection");
        String stream = ctx.pathParam("stream");
        ConnectionInfo c = data.connections().stream().filter(x -> x.name().equals(connection)).findFirst()
                .orElseThrow(() -> new HttpProblem(404, "no connection named " + connection));
        StreamInfo s = c.streams().stream().filter(x -> x.name().equals(stream)).findFirst()
                .orElseThrow(() -> new HttpProblem(404, "connection " + connection + " has loaded no table named " + stream));
        Instant now = clock.instant();
        Html h = new Html().raw("<h1>").text(s.name()).raw(" <span class=\"muted\">").text("from " + c.name()).raw("</span></h1>");
        h.raw("<dl class=\"facts\" id=\"table-facts\">")
                .element("dt", "", "Connection").raw("<dd><a href=\"/connections\">").text(c.name() + " (" + c.type() + ")").raw("</a></dd>")
                .element("dt", "", "Relation").element("dd", "id=\"relation\"", c.schema() + "." + s.name())
                .element("dt", "", "Rows").element("dd", "id=\"table-rows\"", rows(s.rows()))
                .element("dt", "", "Last sync").element("dd", "", Html.time(s.lastSync()))
                .element("dt", "", "Freshness").element("dd", "id=\"freshness\"", Html.age(s.lastSync().orElse(null), now))
                .raw("</dl>");
        Set<String> names = new LinkedHashSet<>(List.of(s.name(), c.schema() + "." + s.name(), c.name() + "." + s.name()));
        checks(h, names);
        history(h, ItemHistory.STREAM, c.name() + "/" + s.name());
        columns(h, s.columns());
        ctx.html(layout.layout(s.name(), Optional.of(session), h.toString()));
    }

    // ---- models

    void models(Context ctx, Session session) {
        List<ModelInfo> models = data.models();
        Html h = new Html().raw("<h1>Models</h1>");
        Lineage lineage = lineage();
        if (lineage.nodes().isEmpty()) {
            h.element("p", "class=\"muted\"", "No models yet: run a build to write target/manifest.json.");
        } else {
            h.raw("<p><a id=\"lineage-link\" href=\"/lineage\">Open the lineage graph</a> (zoom, pan, focus on one model)</p>")
                    .raw(LineageSvg.legend()).raw("<div class=\"lineage-box\">")
                    .raw(LineageSvg.render(lineage.nodes(), lineage.edges(), Optional.empty())).raw("</div>");
        }
        h.raw("<table id=\"models\"><thead><tr><th>Name</th><th>Kind</th><th>Materialized</th><th>Last status</th><th>Message</th><th>Finished</th></tr></thead><tbody>");
        for (ModelInfo m : models) {
            if (m.kind().equals("source")) continue;
            h.raw("<tr class=\"model\" " + Html.attr("data-model", m.name()) + "><td><a " + Html.attr("href", modelHref(m.name())) + ">")
                    .text(m.name()).raw("</a></td>").td(m.kind()).td(m.materialized())
                    .raw("<td>" + m.lastResult().map(r -> WebPages.status(r.status())).orElse("–") + "</td>")
                    .td(m.lastResult().map(ProjectData.ModelResult::message).orElse(""))
                    .td(m.lastResult().map(r -> Html.time(r.completedAt())).orElse("–")).raw("</tr>");
        }
        h.raw("</tbody></table>");
        if (!lineage.nodes().isEmpty()) h.raw("<script src=\"/static/lineage.js\"></script>");
        ctx.html(layout.layout("Models", Optional.of(session), h.toString()));
    }

    void model(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        List<ModelInfo> all = data.models();
        ModelInfo m = data.model(name).orElseThrow(() -> new HttpProblem(404, "no model named " + name));
        Instant now = clock.instant();
        Html h = new Html().raw("<h1>").text(m.name()).raw(" <span class=\"muted\">").text(m.kind()).raw("</span></h1><dl class=\"facts\">")
                .element("dt", "", "Materialization").element("dd", "id=\"materialization\"", m.materialized())
                .element("dt", "", "Relation").element("dd", "id=\"relation\"", m.relation().orElse("–"))
                .element("dt", "", "Rows").element("dd", "id=\"model-rows\"", rows(data.rowCount(m)));
        Optional<Instant> built = m.lastResult().flatMap(ProjectData.ModelResult::completedAt);
        h.element("dt", "", "Freshness").element("dd", "id=\"freshness\"", built.isPresent() ? "built " + Html.age(built.get(), now) : "never built");
        h.raw("<dt>Last result</dt><dd id=\"model-result\">");
        m.lastResult().ifPresentOrElse(r -> h.raw(WebPages.status(r.status()) + " ").text(r.message() + " · " + Html.time(r.completedAt())
                + " · " + String.format(Locale.ROOT, "%.2fs", r.executionSeconds())), () -> h.text("not run yet"));
        h.raw("</dd></dl>");

        h.raw("<div class=\"neighbours\"><section><h2>Upstream</h2><ul id=\"upstream\">");
        for (String d : m.dependsOn()) h.raw("<li>").raw(nodeLink(d, all)).raw("</li>");
        if (m.dependsOn().isEmpty()) h.element("li", "class=\"muted\"", "nothing");
        h.raw("</ul></section><section><h2>Downstream</h2><ul id=\"downstream\">");
        List<String> downstream = new ArrayList<>();
        for (ModelInfo o : all) if (o.dependsOn().contains(m.name())) downstream.add(o.name());
        for (Lineage.Export e : exports()) if (e.model().equals(m.name())) downstream.add(e.name());
        for (String d : downstream) h.raw("<li>").raw(nodeLink(d, all)).raw("</li>");
        if (downstream.isEmpty()) h.element("li", "class=\"muted\"", "nothing");
        h.raw("</ul></section></div><p><a id=\"focus-link\" " + Html.attr("href", "/lineage?focus=" + Html.url(m.name()) + "&depth=2")
                + ">Lineage around " + Html.escape(m.name()) + "</a></p>");

        checks(h, tableNames(m));
        history(h, ItemHistory.MODEL, m.name());
        columns(h, data.columns(m));
        h.element("h2", "", "SQL").element("pre", "class=\"sql\" id=\"sql-raw\"", m.rawSql().orElse("(none)"));
        if (m.compiledSql().isPresent()) h.element("h2", "", "Compiled SQL").element("pre", "class=\"sql\" id=\"sql-compiled\"", m.compiledSql().get());
        ctx.html(layout.layout(m.name(), Optional.of(session), h.toString()));
    }

    /** A link to the node's page when it has one (models, seeds, snapshots), else its name. */
    private static String nodeLink(String name, List<ModelInfo> all) {
        boolean page = all.stream().anyMatch(o -> o.name().equals(name) && !o.kind().equals("source"));
        return page ? "<a " + Html.attr("href", modelHref(name)) + ">" + Html.escape(name) + "</a>" : Html.escape(name);
    }

    // ---- lineage

    void lineagePage(Context ctx, Session session) {
        Lineage lineage = lineage();
        Optional<String> focus = Optional.ofNullable(ctx.queryParam("focus")).map(String::trim).filter(s -> !s.isEmpty());
        int depth = depth(ctx.queryParam("depth"));
        List<LineageSvg.Node> nodes = lineage.nodes();
        List<LineageSvg.Edge> edges = lineage.edges();
        if (focus.isPresent()) {
            String f = focus.get();
            if (nodes.stream().noneMatch(n -> n.name().equals(f))) throw new HttpProblem(404, "no node named " + f + " in the lineage");
            Set<String> keep = LineageSvg.neighbourhood(f, edges, depth);
            nodes = nodes.stream().filter(n -> keep.contains(n.name())).toList();
            edges = edges.stream().filter(e -> keep.contains(e.from()) && keep.contains(e.to())).toList();
        }
        Html h = new Html().raw("<h1>Lineage</h1>");
        h.raw("<form id=\"lineage-focus\" method=\"get\" action=\"/lineage\"><label>Focus on <select name=\"focus\"><option value=\"\">everything</option>");
        for (LineageSvg.Node n : lineage.nodes()) {
            h.raw("<option " + Html.attr("value", n.name()) + (focus.equals(Optional.of(n.name())) ? " selected" : "") + ">").text(n.name()).raw("</option>");
        }
        h.raw("</select></label><label>Depth <input name=\"depth\" type=\"number\" min=\"1\" max=\"50\" " + Html.attr("value", depth < 0 ? "" : depth)
                + " placeholder=\"all\"></label><button type=\"submit\">Show</button></form>");
        h.raw(LineageSvg.legend());
        if (nodes.isEmpty()) {
            h.element("p", "class=\"muted\"", "No models yet: run a build to write target/manifest.json.");
        } else {
            h.raw("<div class=\"lineage-box\" id=\"lineage-box\">").raw(LineageSvg.render(nodes, edges, focus)).raw("</div>");
            h.element("p", "class=\"muted\" id=\"lineage-count\"", nodes.size() + " nodes, " + edges.size() + " edges"
                    + (focus.isPresent() ? " within " + (depth < 0 ? "any number of" : String.valueOf(depth)) + " steps of " + focus.get() : ""));
            h.raw("<script src=\"/static/lineage.js\"></script>");
        }
        ctx.html(layout.layout("Lineage", Optional.of(session), h.toString()));
    }

    /** The depth parameter: absent or "all" for no limit, else 1 to 50. */
    static int depth(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("all")) return -1;
        int d = WebPages.intParam(value, -1);
        if (d < 1 || d > 50) throw new HttpProblem(400, "depth must be between 1 and 50 (or all), got " + value.trim());
        return d;
    }

    record Lineage(List<LineageSvg.Node> nodes, List<LineageSvg.Edge> edges) {
        record Export(String name, String model) {}
    }

    /** Sources and models from the manifest, exports from the pipelines' export steps, each with its latest status. */
    Lineage lineage() {
        List<CheckResult> checks = data.latestChecks();
        List<LineageSvg.Node> nodes = new ArrayList<>();
        List<LineageSvg.Edge> edges = new ArrayList<>();
        for (ModelInfo m : data.models()) {
            // its own last result, made worse by any failing check on it (a source has only its checks)
            LineageSvg.Status status = m.lastResult().map(r -> status(r.status())).orElse(null);
            Set<String> names = tableNames(m);
            for (CheckResult c : checks) {
                if (names.contains(c.table())) status = status == null ? status(c.status()) : status.worst(status(c.status()));
            }
            if (status == null) status = LineageSvg.Status.NEVER;
            boolean page = !m.kind().equals("source");
            nodes.add(new LineageSvg.Node(m.name(), m.kind(), status, page ? Optional.of(modelHref(m.name())) : Optional.empty()));
            for (String d : m.dependsOn()) edges.add(new LineageSvg.Edge(d, m.name()));
        }
        for (Lineage.Export e : exports()) {
            nodes.add(new LineageSvg.Node(e.name(), "export", LineageSvg.Status.NEVER, Optional.empty()));
            if (!e.model().isEmpty()) edges.add(new LineageSvg.Edge(e.model(), e.name()));
        }
        return new Lineage(nodes, edges);
    }

    private List<Lineage.Export> exports() {
        List<Lineage.Export> out = new ArrayList<>();
        for (PipelineView p : pipelines.pipelines()) {
            for (StepDef s : p.definition().steps()) {
                if (s.kind() != StepKind.EXPORT) continue;
                String name = "export: " + s.options().getOrDefault("path", p.definition().name() + "/" + s.name());
                out.add(new Lineage.Export(name, s.options().getOrDefault("model", "")));
            }
        }
        return out;
    }

    /**
     * The names a check may give a node's table by: its name, its relation (quoted or as schema.table) and, for a
     * source ("hubspot.contacts"), the table's own name.
     */
    static Set<String> tableNames(ModelInfo m) {
        Set<String> names = new LinkedHashSet<>();
        names.add(m.name());
        m.relation().ifPresent(r -> {
            names.add(r);
            List<String> parts = WarehouseProjectData.relationParts(r);
            if (parts.size() >= 2) names.add(parts.get(parts.size() - 2) + "." + parts.get(parts.size() - 1));
        });
        if (m.kind().equals("source") && m.name().contains(".")) names.add(m.name().substring(m.name().lastIndexOf('.') + 1));
        return names;
    }

    /** A model result's or check's status as the lineage colours it. */
    static LineageSvg.Status status(String status) {
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "success", "pass", "ok", "succeeded" -> LineageSvg.Status.PASS;
            case "warn" -> LineageSvg.Status.WARN;
            case "fail", "failed" -> LineageSvg.Status.FAIL;
            case "error", "runtime error" -> LineageSvg.Status.ERROR;
            case "skipped" -> LineageSvg.Status.SKIPPED;
            default -> LineageSvg.Status.NEVER;
        };
    }

    // ---- parts shared by table and model pages

    private void checks(Html h, Set<String> tableNames) {
        List<CheckResult> on = data.latestChecks().stream().filter(c -> tableNames.contains(c.table())).toList();
        h.raw("<h2>Checks</h2>");
        if (on.isEmpty()) {
            h.element("p", "class=\"muted\" id=\"no-checks\"", "No tests or checks on it have run.");
            return;
        }
        h.raw("<table id=\"table-checks\"><thead><tr><th>Check</th><th>Status</th><th>Type</th><th>Column</th><th>Value</th><th>Run at</th></tr></thead><tbody>");
        for (CheckResult c : on) {
            h.raw("<tr class=\"check check-" + Html.escape(c.status()) + "\" " + Html.attr("data-check", c.name()) + "><td><a "
                            + Html.attr("href", "/quality/" + Html.url(c.name())) + ">").text(c.name()).raw("</a></td><td>" + WebPages.status(c.status()) + "</td>")
                    .td(c.type()).td(c.column().isEmpty() ? "–" : c.column()).element("td", "class=\"value\"", QualityPages.value(c.value()))
                    .td(Html.time(c.runAt())).raw("</tr>");
        }
        h.raw("</tbody></table>");
    }

    private void history(Html h, String kind, String name) {
        List<ItemHistory.ItemRun> runs = history.historyOf(kind, name, HISTORY_ROWS);
        h.raw("<h2>History</h2>");
        if (runs.isEmpty()) {
            h.element("p", "class=\"muted\" id=\"no-history\"", "No run has touched it yet.");
            return;
        }
        h.raw("<table id=\"history\"><thead><tr><th>Run</th><th>Pipeline</th><th>When</th><th>Status</th><th>Rows</th><th>Duration</th></tr></thead><tbody>");
        for (ItemHistory.ItemRun r : runs) {
            h.raw("<tr class=\"item-run\" data-run-id=\"" + r.runId() + "\"><td><a href=\"/runs/" + r.runId() + "\">#" + r.runId() + "</a></td>")
                    .td(r.pipeline()).td(Html.time(r.at())).raw("<td>" + WebPages.status(r.status()) + "</td>")
                    .element("td", "class=\"rows\"", r.rows().isPresent() ? String.format(Locale.ROOT, "%,d", r.rows().getAsLong()) : "–")
                    .element("td", "class=\"duration\"", Html.duration(r.duration())).raw("</tr>");
        }
        h.raw("</tbody></table>");
    }

    private static void columns(Html h, List<ColumnInfo> columns) {
        h.raw("<h2>Columns</h2>");
        if (columns.isEmpty()) {
            h.element("p", "class=\"muted\" id=\"no-columns\"", "Not in the warehouse yet.");
            return;
        }
        h.raw("<table id=\"columns\" class=\"columns\"><thead><tr><th>Column</th><th>Type</th></tr></thead><tbody>");
        for (ColumnInfo c : columns) h.raw("<tr class=\"column\" " + Html.attr("data-column", c.name()) + ">").td(c.name()).td(c.type()).raw("</tr>");
        h.raw("</tbody></table>");
    }

    private static String rows(Optional<Long> rows) {
        return rows.map(r -> String.format(Locale.ROOT, "%,d", r)).orElse("–");
    }
}
