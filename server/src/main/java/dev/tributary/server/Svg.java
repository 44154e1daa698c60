package dev.tributary.server;

import dev.tributary.scheduler.RunRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Server-rendered SVG: run sparklines, the lineage graph and dashboard charts. Every text is escaped. */
final class Svg {
    private Svg() {}

    /** One bar per run (oldest left), height by duration, class by status. */
    static String sparkline(List<RunRecord> newestFirst) {
        List<RunRecord> runs = new ArrayList<>(newestFirst.subList(0, Math.min(20, newestFirst.size())));
        java.util.Collections.reverse(runs);
        int width = 20 * 6;
        int height = 24;
        double longest = runs.stream().mapToDouble(r -> r.duration().map(d -> (double) d.toMillis()).orElse(0.0)).max().orElse(0);
        StringBuilder svg = new StringBuilder("<svg class=\"sparkline\" width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\" role=\"img\" aria-label=\"recent runs\">");
        for (int i = 0; i < runs.size(); i++) {
            RunRecord r = runs.get(i);
            double ms = r.duration().map(d -> (double) d.toMillis()).orElse(0.0);
            double h = longest <= 0 ? height : Math.max(3, height * ms / longest);
            String status = r.status().name().toLowerCase(Locale.ROOT);
            svg.append("<rect class=\"spark-").append(status).append("\" x=\"").append(i * 6).append("\" y=\"").append(fmt(height - h))
                    .append("\" width=\"4\" height=\"").append(fmt(h)).append("\"><title>")
                    .append(Html.escape("run " + r.id() + ": " + status + ", " + Html.duration(r.duration()))).append("</title></rect>");
        }
        return svg.append("</svg>").toString();
    }

    record LineageNode(String name, String kind) {}

    record LineageEdge(String from, String to) {}

    /**
     * Nodes in columns by depth (a node sits one column right of its deepest input), edges as curves from the
     * right side of the input to the left side of the output.
     */
    static String lineage(List<LineageNode> nodes, List<LineageEdge> edges) {
        Map<String, LineageNode> byName = new LinkedHashMap<>();
        for (LineageNode n : nodes) byName.putIfAbsent(n.name(), n);
        Map<String, List<String>> inputs = new HashMap<>();
        for (LineageEdge e : edges) {
            if (byName.containsKey(e.from()) && byName.containsKey(e.to())) inputs.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
        }
        Map<String, Integer> layer = new HashMap<>();
        for (String n : byName.keySet()) depth(n, inputs, layer, new java.util.HashSet<>());
        Map<Integer, List<String>> columns = new java.util.TreeMap<>();
        for (String n : byName.keySet()) columns.computeIfAbsent(layer.get(n), k -> new ArrayList<>()).add(n);
        int nodeWidth = 170, nodeHeight = 30, columnGap = 70, rowGap = 14, margin = 10;
        Map<String, int[]> position = new HashMap<>();
        int maxRows = 0;
        for (Map.Entry<Integer, List<String>> c : columns.entrySet()) {
            List<String> names = c.getValue();
            maxRows = Math.max(maxRows, names.size());
            for (int i = 0; i < names.size(); i++) {
                position.put(names.get(i), new int[] {margin + c.getKey() * (nodeWidth + columnGap), margin + i * (nodeHeight + rowGap)});
            }
        }
        int width = Math.max(200, margin * 2 + columns.size() * (nodeWidth + columnGap) - columnGap);
        int height = Math.max(60, margin * 2 + maxRows * (nodeHeight + rowGap) - rowGap);
        StringBuilder svg = new StringBuilder("<svg id=\"lineage\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 "
                + width + " " + height + "\" role=\"img\" aria-label=\"lineage graph\">");
        for (LineageEdge e : edges) {
            int[] from = position.get(e.from());
            int[] to = position.get(e.to());
            if (from == null || to == null) continue;
            int x1 = from[0] + nodeWidth, y1 = from[1] + nodeHeight / 2, x2 = to[0], y2 = to[1] + nodeHeight / 2;
            int mid = (x1 + x2) / 2;
            svg.append("<path class=\"edge\" ").append(Html.attr("data-from", e.from())).append(' ').append(Html.attr("data-to", e.to()))
                    .append(" d=\"M").append(x1).append(',').append(y1).append(" C").append(mid).append(',').append(y1).append(' ')
                    .append(mid).append(',').append(y2).append(' ').append(x2).append(',').append(y2).append("\"/>");
        }
        for (LineageNode n : byName.values()) {
            int[] p = position.get(n.name());
            String label = n.name().length() > 24 ? n.name().substring(0, 23) + "…" : n.name();
            svg.append("<g class=\"node kind-").append(Html.escape(n.kind())).append("\" ").append(Html.attr("data-node", n.name()))
                    .append(" transform=\"translate(").append(p[0]).append(',').append(p[1]).append(")\">");
            if (n.kind().equals("model") || n.kind().equals("seed") || n.kind().equals("snapshot")) {
                svg.append("<a href=\"/models/").append(Html.escape(Html.url(n.name()))).append("\">");
            }
            svg.append("<rect width=\"").append(nodeWidth).append("\" height=\"").append(nodeHeight).append("\" rx=\"5\"/>")
                    .append("<text x=\"8\" y=\"19\">").append(Html.escape(label)).append("</text><title>")
                    .append(Html.escape(n.kind() + ": " + n.name())).append("</title>");
            if (n.kind().equals("model") || n.kind().equals("seed") || n.kind().equals("snapshot")) svg.append("</a>");
            svg.append("</g>");
        }
        return svg.append("</svg>").toString();
    }

    private static int depth(String node, Map<String, List<String>> inputs, Map<String, Integer> layer, java.util.Set<String> visiting) {
        Integer known = layer.get(node);
        if (known != null) return known;
        if (!visiting.add(node)) return 0; // a cycle cannot be laid out in layers; break it here
        int d = 0;
        for (String in : inputs.getOrDefault(node, List.of())) d = Math.max(d, depth(in, inputs, layer, visiting) + 1);
        visiting.remove(node);
        layer.put(node, d);
        return d;
    }

    /** A bar or line chart of columns {@code y} against {@code x}; a non-numeric y value counts as missing. */
    static String chart(ChartDef def, ProjectData.QueryResult data) {
        int xIndex = indexOf(data.columns(), def.x());
        if (xIndex < 0) throw new IllegalArgumentException("the query has no column '" + def.x() + "' (columns: " + String.join(", ", data.columns()) + ")");
        List<Integer> yIndexes = new ArrayList<>();
        for (String y : def.y()) {
            int i = indexOf(data.columns(), y);
            if (i < 0) throw new IllegalArgumentException("the query has no column '" + y + "' (columns: " + String.join(", ", data.columns()) + ")");
            yIndexes.add(i);
        }
        double max = 0, min = 0;
        for (List<Object> row : data.rows()) {
            for (int i : yIndexes) {
                Double v = number(row.get(i));
                if (v != null) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        if (max == min) max = min + 1;
        double range = max - min;
        // room on the left for the longest tick label (about 7 px per character at the tick font size)
        int longestTick = 1;
        for (int t = 0; t <= 4; t++) longestTick = Math.max(longestTick, label(min + range * t / 4).length());
        int width = 640, height = 280, left = Math.max(40, longestTick * 7 + 12), right = 12, top = 12, bottom = 48;
        int plotWidth = width - left - right, plotHeight = height - top - bottom;
        int n = Math.max(1, data.rows().size());
        double slot = (double) plotWidth / n;
        StringBuilder svg = new StringBuilder("<svg class=\"chart chart-" + def.type().name().toLowerCase(Locale.ROOT) + "\" width=\"" + width
                + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height + "\" role=\"img\" " + Html.attr("aria-label", def.title()) + ">");
        double zeroY = top + plotHeight * (max / range);
        svg.append("<line class=\"axis\" x1=\"").append(left).append("\" y1=\"").append(fmt(zeroY)).append("\" x2=\"").append(width - right)
                .append("\" y2=\"").append(fmt(zeroY)).append("\"/>");
        svg.append("<line class=\"axis\" x1=\"").append(left).append("\" y1=\"").append(top).append("\" x2=\"").append(left)
                .append("\" y2=\"").append(top + plotHeight).append("\"/>");
        for (int t = 0; t <= 4; t++) {
            double value = min + range * t / 4;
            double y = top + plotHeight - plotHeight * t / 4.0;
            svg.append("<text class=\"tick\" x=\"").append(left - 4).append("\" y=\"").append(fmt(y + 4)).append("\" text-anchor=\"end\">")
                    .append(Html.escape(label(value))).append("</text>");
        }
        int labelEvery = Math.max(1, (int) Math.ceil(n / 12.0));
        for (int r = 0; r < data.rows().size(); r++) {
            if (r % labelEvery != 0) continue;
            String x = String.valueOf(data.rows().get(r).get(xIndex));
            if (x.length() > 12) x = x.substring(0, 11) + "…";
            svg.append("<text class=\"tick\" x=\"").append(fmt(left + slot * (r + 0.5))).append("\" y=\"").append(height - bottom + 16)
                    .append("\" text-anchor=\"middle\">").append(Html.escape(x)).append("</text>");
        }
        for (int s = 0; s < yIndexes.size(); s++) {
            int yi = yIndexes.get(s);
            if (def.type() == ChartDef.ChartType.BAR) {
                double barWidth = slot * 0.8 / yIndexes.size();
                for (int r = 0; r < data.rows().size(); r++) {
                    Double v = number(data.rows().get(r).get(yi));
                    if (v == null) continue;
                    double y = top + plotHeight * ((max - Math.max(v, 0)) / range);
                    double h = Math.abs(v) * plotHeight / range;
                    svg.append("<rect class=\"bar series-").append(s).append("\" x=\"").append(fmt(left + slot * r + slot * 0.1 + barWidth * s))
                            .append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(barWidth)).append("\" height=\"").append(fmt(h))
                            .append("\"><title>").append(Html.escape(data.rows().get(r).get(xIndex) + ": " + def.y().get(s) + " = " + label(v)))
                            .append("</title></rect>");
                }
            } else {
                StringBuilder points = new StringBuilder();
                for (int r = 0; r < data.rows().size(); r++) {
                    Double v = number(data.rows().get(r).get(yi));
                    if (v == null) continue;
                    points.append(fmt(left + slot * (r + 0.5))).append(',').append(fmt(top + plotHeight * ((max - v) / range))).append(' ');
                }
                svg.append("<polyline class=\"line series-").append(s).append("\" points=\"").append(points.toString().trim()).append("\"/>");
            }
            if (yIndexes.size() > 1) {
                svg.append("<text class=\"legend series-").append(s).append("\" x=\"").append(left + 8 + s * 120).append("\" y=\"").append(height - 8)
                        .append("\">■ ").append(Html.escape(def.y().get(s))).append("</text>");
            }
        }
        return svg.append("</svg>").toString();
    }

    private static int indexOf(List<String> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) return i;
        }
        return -1;
    }

    static Double number(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        if (v == null) return null;
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String label(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v);
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
