package dev.tributary.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The lineage graph as server-rendered SVG: nodes in columns by depth (sources left), ordered in each column by where
 * their inputs sit to keep edges short, filled by each node's latest status. Long names are cut with the full name in
 * the node's {@code <title>} tooltip. The SVG has its natural size (the page scrolls it without JavaScript);
 * {@code /static/lineage.js} adds zoom and pan.
 */
final class LineageSvg {
    static final int NODE_WIDTH = 200;
    static final int NODE_HEIGHT = 30;
    /** Characters that fit in a node at the 12 px label size (about 7 px each, 8 px padding on both sides). */
    static final int LABEL_CHARS = (NODE_WIDTH - 16) / 7;
    private static final int COLUMN_GAP = 70;
    private static final int ROW_GAP = 12;
    private static final int MARGIN = 10;

    /** The statuses a node is coloured by, worst first, with the legend's words. */
    enum Status {
        ERROR("error"), FAIL("fail"), WARN("warn"), SKIPPED("skipped"), PASS("pass"), NEVER("never run");

        final String label;

        Status(String label) {
            this.label = label;
        }

        String css() {
            return "st-" + name().toLowerCase(java.util.Locale.ROOT);
        }

        Status worst(Status other) {
            return other.ordinal() < ordinal() ? other : this;
        }
    }

    /** @param href the node's page, if it has one */
    record Node(String name, String kind, Status status, Optional<String> href) {}

    record Edge(String from, String to) {}

    private LineageSvg() {}

    static String render(List<Node> nodes, List<Edge> edges, Optional<String> focus) {
        Map<String, Node> byName = new LinkedHashMap<>();
        for (Node n : nodes) byName.putIfAbsent(n.name(), n);
        Map<String, List<String>> inputs = new HashMap<>();
        for (Edge e : edges) {
            if (byName.containsKey(e.from()) && byName.containsKey(e.to())) inputs.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
        }
        Map<String, Integer> layer = new HashMap<>();
        for (String n : byName.keySet()) depth(n, inputs, layer, new HashSet<>());
        Map<Integer, List<String>> columns = new TreeMap<>();
        for (String n : byName.keySet()) columns.computeIfAbsent(layer.get(n), k -> new ArrayList<>()).add(n);

        Map<String, double[]> position = new HashMap<>();
        int maxRows = 0;
        for (Map.Entry<Integer, List<String>> c : columns.entrySet()) {
            List<String> names = c.getValue();
            // the mean row of a node's inputs keeps it level with them: fewer crossing edges than alphabetical order
            Map<String, Double> barycenter = new HashMap<>();
            for (String n : names) {
                double sum = 0;
                int count = 0;
                for (String in : inputs.getOrDefault(n, List.of())) {
                    double[] p = position.get(in);
                    if (p != null) {
                        sum += p[1];
                        count++;
                    }
                }
                barycenter.put(n, count == 0 ? Double.MAX_VALUE : sum / count);
            }
            names.sort(Comparator.comparingDouble((String n) -> barycenter.get(n)).thenComparing(n -> n));
            maxRows = Math.max(maxRows, names.size());
            for (int i = 0; i < names.size(); i++) {
                position.put(names.get(i), new double[] {MARGIN + c.getKey() * (NODE_WIDTH + COLUMN_GAP), MARGIN + i * (NODE_HEIGHT + ROW_GAP)});
            }
        }
        int width = Math.max(220, MARGIN * 2 + columns.size() * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP);
        int height = Math.max(60, MARGIN * 2 + maxRows * (NODE_HEIGHT + ROW_GAP) - ROW_GAP);
        StringBuilder svg = new StringBuilder("<svg id=\"lineage\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 "
                + width + " " + height + "\" role=\"group\" aria-label=\"lineage graph: each node links to its page\" tabindex=\"0\">");
        for (Edge e : edges) {
            double[] from = position.get(e.from());
            double[] to = position.get(e.to());
            if (from == null || to == null) continue;
            double x1 = from[0] + NODE_WIDTH, y1 = from[1] + NODE_HEIGHT / 2.0, x2 = to[0], y2 = to[1] + NODE_HEIGHT / 2.0;
            double mid = (x1 + x2) / 2;
            svg.append("<path class=\"edge\" ").append(Html.attr("data-from", e.from())).append(' ').append(Html.attr("data-to", e.to()))
                    .append(" d=\"M").append(fmt(x1)).append(',').append(fmt(y1)).append(" C").append(fmt(mid)).append(',').append(fmt(y1)).append(' ')
                    .append(fmt(mid)).append(',').append(fmt(y2)).append(' ').append(fmt(x2)).append(',').append(fmt(y2)).append("\"/>");
        }
        for (Node n : byName.values()) {
            double[] p = position.get(n.name());
            boolean focused = focus.isPresent() && focus.get().equals(n.name());
            svg.append("<g class=\"node kind-").append(Html.escape(n.kind())).append(' ').append(n.status().css()).append(focused ? " focus" : "")
                    .append("\" ").append(Html.attr("data-node", n.name())).append(' ').append(Html.attr("data-status", n.status().label))
                    .append(" transform=\"translate(").append(fmt(p[0])).append(',').append(fmt(p[1])).append(")\">");
            n.href().ifPresent(href -> svg.append("<a ").append(Html.attr("href", href)).append('>'));
            svg.append("<title>").append(Html.escape(n.kind() + " " + n.name() + " (" + n.status().label + ")")).append("</title>")
                    .append("<rect width=\"").append(NODE_WIDTH).append("\" height=\"").append(NODE_HEIGHT).append("\" rx=\"5\"/>")
                    .append("<rect class=\"kind-bar\" width=\"5\" height=\"").append(NODE_HEIGHT).append("\" rx=\"2\"/>")
                    .append("<text x=\"12\" y=\"19\">").append(Html.escape(label(n.name()))).append("</text>");
            if (n.href().isPresent()) svg.append("</a>");
            svg.append("</g>");
        }
        return svg.append("</svg>").toString();
    }

    /**
     * The name as it fits in a node: a cut one keeps its start and its end around an ellipsis, since models of a
     * project often share a long prefix and differ at the end (the full name is in the tooltip).
     */
    static String label(String name) {
        return Html.cutMiddle(name, LABEL_CHARS);
    }

    /** The legend: one swatch per status. */
    static String legend() {
        StringBuilder h = new StringBuilder("<ul id=\"lineage-legend\" class=\"legend\" aria-label=\"status colours\">");
        for (Status s : Status.values()) {
            h.append("<li><span class=\"swatch ").append(s.css()).append("\"></span>").append(Html.escape(s.label)).append("</li>");
        }
        return h.append("</ul>").toString();
    }

    /**
     * The nodes within {@code depth} edges upstream and downstream of {@code focus} (all of them for depth < 0), with
     * the edges between them.
     */
    static Set<String> neighbourhood(String focus, List<Edge> edges, int depth) {
        Map<String, List<String>> up = new HashMap<>();
        Map<String, List<String>> down = new HashMap<>();
        for (Edge e : edges) {
            up.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
            down.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
        }
        Set<String> keep = new HashSet<>();
        keep.add(focus);
        walk(focus, up, depth, keep);
        walk(focus, down, depth, keep);
        return keep;
    }

    private static void walk(String start, Map<String, List<String>> next, int depth, Set<String> keep) {
        List<String> frontier = List.of(start);
        Set<String> seen = new HashSet<>(frontier);
        for (int level = 0; (depth < 0 || level < depth) && !frontier.isEmpty(); level++) {
            List<String> following = new ArrayList<>();
            for (String n : frontier) {
                for (String m : next.getOrDefault(n, List.of())) {
                    if (seen.add(m)) following.add(m);
                }
            }
            keep.addAll(following);
            frontier = following;
        }
    }

    private static int depth(String node, Map<String, List<String>> inputs, Map<String, Integer> layer, Set<String> visiting) {
        Integer known = layer.get(node);
        if (known != null) return known;
        if (!visiting.add(node)) return 0; // a cycle cannot be laid out in layers; break it here
        int d = 0;
        for (String in : inputs.getOrDefault(node, List.of())) d = Math.max(d, depth(in, inputs, layer, visiting) + 1);
        visiting.remove(node);
        layer.put(node, d);
        return d;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
