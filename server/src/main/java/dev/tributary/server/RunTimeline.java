package dev.tributary.server;

import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.StepItem;
import dev.tributary.scheduler.StepRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A run's timeline (Gantt), drawn server-side as SVG: one lane per step, and under it one lane per stream or model
 * it recorded, each a bar from its start to its end (to now while it runs), coloured by status, with its name, status
 * and duration in a tooltip. Every text is escaped.
 */
final class RunTimeline {
    static final int LABEL_WIDTH = 220;
    static final int CHART_WIDTH = 760;
    static final int LANE = 18;
    private static final int AXIS = 22;
    private static final int MAX_LABEL = 30;

    private RunTimeline() {}

    private record Lane(String cssClass, String dataAttr, String label, String status, Optional<Instant> start, Optional<Instant> end, String tip) {}

    static String svg(RunRecord run, List<StepRecord> steps, List<StepItem> items, Instant now) {
        List<Lane> lanes = new ArrayList<>();
        for (StepRecord s : steps) {
            String status = s.status().name().toLowerCase(Locale.ROOT);
            lanes.add(new Lane("lane step", Html.attr("data-step", s.step()), s.step(), status, s.startedAt(), s.endedAt(),
                    "step " + s.step() + ": " + status + ", " + span(s.startedAt(), s.endedAt(), now)));
            for (StepItem i : items) {
                if (!i.step().equals(s.step())) continue;
                lanes.add(new Lane("lane item kind-" + cssWord(i.kind()), Html.attr("data-item", i.name()) + " " + Html.attr("data-kind", i.kind()),
                        "  " + i.name(), i.status(), i.startedAt(), i.endedAt(),
                        i.kind() + " " + i.name() + ": " + i.status() + ", " + span(i.startedAt(), i.endedAt(), now)
                                + (i.rows() > 0 ? String.format(Locale.ROOT, ", %,d rows", i.rows()) : "")));
            }
        }
        Instant from = run.startedAt().orElseGet(() -> lanes.stream().flatMap(l -> l.start().stream()).min(Instant::compareTo).orElse(now));
        Instant to = run.endedAt().orElse(now);
        for (Lane l : lanes) {
            Instant end = l.end().orElse(now);
            if (l.start().isPresent() && end.isAfter(to)) to = end;
            if (l.start().isPresent() && l.start().get().isBefore(from)) from = l.start().get();
        }
        double total = Math.max(1, Duration.between(from, to).toMillis());
        int width = LABEL_WIDTH + CHART_WIDTH + 10;
        int height = AXIS + lanes.size() * LANE + 4;
        StringBuilder svg = new StringBuilder(256 + lanes.size() * 300);
        svg.append("<svg id=\"timeline\" class=\"timeline\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"timeline of the run's steps, streams and models\">");
        // axis: start, middle and end, as offsets from the run's start
        for (int t = 0; t <= 4; t++) {
            double x = LABEL_WIDTH + CHART_WIDTH * t / 4.0;
            svg.append("<line class=\"tick-line\" x1=\"").append(fmt(x)).append("\" x2=\"").append(fmt(x)).append("\" y1=\"").append(AXIS - 4)
                    .append("\" y2=\"").append(height).append("\"/>");
            String label = "+" + Html.duration(Duration.ofMillis((long) (total * t / 4)));
            svg.append("<text class=\"tick\" x=\"").append(fmt(x)).append("\" y=\"12\" text-anchor=\"").append(t == 0 ? "start" : t == 4 ? "end" : "middle")
                    .append("\">").append(Html.escape(label)).append("</text>");
        }
        for (int n = 0; n < lanes.size(); n++) {
            Lane l = lanes.get(n);
            int y = AXIS + n * LANE;
            svg.append("<g class=\"").append(l.cssClass()).append("\" ").append(l.dataAttr()).append('>');
            String label = l.label().length() > MAX_LABEL ? l.label().substring(0, MAX_LABEL - 1) + "…" : l.label();
            svg.append("<text class=\"lane-label\" x=\"4\" y=\"").append(y + 13).append("\" xml:space=\"preserve\">").append(Html.escape(label))
                    .append("<title>").append(Html.escape(l.label().strip())).append("</title></text>");
            if (l.start().isPresent()) {
                Instant end = l.end().orElse(now);
                double x = LABEL_WIDTH + CHART_WIDTH * Duration.between(from, l.start().get()).toMillis() / total;
                double w = Math.max(2, CHART_WIDTH * Duration.between(l.start().get(), end).toMillis() / total);
                svg.append("<rect class=\"bar status-").append(cssWord(l.status())).append(l.end().isEmpty() ? " live" : "").append("\" x=\"").append(fmt(x))
                        .append("\" y=\"").append(y + 3).append("\" width=\"").append(fmt(w)).append("\" height=\"").append(LANE - 6).append("\"><title>")
                        .append(Html.escape(l.tip())).append("</title></rect>");
            }
            svg.append("</g>");
        }
        return svg.append("</svg>").toString();
    }

    private static String span(Optional<Instant> start, Optional<Instant> end, Instant now) {
        if (start.isEmpty()) return "not started";
        return Html.duration(Duration.between(start.get(), end.orElse(now))) + (end.isEmpty() ? " so far" : "");
    }

    /** A status or kind as a CSS class word: letters, digits and '-' only. */
    static String cssWord(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
