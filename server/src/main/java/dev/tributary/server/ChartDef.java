package dev.tributary.server;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One tile of a dashboard: the rows come from {@code query}, or from {@code select * from <model>} when only a model
 * is named. Bar, line and area charts draw {@code y} (one or more numeric columns) against {@code x} (the category or
 * time column); a table shows the {@code y} columns (all when none); a single number shows the first row's {@code y}
 * (or its first column). {@code x} is "" for tables and numbers.
 */
public record ChartDef(String title, Optional<String> query, Optional<String> model, String x, List<String> y, ChartType type) {
    public enum ChartType { BAR, LINE, AREA, TABLE, NUMBER }

    public ChartDef {
        requireNonNull(title, "title is null");
        requireNonNull(x, "x is null");
        y = List.copyOf(y);
        if (query.isEmpty() == model.isEmpty()) throw new IllegalArgumentException("a chart has either a query or a model");
        if (y.isEmpty() && type != ChartType.TABLE && type != ChartType.NUMBER) throw new IllegalArgumentException("a chart needs at least one y column");
        if (x.isEmpty() && needsX(type)) throw new IllegalArgumentException("a " + type.name().toLowerCase(java.util.Locale.ROOT) + " chart needs an x column");
        query.ifPresent(TimeRange::check);
    }

    static boolean needsX(ChartType type) {
        return type == ChartType.BAR || type == ChartType.LINE || type == ChartType.AREA;
    }

    /** Whether the query takes the dashboard's time range ({@code {{ range_start }}} / {@code {{ range_end }}}). */
    public boolean takesRange() {
        return query.map(TimeRange::takesRange).orElse(false);
    }
}
