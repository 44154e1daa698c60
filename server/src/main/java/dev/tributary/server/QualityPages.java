package dev.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.server.ProjectData.CheckResult;
import dev.tributary.server.SessionStore.Session;
import io.javalin.http.Context;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data-quality pages: every check's latest result with counts by status in the header ({@code /quality}), and one
 * check's trend against its thresholds with its history ({@code /quality/<check>}). Laid out to fit a laptop screen:
 * long names wrap, sample rows sit in a table whose cells are cut with the full text in their tooltip.
 */
final class QualityPages {
    static final int TREND_POINTS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final int SAMPLE_ROWS = 20;

    private final ProjectData data;
    private final WebPages layout;

    QualityPages(ProjectData data, WebPages layout) {
        this.data = data;
        this.layout = layout;
    }

    void quality(Context ctx, Session session) {
        List<CheckResult> checks = data.latestChecks();
        Html h = new Html().raw("<h1>Data quality</h1>");
        summary(h, checks);
        h.raw("<table id=\"checks\" class=\"fit\"><colgroup><col class=\"c-name\"><col class=\"c-status\"><col class=\"c-type\"><col class=\"c-table\">"
                + "<col class=\"c-value\"><col class=\"c-thresholds\"><col class=\"c-time\"><col class=\"c-samples\"></colgroup>"
                + "<thead><tr><th>Check</th><th>Status</th><th>Type</th><th>Table</th><th>Value</th><th>Thresholds</th><th>Run at</th>"
                + "<th>Sample failing rows</th></tr></thead><tbody>");
        for (CheckResult c : checks) row(h, c, true);
        h.raw("</tbody></table>");
        if (checks.isEmpty()) h.element("p", "class=\"muted\"", "No check results yet.");
        ctx.html(layout.layout("Quality", Optional.of(session), h.toString()));
    }

    /** "12 checks: 1 error, 2 failing, 3 warnings, 6 passing", each count in its own element. */
    static void summary(Html h, List<CheckResult> checks) {
        long errors = checks.stream().filter(c -> c.status().equals("error")).count();
        long failing = checks.stream().filter(c -> c.status().equals("fail")).count();
        long warnings = checks.stream().filter(c -> c.status().equals("warn")).count();
        long passing = checks.stream().filter(c -> c.status().equals("pass")).count();
        h.raw("<p id=\"quality-summary\"><span class=\"count count-total\">" + checks.size() + "</span> checks: ")
                .raw("<span class=\"count count-error\">" + errors + "</span> " + (errors == 1 ? "error" : "errors") + ", ")
                .raw("<span class=\"count count-fail\">" + failing + "</span> failing, ")
                .raw("<span class=\"count count-warn\">" + warnings + "</span> " + (warnings == 1 ? "warning" : "warnings") + ", ")
                .raw("<span class=\"count count-pass\">" + passing + "</span> passing</p>");
    }

    void checkHistory(Context ctx, Session session) {
        String name = ctx.pathParam("check");
        List<CheckResult> history = data.checkHistory(name, 200);
        if (history.isEmpty()) throw new HttpProblem(404, "no results for check " + name);
        CheckResult latest = history.get(0);
        Html h = new Html().raw("<h1>").text(name).raw(" ").raw(WebPages.status(latest.status())).raw("</h1>");
        h.raw("<dl class=\"facts\">").element("dt", "", "Type").element("dd", "", latest.type())
                .element("dt", "", "Table").element("dd", "", latest.table() + (latest.column().isEmpty() ? "" : "." + latest.column()))
                .element("dt", "", "Thresholds").element("dd", "id=\"thresholds\"", thresholds(latest)).raw("</dl>");
        h.raw("<h2>Trend</h2>");
        List<CheckResult> oldestFirst = new ArrayList<>(history.subList(0, Math.min(TREND_POINTS, history.size())));
        java.util.Collections.reverse(oldestFirst);
        if (oldestFirst.stream().noneMatch(c -> c.value().isPresent())) {
            h.element("p", "class=\"muted\" id=\"no-trend\"", "This check measures no value (pass or fail only).");
        } else {
            h.raw("<figure class=\"chart-box trend-box\">").raw(trend(latest, oldestFirst)).raw("</figure>");
        }
        h.raw("<h2>History</h2><table id=\"check-history\" class=\"fit\"><colgroup><col class=\"c-name\"><col class=\"c-status\"><col class=\"c-type\">"
                + "<col class=\"c-table\"><col class=\"c-value\"><col class=\"c-thresholds\"><col class=\"c-time\"><col class=\"c-samples\"></colgroup>"
                + "<thead><tr><th>Check</th><th>Status</th><th>Type</th><th>Table</th><th>Value</th><th>Thresholds</th><th>Run at</th>"
                + "<th>Sample failing rows</th></tr></thead><tbody>");
        for (CheckResult c : history) row(h, c, false);
        h.raw("</tbody></table>");
        ctx.html(layout.layout(name, Optional.of(session), h.toString()));
    }

    /** The check's values over time (oldest left) with its warn and fail thresholds as lines. */
    static String trend(CheckResult latest, List<CheckResult> oldestFirst) {
        List<String> xs = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (CheckResult c : oldestFirst) {
            xs.add(SHORT_TIME.format(c.runAt()));
            values.add(new double[] {c.value().orElse(Double.NaN)});
        }
        List<ChartSvg.Threshold> lines = new ArrayList<>();
        for (double v : numbers(latest.warnThreshold())) lines.add(new ChartSvg.Threshold("threshold-warn", "warn " + latest.warnThreshold(), v));
        for (double v : numbers(latest.failThreshold())) lines.add(new ChartSvg.Threshold("threshold-fail", "fail " + latest.failThreshold(), v));
        String svg = ChartSvg.plot("chart chart-line check-trend", "values of " + latest.name(), ChartDef.ChartType.LINE, xs, values,
                List.of(latest.name()), lines);
        return svg.replaceFirst("<svg ", "<svg id=\"check-trend\" ");
    }

    /** The numbers in a threshold's text ("> 0" gives 0, "between 1 and 5" gives 1 and 5). */
    static List<Double> numbers(String threshold) {
        List<Double> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(threshold == null ? "" : threshold);
        while (m.find()) out.add(Double.parseDouble(m.group()));
        return out;
    }

    private static String thresholds(CheckResult c) {
        return "warn " + (c.warnThreshold().isEmpty() ? "–" : c.warnThreshold()) + " · fail " + (c.failThreshold().isEmpty() ? "–" : c.failThreshold());
    }

    static String value(Optional<Double> value) {
        return value.map(v -> v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf(v.longValue()) : String.format(Locale.ROOT, "%.4f", v)).orElse("–");
    }

    private static void row(Html h, CheckResult c, boolean link) {
        h.raw("<tr class=\"check check-" + Html.escape(c.status()) + "\" " + Html.attr("data-check", c.name()) + "><td class=\"wrap\">");
        if (link) h.raw("<a " + Html.attr("href", "/quality/" + Html.url(c.name())) + ">").text(c.name()).raw("</a>");
        else h.text(c.name());
        h.raw("</td><td>" + WebPages.status(c.status()) + "</td>").element("td", "class=\"wrap\"", c.type())
                .element("td", "class=\"wrap\"", c.table() + (c.column().isEmpty() ? "" : "." + c.column()))
                .element("td", "class=\"value\"", value(c.value()))
                .element("td", "class=\"wrap\"", thresholds(c))
                .td(Html.time(c.runAt())).raw("<td class=\"samples-cell\">");
        if (!c.samples().isBlank() && !c.samples().equals("[]")) {
            samples(h, c.samples());
        } else if (!c.message().isEmpty()) {
            h.element("span", "class=\"muted wrap\"", c.message());
        }
        h.raw("</td></tr>");
    }

    /** Sample rows as a small table, each cell cut to fit with its full text as the tooltip; anything else as text. */
    static void samples(Html h, String json) {
        JsonNode rows;
        try {
            rows = JSON.readTree(json);
        } catch (java.io.IOException e) {
            rows = null;
        }
        if (rows == null || !rows.isArray() || rows.isEmpty() || !rows.get(0).isObject()) {
            h.raw("<details><summary>samples</summary>").element("pre", "class=\"samples\"", json).raw("</details>");
            return;
        }
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode r : rows) r.fieldNames().forEachRemaining(columns::add);
        h.raw("<details class=\"samples\"><summary>" + rows.size() + (rows.size() == 1 ? " row" : " rows") + "</summary><div class=\"samples-scroll\">"
                + "<table class=\"samples\"><thead><tr>");
        for (String col : columns) h.raw("<th>").raw(cell(col)).raw("</th>");
        h.raw("</tr></thead><tbody>");
        int shown = 0;
        for (JsonNode r : rows) {
            if (shown++ == SAMPLE_ROWS) break;
            h.raw("<tr>");
            for (String col : columns) {
                JsonNode v = r.get(col);
                h.raw("<td>").raw(cell(v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString())).raw("</td>");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table></div></details>");
    }

    private static String cell(String text) {
        return "<span class=\"cell\" " + Html.attr("title", text) + ">" + Html.escape(text) + "</span>";
    }
}
