package dev.tributary.server;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A dashboard from {@code server.dashboards} in tributary.yml: a page of charts at {@code /dashboards/<name>}. */
public record DashboardDef(String name, String title, List<ChartDef> charts) {
    public DashboardDef {
        requireNonNull(name, "name is null");
        requireNonNull(title, "title is null");
        charts = List.copyOf(charts);
    }
}
