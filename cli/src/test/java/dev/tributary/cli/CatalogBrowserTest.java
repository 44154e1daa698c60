package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Environment;
import dev.tributary.project.YamlDocument;
import dev.tributary.scheduler.PipelineService;
import dev.tributary.server.ItemHistory;
import dev.tributary.server.ProjectData;
import dev.tributary.server.ServerSettings;
import dev.tributary.server.TributaryServer;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tables and models, lineage, quality and dashboards in a real headless Chromium at a 1366x768 laptop's size, on a
 * generated project of 50 models with long names, checks with long sample rows and a dashboard of 60 long labels.
 */
class CatalogBrowserTest {
    private static final String PASSWORD = "catalog-" + Long.toHexString(System.nanoTime());
    private static final Instant NOW = Instant.now();
    private static final int MODELS = 50;
    private static final java.nio.file.Path SHOTS = java.nio.file.Path.of("target", "screenshots").toAbsolutePath();
    private static TributaryServer server;
    private static HeadlessChromium browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        String yaml = """
                server:
                  port: 0
                  dashboards:
                    campaigns:
                      title: Campaigns
                      charts:
                        - {title: Leads by campaign, type: bar, x: campaign, y: leads, query: "select campaign, leads from campaigns where at >= {{ range_start }}"}
                        - {title: Leads and spend, type: line, x: campaign, y: [leads, spend], query: "select * from campaigns"}
                        - {title: Total leads, type: number, y: leads, query: "select sum(leads) as leads from campaigns"}
                        - {title: All campaigns, type: table, query: "select * from campaigns"}
                """;
        ServerSettings settings = ServerSettings.parse(YamlDocument.parse("tributary.yml", yaml, Environment.of(Map.of())).config().child("server"),
                Map.of(ServerSettings.ENV_ADMIN_PASSWORD, PASSWORD));
        server = new TributaryServer(settings, noPipelines(), new GeneratedProject(), Clock.systemUTC());
        server.useItemHistory((kind, name, limit) -> List.of(
                new ItemHistory.ItemRun(42, "revops", NOW.minusSeconds(600), "succeeded", OptionalLong.of(1234), Optional.of(Duration.ofSeconds(12))),
                new ItemHistory.ItemRun(41, "revops", NOW.minusSeconds(4200), "failed", OptionalLong.empty(), Optional.empty())));
        base = "http://127.0.0.1:" + server.start();
        browser = HeadlessChromium.start();
        browser.windowSize(1366, 768);
        browser.logInAsAdmin(base, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.stop();
    }

    @Test
    void lineageOfFiftyModelsHasALegendTooltipsZoomPanAndFocus() throws Exception {
        browser.get(base + "/");
        browser.click(browser.await("nav#nav a[href='/lineage']", Duration.ofSeconds(10)));
        browser.await("svg#lineage", Duration.ofSeconds(10));
        assertThat(browser.findAll("svg#lineage g.node")).hasSize(MODELS + 1);
        assertThat(browser.text(browser.find("#lineage-legend"))).contains("pass").contains("warn").contains("fail").contains("error").contains("never run");
        assertThat(browser.script("return document.querySelector('g.node[data-node=\"" + modelName(7) + "\"] title').textContent")).asString().contains(modelName(7));
        assertThat(browser.findAll("svg#lineage g.node.st-error")).isNotEmpty();
        assertThat(browser.findAll("svg#lineage g.node.st-pass")).isNotEmpty();
        assertNoSidewaysScroll();
        browser.screenshot(SHOTS.resolve("lineage-50.png"));

        browser.click(browser.await("#zoom-in", Duration.ofSeconds(5)));
        assertThat(scale()).isGreaterThan(1.2);
        browser.click(browser.find("#zoom-reset"));
        assertThat(scale()).isEqualTo(1.0);
        browser.script("var s = document.getElementById('lineage'), r = s.getBoundingClientRect();"
                + "s.dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: r.left + 50, clientY: r.top + 50, bubbles: true, cancelable: true}));");
        assertThat(scale()).isGreaterThan(1.1);
        String before = browser.attribute(browser.find("svg#lineage"), "viewBox");
        browser.script("var s = document.getElementById('lineage'), r = s.getBoundingClientRect(), x = r.left + 300, y = r.top + 100;"
                + "s.dispatchEvent(new PointerEvent('pointerdown', {button: 0, clientX: x, clientY: y, bubbles: true}));"
                + "window.dispatchEvent(new PointerEvent('pointermove', {clientX: x - 120, clientY: y - 40, bubbles: true}));"
                + "window.dispatchEvent(new PointerEvent('pointerup', {clientX: x - 120, clientY: y - 40, bubbles: true}));");
        String after = browser.attribute(browser.find("svg#lineage"), "viewBox");
        assertThat(Double.parseDouble(after.split(" ")[0])).as(before + " -> " + after).isGreaterThan(Double.parseDouble(before.split(" ")[0]));
        browser.click(browser.find("#zoom-fit"));
        assertThat(scale()).isLessThan(1.0);

        // focus through the form, as a keyboard user would
        browser.get(base + "/lineage?focus=" + modelName(20) + "&depth=1");
        browser.await("svg#lineage g.node.focus", Duration.ofSeconds(10));
        assertThat(browser.findAll("svg#lineage g.node")).extracting(e -> browser.attribute(e, "data-node"))
                .containsExactlyInAnyOrder(modelName(13), modelName(15), modelName(20), modelName(25), modelName(27));
        browser.click(browser.find("svg#lineage g.node[data-node='" + modelName(25) + "'] a"));
        browser.await("#model-result", Duration.ofSeconds(10));
        assertThat(browser.currentUrl()).endsWith("/models/" + modelName(25));
    }

    @Test
    void tableAndModelPagesShowHistoryLinkedToRunsAndNeighbours() throws Exception {
        browser.get(base + "/connections");
        browser.click(browser.await("tr.stream[data-stream=contacts] a.table-link", Duration.ofSeconds(10)));
        browser.await("#table-facts", Duration.ofSeconds(10));
        assertThat(browser.text(browser.find("#table-rows"))).isEqualTo("1,200");
        assertThat(browser.findAll("table#columns tr.column")).hasSize(2);
        assertThat(browser.attribute(browser.find("tr.item-run[data-run-id='42'] a"), "href")).endsWith("/runs/42");
        assertThat(browser.text(browser.find("table#table-checks"))).contains("contacts_emails_valid");
        assertNoSidewaysScroll();
        browser.screenshot(SHOTS.resolve("table.png"));

        browser.get(base + "/models/" + modelName(10));
        browser.await("#upstream", Duration.ofSeconds(10));
        assertThat(browser.findAll("#upstream a")).hasSize(2);
        assertThat(browser.findAll("#downstream a")).hasSize(2);
        assertThat(browser.text(browser.find("table#history"))).contains("#42").contains("1,234").contains("12s");
        browser.click(browser.find("#upstream a"));
        browser.await("#model-result", Duration.ofSeconds(10));
        assertThat(browser.currentUrl()).endsWith("/models/" + modelName(5));
    }

    @Test
    void qualityFitsALaptopScreenWithReadableSamplesAndATrendPerCheck() throws Exception {
        browser.get(base + "/quality");
        browser.await("table#checks", Duration.ofSeconds(10));
        assertThat(browser.text(browser.find("#quality-summary"))).isEqualTo("4 checks: 1 error, 1 failing, 1 warning, 1 passing");
        assertNoSidewaysScroll();
        browser.click(browser.find("tr.check-fail details.samples summary"));
        String cell = browser.await("tr.check-fail table.samples span.cell[title^='a very long']", Duration.ofSeconds(5));
        assertThat(browser.attribute(cell, "title")).hasSizeGreaterThan(200);
        browser.screenshot(SHOTS.resolve("quality-1366.png"));
        assertThat(((Number) browser.script("var c = document.querySelector(\"tr.check-fail table.samples span.cell[title^='a very long']\");"
                + " return c.scrollWidth - c.clientWidth")).intValue()).as("a long cell is cut (its full text in the tooltip)").isPositive();
        assertNoSidewaysScroll();

        browser.click(browser.find("tr.check-fail a"));
        browser.await("svg#check-trend", Duration.ofSeconds(10));
        assertThat(browser.findAll("svg#check-trend line.threshold-warn")).hasSize(1);
        assertThat(browser.findAll("svg#check-trend line.threshold-fail")).hasSize(1);
        assertThat(browser.findAll("svg#check-trend circle.point")).hasSize(10);
        assertNoSidewaysScroll();
        browser.screenshot(SHOTS.resolve("check-trend.png"));
    }

    @Test
    void dashboardLabelsDoNotOverlapChartsFillThePageAndTheRangeIsChosen() throws Exception {
        browser.get(base + "/dashboards/campaigns");
        browser.await("svg.chart-bar", Duration.ofSeconds(10));
        assertNoSidewaysScroll();
        Object overlaps = browser.script("""
                var bad = [], n = 0;
                document.querySelectorAll('svg.chart').forEach(function (svg) {
                  var boxes = Array.from(svg.querySelectorAll('text.tick')).map(function (t) { return t.getBoundingClientRect(); });
                  n += boxes.length;
                  for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
                    var a = boxes[i], b = boxes[j];
                    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) bad.push(i + '/' + j);
                  }
                });
                return n + ' labels; overlapping: ' + bad.join(',');""");
        assertThat(overlaps).asString().endsWith("overlapping: ").doesNotStartWith("0 labels");
        assertThat(browser.findAll("svg.chart-bar text.x-tick title")).as("cut labels keep the full text").isNotEmpty();
        double ratio = ((Number) browser.script("var s = document.querySelector('svg.chart-bar'), f = s.parentElement;"
                + " return s.getBoundingClientRect().width / (f.clientWidth - 2 * parseFloat(getComputedStyle(f).paddingLeft))")).doubleValue();
        assertThat(ratio).isBetween(0.98, 1.02);
        assertThat(browser.text(browser.find("p.chart-number"))).isEqualTo("1,830");
        assertThat(browser.findAll("table.chart-table tbody tr")).hasSize(60);
        browser.screenshot(SHOTS.resolve("dashboard-1366.png"));

        browser.click(browser.find("nav#range a[data-range='7d']"));
        browser.await("nav#range a[data-range='7d'][aria-current]", Duration.ofSeconds(10));
        assertThat(browser.currentUrl()).endsWith("?range=7d");
        assertThat(GeneratedProject.lastParameters).singleElement().isInstanceOfSatisfying(Instant.class,
                start -> assertThat(Duration.between(start, Instant.now()).toHours()).isBetween(24L * 7 - 1, 24L * 7 + 1));
    }

    private static double scale() {
        return Double.parseDouble(browser.attribute(browser.find("svg#lineage"), "data-scale"));
    }

    private static void assertNoSidewaysScroll() {
        Object widths = browser.script("var e = document.scrollingElement; return e.scrollWidth + ' <= ' + e.clientWidth");
        String[] w = String.valueOf(widths).split(" <= ");
        assertThat(Integer.parseInt(w[0])).as("page width " + widths + " on " + browser.currentUrl()).isLessThanOrEqualTo(Integer.parseInt(w[1]));
    }

    static String modelName(int i) {
        return "mart_revenue_operations_model_number_" + i;
    }

    /** No pipelines: every list empty, whatever methods the service has. */
    static PipelineService noPipelines() {
        return (PipelineService) Proxy.newProxyInstance(CatalogBrowserTest.class.getClassLoader(), new Class<?>[] {PipelineService.class}, (proxy, method, args) -> {
            Class<?> type = method.getReturnType();
            if (type == List.class) return List.of();
            if (type == Optional.class) return Optional.empty();
            if (type == boolean.class) return false;
            if (type == void.class) return null;
            if (method.getName().equals("toString")) return "no pipelines";
            if (method.getName().equals("hashCode")) return System.identityHashCode(proxy);
            if (method.getName().equals("equals")) return proxy == args[0];
            throw new UnsupportedOperationException(method.getName() + " in a test without pipelines");
        });
    }

    /** 50 models in a lattice (each reads the ones 5 and 7 before it), one source, four checks, a campaigns table. */
    static final class GeneratedProject implements ProjectData {
        static volatile List<Object> lastParameters = List.of();

        @Override
        public List<ConnectionInfo> connections() {
            return List.of(new ConnectionInfo("hubspot", "hubspot", "raw_hubspot", List.of(new StreamInfo("contacts", Optional.of(1200L),
                    Optional.of(NOW.minusSeconds(300)), List.of(new ColumnInfo("id", "BIGINT"), new ColumnInfo("email", "VARCHAR"))))));
        }

        @Override
        public List<ModelInfo> models() {
            List<ModelInfo> out = new ArrayList<>();
            out.add(new ModelInfo("source.demo.hubspot.contacts", "hubspot.contacts", "source", "source", Optional.of("\"raw_hubspot\".\"contacts\""),
                    Optional.empty(), Optional.empty(), List.of(), Optional.empty()));
            for (int i = 0; i < MODELS; i++) {
                List<String> deps = new ArrayList<>();
                if (i < 5) deps.add("hubspot.contacts");
                if (i >= 5) deps.add(modelName(i - 5));
                if (i >= 7) deps.add(modelName(i - 7));
                String status = i % 11 == 4 ? "error" : i % 13 == 12 ? "skipped" : i > 45 ? null : "success";
                out.add(new ModelInfo("model.demo." + modelName(i), modelName(i), "model", "table", Optional.of("\"main\".\"" + modelName(i) + "\""),
                        Optional.of("select * from somewhere"), Optional.empty(), deps,
                        status == null ? Optional.empty() : Optional.of(new ModelResult(status, "OK", 1.5, Optional.of(NOW.minusSeconds(900))))));
            }
            return out;
        }

        @Override
        public Optional<ModelInfo> model(String name) {
            return models().stream().filter(m -> m.name().equals(name)).findFirst();
        }

        @Override
        public Optional<Long> rowCount(ModelInfo model) {
            return Optional.of(99L);
        }

        @Override
        public List<CheckResult> latestChecks() {
            String longName = "a very long deal name that goes on and on ".repeat(6);
            return List.of(
                    new CheckResult("ids_unique", "unique", modelName(2), "id", "error", Optional.empty(), "", "", "[]", "syntax error near something", NOW),
                    new CheckResult("contacts_emails_valid", "pattern", "contacts", "email", "fail", Optional.of(12.0), "> 1", "> 5",
                            "[{\"deal_id\": 7, \"name\": \"" + longName + "\", \"email\": \"someone.with.a.long.address@example-company-name.com\","
                                    + " \"notes\": \"" + longName + "\"}, {\"deal_id\": 8, \"name\": \"short\", \"email\": null, \"notes\": \"x\"}]", "", NOW),
                    new CheckResult(modelName(9) + "_fresh_enough_for_the_morning_report", "freshness", modelName(9), "", "warn", Optional.of(90.0), "60", "120", "[]", "", NOW),
                    new CheckResult("rows_present", "row_count", modelName(1), "", "pass", Optional.of(5.0), "", "< 1", "[]", "", NOW));
        }

        @Override
        public List<CheckResult> checkHistory(String checkName, int limit) {
            List<CheckResult> out = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                double v = 12 - i;
                out.add(new CheckResult(checkName, "pattern", "contacts", "email", v > 5 ? "fail" : v > 1 ? "warn" : "pass", Optional.of(v), "> 1", "> 5", "[]",
                        "", NOW.minusSeconds(3600L * i)));
            }
            return out;
        }

        @Override
        public Map<String, Long> checkFailureCounts() {
            return Map.of();
        }

        @Override
        public QueryResult query(String sql, int maxRows) {
            return query(sql, List.of(), maxRows);
        }

        @Override
        public QueryResult query(String sql, List<Object> parameters, int maxRows) {
            if (!parameters.isEmpty()) lastParameters = List.copyOf(parameters);
            if (sql.startsWith("select sum(")) return new QueryResult(List.of("leads"), List.of(List.of(1830)));
            List<List<Object>> rows = new ArrayList<>();
            for (int i = 0; i < 60; i++) rows.add(List.of("spring campaign for the enterprise segment " + i, i + 1, 1000.0 / (i + 1)));
            return new QueryResult(List.of("campaign", "leads", "spend"), rows);
        }

        @Override
        public String selectAllFrom(String modelName) {
            return "select * from " + modelName;
        }
    }
}
