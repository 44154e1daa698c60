package dev.tributary.server;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A dashboard from {@code server.dashboards} in tributary.yml: a page of charts at {@code /dashboards/<name>}, whose
 * time-range control starts at {@code defaultRange} (7d, 30d, 90d or all).
 */
public record DashboardDef(String name, String title, List<ChartDef> charts, String defaultRange) {
    public DashboardDef {
        requireNonNull(name, "name is null");
        requireNonNull(title, "title is null");
        requireNonNull(defaultRange, "defaultRange is null");
        if (!TimeRange.NAMES.contains(defaultRange)) throw new IllegalArgumentException("unknown range '" + defaultRange + "'; expected one of " + String.join(", ", TimeRange.NAMES));
        charts = List.copyOf(charts);
    }

    public DashboardDef(String name, String title, List<ChartDef> charts) {
        this(name, title, charts, "30d");
    }

    /** Whether any chart takes the time range (the page then shows the range control). */
    public boolean takesRange() {
        return charts.stream().anyMatch(ChartDef::takesRange);
    }
}
