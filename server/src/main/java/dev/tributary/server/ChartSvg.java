package dev.tributary.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Dashboard charts (bar, line, area) and check trends as SVG that takes its container's width ({@code width="100%"}
 * and a viewBox): y ticks at 1-2-5 steps, x labels placed so that no two overlap (cut with a tooltip when long, turned
 * 45 degrees or thinned out when they do not fit side by side). Every text is escaped.
 */
final class ChartSvg {
    static final int WIDTH = 640;
    static final int HEIGHT = 300;
    static final double FONT = 11;
    /** Generous width of one character at {@link #FONT} px (wide fonts such as DejaVu Sans are about 0.62 em). */
    static final double CHAR_WIDTH = 7.0;
    static final int LABEL_CHARS = 16;
    private static final double SIN45 = Math.sqrt(0.5);

    private ChartSvg() {}

    // ---- ticks

    /** Tick values from at or below {@code min} to at or above {@code max}, at most about {@code maxTicks}, in 1-2-5 steps. */
    static List<Double> niceTicks(double min, double max, int maxTicks) {
        if (!(max > min)) max = min + 1;
        double rough = (max - min) / Math.max(1, maxTicks - 1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 5, 10}) {
            step = m * magnitude;
            if (step >= rough) break;
        }
        double start = Math.floor(min / step + 1e-9) * step;
        double end = Math.ceil(max / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; start + i * step <= end + step * 1e-9; i++) ticks.add(clean(start + i * step, step));
        return ticks;
    }

    private static double clean(double v, double step) {
        double digits = Math.max(0, -Math.floor(Math.log10(step)));
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** A tick's text: thousands separated, only as many decimals as the step has. */
    static String tickLabel(double v, double step) {
        int decimals = (int) Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    // ---- x labels

    /** One x label: where its anchor is, its text (maybe cut) and full text, and its estimated box in SVG units. */
    record XLabel(double x, double y, String text, String full, double left, double top, double right, double bottom) {}

    /**
     * Places one label per slot centre (slots of {@code slot} px from {@code left}) below {@code baseline}: all of them
     * level when they fit, else turned 45 degrees, thinned to every n-th so that their boxes never overlap.
     */
    static List<XLabel> xLabels(List<String> texts, double left, double slot, double baseline) {
        List<String> shown = new ArrayList<>();
        double widest = 0;
        for (String t : texts) {
            String s = Html.cutMiddle(t, LABEL_CHARS);
            shown.add(s);
            widest = Math.max(widest, s.length() * CHAR_WIDTH);
        }
        boolean rotate = widest + 6 > slot;
        // a label turned 45 degrees takes (width + height) * sin 45 across
        double across = rotate ? (widest + FONT) * SIN45 + 8 : widest + 6;
        int every = Math.max(1, (int) Math.ceil(across / slot));
        List<XLabel> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += every) {
            double x = left + slot * (i + 0.5);
            double w = shown.get(i).length() * CHAR_WIDTH;
            if (rotate) {
                // anchored at its end below the tick, running down-left, low enough to stay clear of the y axis's "0"
                double y = baseline + 17;
                out.add(new XLabel(x, y, shown.get(i), texts.get(i), x - (w + FONT) * SIN45, y - FONT * SIN45, x + FONT * SIN45 / 2, y + w * SIN45));
            } else {
                double y = baseline + 16;
                out.add(new XLabel(x, y, shown.get(i), texts.get(i), x - w / 2, y - FONT, x + w / 2, y + 3));
            }
        }
        return out;
    }

    static boolean rotated(List<XLabel> labels) {
        return !labels.isEmpty() && labels.get(0).bottom() - labels.get(0).top() > FONT + 3;
    }

    // ---- charts

    /** A bar, line or area chart of columns {@code y} against {@code x}; a non-numeric y value counts as missing. */
    static String chart(ChartDef def, ProjectData.QueryResult data) {
        int xIndex = column(data, def.x());
        List<Integer> yIndexes = new ArrayList<>();
        for (String y : def.y()) yIndexes.add(column(data, y));
        List<String> xs = new ArrayList<>();
        List<double[]> values = new ArrayList<>(); // per row, per series; NaN when missing
        for (List<Object> row : data.rows()) {
            xs.add(String.valueOf(row.get(xIndex)));
            double[] v = new double[yIndexes.size()];
            for (int s = 0; s < v.length; s++) {
                Double d = number(row.get(yIndexes.get(s)));
                v[s] = d == null ? Double.NaN : d;
            }
            values.add(v);
        }
        return plot("chart chart-" + def.type().name().toLowerCase(Locale.ROOT), def.title(), def.type(), xs, values, def.y(), List.of());
    }

    /** A horizontal reference line drawn across a plot (a check's warn or fail threshold). */
    record Threshold(String css, String label, double value) {}

    /**
     * The axes, ticks, labels and series of one plot; the y range covers the values, zero (for bars and areas) and
     * the thresholds.
     */
    static String plot(String svgClass, String title, ChartDef.ChartType type, List<String> xs, List<double[]> values, List<String> series,
                       List<Threshold> thresholds) {
        double min = 0, max = 0;
        boolean first = type == ChartDef.ChartType.LINE;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isNaN(v)) continue;
                if (first) {
                    min = max = v;
                    first = false;
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        for (Threshold t : thresholds) {
            min = Math.min(min, t.value());
            max = Math.max(max, t.value());
        }
        List<Double> ticks = niceTicks(min, max, 6);
        double lo = ticks.get(0), hi = ticks.get(ticks.size() - 1);
        double step = ticks.size() > 1 ? ticks.get(1) - ticks.get(0) : 1;
        int longestTick = 1;
        for (double t : ticks) longestTick = Math.max(longestTick, tickLabel(t, step).length());
        int n = Math.max(1, xs.size());
        double left = Math.max(36, longestTick * CHAR_WIDTH + 10), right = 12, top = 12;
        // room below for the x labels: level, or turned and as long as the longest one
        double slot = (WIDTH - left - right) / n;
        List<XLabel> probe = xLabels(xs, left, slot, 0);
        double overhang = probe.stream().mapToDouble(XLabel::left).min().orElse(left);
        if (overhang < 2) {
            // turned labels reach left of their tick: make room so that the first is not cut off
            left += 2 - overhang;
            slot = (WIDTH - left - right) / n;
            probe = xLabels(xs, left, slot, 0);
        }
        double below = probe.stream().mapToDouble(XLabel::bottom).max().orElse(16) + 8 + (series.size() > 1 ? 18 : 0);
        double plotHeight = HEIGHT - top - below;
        double baseline = top + plotHeight;
        java.util.function.DoubleUnaryOperator yOf = v -> top + plotHeight * (hi - v) / (hi - lo);

        StringBuilder svg = new StringBuilder("<svg class=\"" + svgClass + "\" width=\"100%\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT
                + "\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" " + Html.attr("aria-label", title) + ">");
        for (double t : ticks) {
            double y = yOf.applyAsDouble(t);
            svg.append("<line class=\"grid\" x1=\"").append(fmt(left)).append("\" y1=\"").append(fmt(y)).append("\" x2=\"").append(WIDTH - right)
                    .append("\" y2=\"").append(fmt(y)).append("\"/><text class=\"tick y-tick\" x=\"").append(fmt(left - 4)).append("\" y=\"")
                    .append(fmt(y + 4)).append("\" text-anchor=\"end\">").append(Html.escape(tickLabel(t, step))).append("</text>");
        }
        double zeroY = yOf.applyAsDouble(Math.max(lo, Math.min(hi, 0)));
        svg.append("<line class=\"axis\" x1=\"").append(fmt(left)).append("\" y1=\"").append(fmt(zeroY)).append("\" x2=\"").append(WIDTH - right)
                .append("\" y2=\"").append(fmt(zeroY)).append("\"/><line class=\"axis\" x1=\"").append(fmt(left)).append("\" y1=\"").append(top)
                .append("\" x2=\"").append(fmt(left)).append("\" y2=\"").append(fmt(baseline)).append("\"/>");
        for (XLabel l : xLabels(xs, left, slot, baseline)) {
            svg.append("<text class=\"tick x-tick\" x=\"").append(fmt(l.x())).append("\" y=\"").append(fmt(l.y())).append('"');
            if (rotated(probe)) {
                svg.append(" text-anchor=\"end\" transform=\"rotate(-45 ").append(fmt(l.x())).append(' ').append(fmt(l.y())).append(")\"");
            } else {
                svg.append(" text-anchor=\"middle\"");
            }
            svg.append('>').append(Html.escape(l.text()));
            if (!l.text().equals(l.full())) svg.append("<title>").append(Html.escape(l.full())).append("</title>");
            svg.append("</text>");
        }
        for (Threshold t : thresholds) {
            double y = yOf.applyAsDouble(t.value());
            svg.append("<line class=\"threshold ").append(t.css()).append("\" x1=\"").append(fmt(left)).append("\" y1=\"").append(fmt(y))
                    .append("\" x2=\"").append(WIDTH - right).append("\" y2=\"").append(fmt(y)).append("\"><title>").append(Html.escape(t.label()))
                    .append("</title></line>");
        }
        for (int s = 0; s < series.size(); s++) {
            if (type == ChartDef.ChartType.BAR) {
                double barWidth = slot * 0.8 / series.size();
                for (int r = 0; r < values.size(); r++) {
                    double v = values.get(r)[s];
                    if (Double.isNaN(v)) continue;
                    double y = yOf.applyAsDouble(Math.max(v, 0));
                    double h = Math.abs(yOf.applyAsDouble(v) - zeroY);
                    svg.append("<rect class=\"bar series-").append(s % 6).append("\" x=\"").append(fmt(left + slot * r + slot * 0.1 + barWidth * s))
                            .append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(barWidth)).append("\" height=\"").append(fmt(h))
                            .append("\"><title>").append(Html.escape(xs.get(r) + ": " + series.get(s) + " = " + value(v))).append("</title></rect>");
                }
                continue;
            }
            StringBuilder points = new StringBuilder();
            double firstX = Double.NaN, lastX = Double.NaN;
            for (int r = 0; r < values.size(); r++) {
                double v = values.get(r)[s];
                if (Double.isNaN(v)) continue;
                double x = left + slot * (r + 0.5);
                if (Double.isNaN(firstX)) firstX = x;
                lastX = x;
                points.append(fmt(x)).append(',').append(fmt(yOf.applyAsDouble(v))).append(' ');
            }
            if (points.isEmpty()) continue;
            if (type == ChartDef.ChartType.AREA) {
                svg.append("<polygon class=\"area series-").append(s % 6).append("\" points=\"").append(fmt(firstX)).append(',').append(fmt(zeroY)).append(' ')
                        .append(points).append(fmt(lastX)).append(',').append(fmt(zeroY)).append("\"/>");
            }
            svg.append("<polyline class=\"line series-").append(s % 6).append("\" points=\"").append(points.toString().trim()).append("\"/>");
            for (int r = 0; r < values.size(); r++) {
                double v = values.get(r)[s];
                if (Double.isNaN(v)) continue;
                svg.append("<circle class=\"point series-").append(s % 6).append("\" cx=\"").append(fmt(left + slot * (r + 0.5))).append("\" cy=\"")
                        .append(fmt(yOf.applyAsDouble(v))).append("\" r=\"2.5\"><title>").append(Html.escape(xs.get(r) + ": " + series.get(s) + " = " + value(v)))
                        .append("</title></circle>");
            }
        }
        if (series.size() > 1) {
            double x = left;
            for (int s = 0; s < series.size(); s++) {
                svg.append("<text class=\"legend series-").append(s % 6).append("\" x=\"").append(fmt(x)).append("\" y=\"").append(HEIGHT - 6)
                        .append("\">■ ").append(Html.escape(series.get(s))).append("</text>");
                x += (series.get(s).length() + 3) * CHAR_WIDTH;
            }
        }
        return svg.append("</svg>").toString();
    }

    static int column(ProjectData.QueryResult data, String name) {
        for (int i = 0; i < data.columns().size(); i++) {
            if (data.columns().get(i).equalsIgnoreCase(name)) return i;
        }
        throw new IllegalArgumentException("the query has no column '" + name + "' (columns: " + String.join(", ", data.columns()) + ")");
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

    /** A value as a tooltip or a single-number tile says it. */
    static String value(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v);
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
