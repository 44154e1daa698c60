package dev.tributary.server;

import dev.tributary.server.SessionStore.Session;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dashboards of {@code server.dashboards}: line, area and bar charts, tables and single numbers, each tile as wide
 * as the page lets it be, and a time-range control ({@code ?range=7d|30d|90d|all}) when a chart's query takes one
 * through {@code {{ range_start }}} / {@code {{ range_end }}} (bound as timestamp parameters).
 */
final class DashboardPages {
    static final int MAX_ROWS = 2000;
    static final int TABLE_ROWS = 200;

    private final ServerSettings settings;
    private final ProjectData data;
    private final WebPages layout;
    private final java.time.Clock clock;

    DashboardPages(ServerSettings settings, ProjectData data, WebPages layout, java.time.Clock clock) {
        this.settings = settings;
        this.data = data;
        this.layout = layout;
        this.clock = clock;
    }

    void dashboard(Context ctx, Session session) {
        String name = ctx.pathParam("name");
        DashboardDef d = settings.dashboard(name).orElseThrow(() -> new HttpProblem(404, "no dashboard named " + name));
        String rangeName = Optional.ofNullable(ctx.queryParam("range")).filter(s -> !s.isBlank()).orElse(d.defaultRange());
        TimeRange range;
        try {
            range = TimeRange.of(rangeName, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
        Html h = new Html().raw("<h1>").text(d.title()).raw("</h1>");
        if (d.takesRange()) {
            h.raw("<nav id=\"range\" class=\"range\" aria-label=\"time range\"><span class=\"muted\">Time range:</span>");
            for (String r : TimeRange.NAMES) {
                h.raw("<a class=\"range-option\" data-range=\"" + r + "\" " + Html.attr("href", "/dashboards/" + Html.url(d.name()) + "?range=" + r)
                        + (r.equals(range.name()) ? " aria-current=\"page\"" : "") + ">" + (r.equals("all") ? "all time" : "last " + r) + "</a>");
            }
            h.raw("</nav>");
        }
        h.raw("<div class=\"charts\">");
        for (ChartDef chart : d.charts()) {
            String type = chart.type().name().toLowerCase(java.util.Locale.ROOT);
            h.raw("<figure class=\"chart-box tile-" + type + "\"" + (chart.takesRange() ? " data-range=\"" + range.name() + "\"" : "") + ">")
                    .element("figcaption", "", chart.title());
            try {
                ProjectData.QueryResult rows = rows(chart, range);
                h.raw(switch (chart.type()) {
                    case TABLE -> table(chart, rows);
                    case NUMBER -> number(chart, rows);
                    default -> ChartSvg.chart(chart, rows);
                });
            } catch (RuntimeException e) {
                h.element("p", "class=\"chart-error error\"", "Cannot draw this chart: " + e.getMessage());
            }
            h.raw("</figure>");
        }
        h.raw("</div>");
        ctx.html(layout.layout(d.title(), Optional.of(session), h.toString()));
    }

    private ProjectData.QueryResult rows(ChartDef chart, TimeRange range) {
        if (chart.query().isEmpty()) return data.query(data.selectAllFrom(chart.model().orElseThrow()), MAX_ROWS);
        TimeRange.Bound bound = range.bind(chart.query().get());
        return data.query(bound.sql(), bound.parameters(), MAX_ROWS);
    }

    /** The {@code y} columns (all when none are named), at most {@value #TABLE_ROWS} rows. */
    static String table(ChartDef chart, ProjectData.QueryResult rows) {
        List<Integer> columns = new ArrayList<>();
        if (chart.y().isEmpty()) {
            for (int i = 0; i < rows.columns().size(); i++) columns.add(i);
        } else {
            if (!chart.x().isEmpty()) columns.add(ChartSvg.column(rows, chart.x()));
            for (String y : chart.y()) columns.add(ChartSvg.column(rows, y));
        }
        Html h = new Html().raw("<div class=\"table-scroll\"><table class=\"chart-table\"><thead><tr>");
        for (int c : columns) h.th(rows.columns().get(c));
        h.raw("</tr></thead><tbody>");
        for (List<Object> row : rows.rows().subList(0, Math.min(TABLE_ROWS, rows.rows().size()))) {
            h.raw("<tr>");
            for (int c : columns) {
                Object v = row.get(c);
                boolean numeric = v instanceof Number;
                h.element("td", numeric ? "class=\"num\"" : "", v == null ? "" : numeric ? ChartSvg.value(((Number) v).doubleValue()) : v);
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table></div>");
        if (rows.rows().size() > TABLE_ROWS) h.element("p", "class=\"muted\"", "The first " + TABLE_ROWS + " of " + rows.rows().size() + " rows.");
        if (rows.rows().isEmpty()) h.element("p", "class=\"muted\"", "No rows.");
        return h.toString();
    }

    /** The first row's {@code y} (or first column) as one big number. */
    static String number(ChartDef chart, ProjectData.QueryResult rows) {
        int column = chart.y().isEmpty() ? 0 : ChartSvg.column(rows, chart.y().get(0));
        if (rows.columns().isEmpty()) throw new IllegalArgumentException("the query returns no columns");
        Object v = rows.rows().isEmpty() ? null : rows.rows().get(0).get(column);
        Double n = ChartSvg.number(v);
        String text = v == null ? "–" : n != null ? ChartSvg.value(n) : String.valueOf(v);
        return new Html().element("p", "class=\"chart-number\" " + Html.attr("title", rows.columns().get(column) + " = " + (v == null ? "no value" : v)), text)
                .toString();
    }
}
