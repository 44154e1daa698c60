package dev.tributary.server;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One chart of a dashboard: the rows come from {@code query}, or from {@code select * from <model>} when only a model
 * is named; {@code x} is the category or time column, {@code y} one or more numeric columns.
 */
public record ChartDef(String title, Optional<String> query, Optional<String> model, String x, List<String> y, ChartType type) {
    public enum ChartType { BAR, LINE }

    public ChartDef {
        requireNonNull(title, "title is null");
        requireNonNull(x, "x is null");
        y = List.copyOf(y);
        if (query.isEmpty() == model.isEmpty()) throw new IllegalArgumentException("a chart has either a query or a model");
        if (y.isEmpty()) throw new IllegalArgumentException("a chart needs at least one y column");
    }
}
