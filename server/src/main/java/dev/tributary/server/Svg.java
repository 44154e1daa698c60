package dev.tributary.server;

import dev.tributary.scheduler.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Server-rendered SVG: run sparklines (the lineage is {@link LineageSvg}, charts {@link ChartSvg}). Every text is escaped. */
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

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
