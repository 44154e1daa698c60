package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.server.WarehouseProjectData.Warehouse;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dashboards over a real DuckDB file: the tile types and the time range bound into the queries as parameters. */
class DashboardPagesTest {
    private static final String YAML = """
            port: 0
            dashboards:
              signups:
                title: Signups
                default_range: 7d
                charts:
                  - {title: Per day, type: area, x: day, y: n, query: "select cast(created_at as date) as day, count(*) as n from events where created_at >= {{ range_start }} and created_at < {{ range_end }} group by 1 order by 1"}
                  - {title: Total, type: number, y: n, query: "select count(*) as n from events where created_at >= {{range_start}}"}
                  - {title: Latest, type: table, query: "select id, kind from events where created_at >= {{ range_start }} order by id"}
                  - {title: Kinds, type: bar, x: kind, y: n, query: "select kind, count(*) as n from events group by 1 order by 1"}
            """;

    @TempDir
    Path dir;

    private ProjectData warehouse() throws Exception {
        Path file = dir.resolve("warehouse.duckdb");
        // 3 events this week, 2 more within 30 days, 1 a year ago; ages from now so the ranges cut between them
        String events = "create table events (id integer, kind varchar, created_at timestamp);"
                + " insert into events select id, kind, current_timestamp::timestamp - to_days(age) from (values (1, 'signup', 1), (2, 'signup', 2),"
                + " (3, '<trial>', 3), (4, 'signup', 20), (5, 'churn', 25), (6, 'signup', 400)) v(id, kind, age)";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); var statement = c.createStatement()) {
            statement.execute(events);
        }
        return new WarehouseProjectData(List.of(), Warehouse.duckdb(file), Files.createDirectories(dir.resolve("target")));
    }

    @Test
    void theRangeControlBindsTheChosenRangeIntoTheQueriesThatTakeIt() throws Exception {
        try (TestServer t = new TestServer(new FakePipelineService(), warehouse(), YAML)) {
            t.loginAsAdmin();
            String week = t.get("/dashboards/signups").body();
            assertThat(week).contains("<nav id=\"range\"").contains("<a class=\"range-option\" data-range=\"7d\" href=\"/dashboards/signups?range=7d\" aria-current=\"page\">");
            assertThat(number(week)).isEqualTo("3");
            assertThat(week).contains("<svg class=\"chart chart-area\" width=\"100%\"").contains("<polygon class=\"area series-0\"");
            assertThat(week).contains("<figure class=\"chart-box tile-table\" data-range=\"7d\">").contains("<td>&lt;trial&gt;</td>");
            assertThat(week.split("<tr><td class=\"num\">", -1)).hasSize(4); // three rows in the table tile
            assertThat(week).contains("<figure class=\"chart-box tile-bar\"><figcaption>Kinds</figcaption>"); // takes no range

            assertThat(number(t.get("/dashboards/signups?range=30d").body())).isEqualTo("5");
            String all = t.get("/dashboards/signups?range=all").body();
            assertThat(number(all)).isEqualTo("6");
            assertThat(all).contains("data-range=\"all\" href=\"/dashboards/signups?range=all\" aria-current=\"page\">all time</a>");

            HttpResponse<String> bad = t.get("/dashboards/signups?range=7d%27%3B%20drop%20table%20events");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("expected one of 7d, 30d, 90d, all");
            assertThat(number(t.get("/dashboards/signups?range=all").body())).isEqualTo("6");
        }
    }

    @Test
    void aQuotedPlaceholderOrAMissingXIsAConfigErrorNamingTheKey() {
        assertThatThrownBy(() -> TestServer.settings("""
                dashboards:
                  d: {charts: [{type: line, y: n, query: "select 1 as n where '{{ range_start }}' > ''", x: n}]}
                """)).hasMessageContaining("query").hasMessageContaining("without quotes");
        assertThatThrownBy(() -> TestServer.settings("""
                dashboards:
                  d: {charts: [{type: area, y: n, query: "select 1 as n"}]}
                """)).hasMessageContaining("x").hasMessageContaining("is required");
        assertThatThrownBy(() -> TestServer.settings("""
                dashboards:
                  d: {default_range: 2w, charts: [{type: number, query: "select 1 as n"}]}
                """)).hasMessageContaining("default_range").hasMessageContaining("expected one of 7d, 30d, 90d, all");
        assertThat(TestServer.settings("""
                dashboards:
                  d: {charts: [{type: table, query: "select 1 as n"}]}
                """).dashboard("d").orElseThrow().charts().getFirst().type()).isEqualTo(ChartDef.ChartType.TABLE);
    }

    private static String number(String html) {
        String marker = "<p class=\"chart-number\"";
        int at = html.indexOf(marker);
        assertThat(at).as("a single-number tile").isPositive();
        return html.substring(html.indexOf('>', at) + 1, html.indexOf("</p>", at));
    }
}
