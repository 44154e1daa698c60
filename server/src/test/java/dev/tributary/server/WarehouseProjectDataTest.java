package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.Trigger;
import dev.tributary.server.WarehouseProjectData.ConnectionRef;
import dev.tributary.server.WarehouseProjectData.Warehouse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pages that read the project: a real DuckDB file and real manifest/run_results files in a temp folder. */
class WarehouseProjectDataTest {
    private static final String MANIFEST = """
            {"nodes": {
               "model.demo.stg_contacts": {"unique_id": "model.demo.stg_contacts", "resource_type": "model", "name": "stg_contacts",
                 "config": {"materialized": "view"}, "relation_name": "\\"main\\".\\"stg_contacts\\"",
                 "raw_code": "select * from {{ source('hubspot', 'contacts') }}", "compiled_code": "select * from \\"hubspot\\".\\"contacts\\"",
                 "depends_on": {"nodes": ["source.demo.hubspot.contacts"]}},
               "seed.demo.countries": {"unique_id": "seed.demo.countries", "resource_type": "seed", "name": "countries",
                 "config": {"materialized": "seed"}, "relation_name": "\\"main\\".\\"countries\\"", "depends_on": {"nodes": []}},
               "model.demo.leads_per_month": {"unique_id": "model.demo.leads_per_month", "resource_type": "model", "name": "leads_per_month",
                 "config": {"materialized": "table"}, "relation_name": "\\"main\\".\\"leads_per_month\\"",
                 "raw_code": "select month, count(*) as leads from {{ ref('stg_contacts') }} group by 1",
                 "depends_on": {"nodes": ["model.demo.stg_contacts", "seed.demo.countries"]}},
               "test.demo.not_null_x": {"unique_id": "test.demo.not_null_x", "resource_type": "test", "name": "not_null_x",
                 "config": {}, "depends_on": {"nodes": ["model.demo.leads_per_month"]}}},
             "sources": {"source.demo.hubspot.contacts": {"unique_id": "source.demo.hubspot.contacts", "source_name": "hubspot",
                 "name": "contacts", "relation_name": "\\"hubspot\\".\\"contacts\\""}}}
            """;
    private static final String RUN_RESULTS = """
            {"results": [{"unique_id": "model.demo.leads_per_month", "status": "success", "message": "OK 3", "execution_time": 0.25,
              "timing": [{"name": "execute", "started_at": "2026-11-30T07:00:00Z", "completed_at": "2026-11-30T07:00:01Z"}],
              "compiled_code": "select month, count(*) as leads from \\"main\\".\\"stg_contacts\\" group by 1"}]}
            """;

    @TempDir
    Path dir;

    private Path warehouse() throws SQLException {
        Path file = dir.resolve("warehouse.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute("create table main.leads_per_month (month varchar, leads integer, lost integer)");
            s.execute("insert into main.leads_per_month values ('2026-01', 10, 2), ('2026-02', 25, 4), ('2026-03', 17, 1)");
            s.execute("create schema hubspot");
            s.execute("create table hubspot.contacts (id bigint, email varchar, _tributary_extracted_at timestamptz)");
            s.execute("insert into hubspot.contacts values (1, 'a@example.com', now()), (2, 'b@example.com', now())");
            s.execute("create table main._tributary_state (connection varchar, namespace varchar, stream varchar, version integer, value varchar,"
                    + " run_id varchar, committed_at timestamptz)");
            s.execute("insert into main._tributary_state values ('hubspot', '', 'contacts', 1, '{}', 'r1', timestamptz '2026-11-30 06:00:00+00')");
            s.execute("create schema main_tributary");
            s.execute("create table main_tributary.check_results (run_id varchar(64), run_at timestamp, check_name varchar(500), check_type varchar(50),"
                    + " table_name varchar(500), column_name varchar(500), status varchar(10), measured_value double precision, warn_threshold varchar(100),"
                    + " fail_threshold varchar(100), samples text, message text)");
            s.execute("insert into main_tributary.check_results values"
                    + " ('r1', timestamp '2026-11-29 07:00:00', 'b_emails_valid', 'pattern', 'contacts', 'email', 'pass', 0, '1', '5', '[]', ''),"
                    + " ('r2', timestamp '2026-11-30 07:00:00', 'b_emails_valid', 'pattern', 'contacts', 'email', 'fail', 12, '1', '5', '[{\"email\": \"<bad>\"}]', '12 rows'),"
                    + " ('r2', timestamp '2026-11-30 07:00:00', 'a_rows_present', 'row_count', 'contacts', null, 'pass', 2, '', '', '[]', ''),"
                    + " ('r2', timestamp '2026-11-30 07:00:00', 'c_fresh', 'freshness', 'contacts', null, 'warn', 90, '60', '120', '[]', ''),"
                    + " ('r2', timestamp '2026-11-30 07:00:00', 'd_unique_ids', 'unique', 'contacts', 'id', 'error', null, '', '', '[]', 'syntax error')");
        }
        return file;
    }

    private WarehouseProjectData data(Path warehouseFile) throws IOException {
        Path target = Files.createDirectories(dir.resolve("target"));
        Files.writeString(target.resolve("manifest.json"), MANIFEST);
        Files.writeString(target.resolve("run_results.json"), RUN_RESULTS);
        return new WarehouseProjectData(List.of(new ConnectionRef("hubspot", "hubspot", "hubspot")), Warehouse.duckdb(warehouseFile), target);
    }

    private static FakePipelineService pipelinesWithExport() {
        return new FakePipelineService().add(FakePipelineService.pipeline("revops", new Trigger.Manual(),
                FakePipelineService.step("export-1", StepKind.EXPORT, Map.of("model", "leads_per_month", "path", "out/leads.csv"))));
    }

    @Test
    void lineageGraphHasSourcesModelsSeedsAndExportsWithEdges() throws Exception {
        try (TestServer t = new TestServer(pipelinesWithExport(), data(dir.resolve("none.duckdb")), "port: 0")) {
            t.loginAsAdmin();
            String html = t.get("/models").body();
            assertThat(html).contains("<svg id=\"lineage\"");
            for (String node : List.of("hubspot.contacts", "stg_contacts", "countries", "leads_per_month", "export: out/leads.csv")) {
                assertThat(html).contains("data-node=\"" + node + "\"");
            }
            assertThat(html).doesNotContain("data-node=\"not_null_x\"");
            assertThat(html).contains("class=\"edge\" data-from=\"hubspot.contacts\" data-to=\"stg_contacts\"")
                    .contains("class=\"edge\" data-from=\"stg_contacts\" data-to=\"leads_per_month\"")
                    .contains("class=\"edge\" data-from=\"countries\" data-to=\"leads_per_month\"")
                    .contains("class=\"edge\" data-from=\"leads_per_month\" data-to=\"export: out/leads.csv\"");
            // layered left to right: the source's column is left of the model's, the model's left of the export's
            assertThat(x(html, "hubspot.contacts")).isLessThan(x(html, "stg_contacts"));
            assertThat(x(html, "stg_contacts")).isLessThan(x(html, "leads_per_month"));
            assertThat(x(html, "leads_per_month")).isLessThan(x(html, "export: out/leads.csv"));
            assertThat(html).contains("<tr class=\"model\" data-model=\"leads_per_month\">").contains("status-success");

            String model = t.get("/models/leads_per_month").body();
            assertThat(model).contains("id=\"sql-raw\">select month, count(*) as leads from {{ ref(&#39;stg_contacts&#39;) }} group by 1")
                    .contains("id=\"sql-compiled\">select month, count(*) as leads from &quot;main&quot;.&quot;stg_contacts&quot; group by 1")
                    .contains("<dd id=\"materialization\">table</dd>").contains("OK 3").contains("2026-11-30 07:00:01 UTC");
            assertThat(t.get("/models/nope").statusCode()).isEqualTo(404);
        }
    }

    /**
     * While another process writes the DuckDB file (a CLI sync), pages and the API answer what they read last time,
     * and what was never read gets a polite 503; no answer names the file, a process id or a program. Both with a
     * writer that announced itself in the lock file and with a foreign program holding DuckDB's own lock.
     */
    @Test
    void whileAnotherProcessWritesTheWarehouseAnswersAreTheLastKnownOrPolitelyBusy() throws Exception {
        Path file = warehouse();
        for (boolean announced : List.of(true, false)) {
            WarehouseProjectData data = data(file);
            List<ProjectData.ConnectionInfo> before = data.connections();
            List<ProjectData.CheckResult> checksBefore = data.latestChecks();
            assertThat(before.getFirst().streams()).isNotEmpty();
            Process holder = hold(file, announced);
            try (TestServer t = new TestServer(pipelinesWithExport(), data, "port: 0")) {
                assertThat(data.connections()).isEqualTo(before);
                assertThat(data.latestChecks()).isEqualTo(checksBefore);
                HttpResponse<String> api = t.get("/api/v1/connections", TestServer.TOKEN);
                assertThat(api.statusCode()).isEqualTo(200);
                assertThat(api.body()).contains("contacts");
                HttpResponse<String> never = t.get("/api/v1/checks/a_rows_present/history", TestServer.TOKEN);
                assertThat(never.statusCode()).isEqualTo(503);
                assertThat(never.body()).contains("The warehouse is busy");
                assertThat(t.get("/metrics", TestServer.TOKEN).statusCode()).isEqualTo(200);
                for (HttpResponse<String> r : List.of(api, never)) {
                    assertThat(r.body()).doesNotContain(dir.toString()).doesNotContain("duckdb").doesNotContain("PID").doesNotContain("java");
                }
            } finally {
                holder.getOutputStream().close();
                assertThat(holder.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
            assertThat(data.checkHistory("a_rows_present", 10)).hasSize(1);
        }
    }

    /**
     * With the destination's states given (serve: the destination session's {@code states()}), a table's last sync is
     * when its stream's state was committed there, not what a state table in the warehouse says; a stream without a
     * state shows its newest extracted row; a destination that cannot answer is an error without its paths.
     */
    @Test
    void lastSyncComesFromTheDestinationsStatesWhenGiven() throws Exception {
        Path file = warehouse();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute("create table hubspot.deals (id bigint, _tributary_extracted_at timestamptz)");
            s.execute("insert into hubspot.deals values (1, timestamptz '2026-11-01 00:00:00+00')");
        }
        java.time.Instant committed = java.time.Instant.parse("2026-12-01T08:30:00Z");
        dev.tributary.spi.StreamState state = new dev.tributary.spi.StreamState(new dev.tributary.spi.StreamId("", "Contacts"), 1,
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("cursor", 5));
        WarehouseProjectData data = data(file).withStates(() -> List.of(
                new dev.tributary.spi.DestinationSession.StoredState("hubspot", state, "r9", committed.minusSeconds(60)),
                new dev.tributary.spi.DestinationSession.StoredState("hubspot", state, "r10", committed),
                new dev.tributary.spi.DestinationSession.StoredState("other", new dev.tributary.spi.StreamState(new dev.tributary.spi.StreamId("", "deals"), 1,
                        state.value()), "r3", committed.plusSeconds(60))));
        Map<String, java.util.Optional<java.time.Instant>> lastSyncs = new java.util.TreeMap<>();
        for (ProjectData.StreamInfo s : data.connections().getFirst().streams()) lastSyncs.put(s.name(), s.lastSync());
        assertThat(lastSyncs).containsEntry("contacts", java.util.Optional.of(committed))
                .containsEntry("deals", java.util.Optional.of(java.time.Instant.parse("2026-11-01T00:00:00Z")));

        WarehouseProjectData failing = data(file).withStates(() -> {
            throw new IllegalStateException("cannot open the catalog /srv/lake/catalog.sqlite");
        });
        assertThat(org.assertj.core.api.Assertions.catchThrowable(failing::connections))
                .hasMessageContaining("cannot read the sync state from the destination").hasMessageNotContaining("/srv/lake");
    }

    /**
     * serve's own sync holds the warehouse's lock-info file; the UI reading the warehouse in the same JVM must not
     * let go of it (a POSIX lock drops when any handle on the file closes), so a CLI sync still finds it held.
     */
    @Test
    void readingThePagesWhileServeWritesKeepsServesWriterLock() throws Exception {
        Path file = warehouse();
        WarehouseProjectData data = data(file);
        Path info = file.resolveSibling(file.getFileName() + ".tributary-lock");
        try (dev.tributary.spi.DestinationSession session = new dev.tributary.destination.duckdb.DuckDbDestination()
                .open(dev.tributary.spi.Config.of(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("path", file.toString())))) {
            assertThat(probeFromAnotherProcess(info)).isEqualTo("held");
            assertThat(data.connections().getFirst().streams()).isNotEmpty();
            assertThat(data.latestChecks()).isNotEmpty();
            assertThat(probeFromAnotherProcess(info)).isEqualTo("held");
        }
        assertThat(probeFromAnotherProcess(info)).isEqualTo("free");
    }

    private static String probeFromAnotherProcess(Path info) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                LockInfoProbe.class.getName(), info.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static Process hold(Path file, boolean announced) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), DuckDbHolder.class.getName(), file.toString()));
        if (announced) command.add("announce");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        assertThat(line).isEqualTo("holding");
        return p;
    }

    private static int x(String html, String node) {
        String marker = "transform=\"translate(";
        int at = html.indexOf(marker, html.indexOf("data-node=\"" + node + "\"")) + marker.length();
        return Integer.parseInt(html.substring(at, html.indexOf(',', at)));
    }

    @Test
    void dashboardDrawsBarAndLineChartsFromTheWarehouse() throws Exception {
        String yaml = """
                port: 0
                dashboards:
                  leads:
                    title: Leads
                    charts:
                      - {title: Leads per month, query: "select month, leads from leads_per_month order by month", x: month, y: leads, type: bar}
                      - {title: Won and lost, model: leads_per_month, x: month, y: [leads, lost], type: line}
                      - {title: Broken, query: "select month from leads_per_month", x: month, y: leads}
                """;
        try (TestServer t = new TestServer(pipelinesWithExport(), data(warehouse()), yaml)) {
            t.loginAsAdmin();
            HttpResponse<String> r = t.get("/dashboards/leads");
            assertThat(r.statusCode()).isEqualTo(200);
            String html = r.body();
            assertThat(html).contains("href=\"/dashboards/leads\">Leads</a>");
            assertThat(html).contains("<svg class=\"chart chart-bar\"").contains("<svg class=\"chart chart-line\"");
            assertThat(html.split("<rect class=\"bar series-0\"", -1)).hasSize(4);
            assertThat(html).contains("2026-02: leads = 25").contains("<polyline class=\"line series-0\"").contains("<polyline class=\"line series-1\"");
            assertThat(html).contains("class=\"chart-error error\">Cannot draw this chart: the query has no column &#39;leads&#39;");
            assertThat(t.get("/dashboards/nope").statusCode()).isEqualTo(404);
        }
    }

    /**
     * A lakehouse project's DuckDB file: the DuckDB builds' checks in {@code main_tributary}, and the Spark refine
     * build's in {@code analytics_tributary} (the lakehouse's Iceberg table, read through its view; run_at with zone).
     */
    @Test
    void qualityPageAlsoListsTheChecksASparkBuildStoredInTheLakehouse() throws Exception {
        Path file = warehouse();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute("create schema analytics_tributary");
            s.execute("create table analytics_tributary.check_results_data (run_id varchar, run_at timestamptz, check_name varchar, check_type varchar,"
                    + " table_name varchar, column_name varchar, status varchar, measured_value double, warn_threshold varchar,"
                    + " fail_threshold varchar, samples varchar, message varchar)");
            s.execute("insert into analytics_tributary.check_results_data values"
                    + " ('s1', timestamptz '2026-12-01 02:00:00+00', 'silver_deals_amount', 'not_null', 'silver_deals', 'amount', 'fail', 7, '1', '5', '[]', '7 rows'),"
                    + " ('s1', timestamptz '2026-12-01 02:00:00+00', 'b_emails_valid', 'pattern', 'contacts', 'email', 'pass', 0, '1', '5', '[]', '')");
            s.execute("create view analytics_tributary.check_results as select * from analytics_tributary.check_results_data");
        }
        try (TestServer t = new TestServer(pipelinesWithExport(), data(file), "port: 0")) {
            t.loginAsAdmin();
            String html = t.get("/quality").body();
            assertThat(html).contains("<tr class=\"check check-fail\" data-check=\"silver_deals_amount\"")
                    .as("the Spark run of b_emails_valid is the newest").contains("<tr class=\"check check-pass\" data-check=\"b_emails_valid\"")
                    .contains("<span class=\"count count-total\">5</span> checks");
            assertThat(t.json(t.get("/api/v1/checks/b_emails_valid/history", TestServer.TOKEN))).hasSize(3);
            String history = t.get("/quality/b_emails_valid").body();
            assertThat(history.indexOf("check check-pass")).as("newest first").isPositive().isLessThan(history.indexOf("check check-fail"));
            assertThat(t.get("/metrics", TestServer.TOKEN).body()).contains("tributary_check_failures_total{check=\"silver_deals_amount\"} 1\n")
                    .contains("tributary_check_failures_total{check=\"b_emails_valid\"} 1\n");
        }
    }

    @Test
    void qualityPageListsFailingChecksFirstAndHighlightsThem() throws Exception {
        try (TestServer t = new TestServer(pipelinesWithExport(), data(warehouse()), "port: 0")) {
            t.loginAsAdmin();
            String html = t.get("/quality").body();
            int error = html.indexOf("<tr class=\"check check-error\" data-check=\"d_unique_ids\"");
            int fail = html.indexOf("<tr class=\"check check-fail\" data-check=\"b_emails_valid\"");
            int warn = html.indexOf("<tr class=\"check check-warn\" data-check=\"c_fresh\"");
            int pass = html.indexOf("<tr class=\"check check-pass\" data-check=\"a_rows_present\"");
            assertThat(error).isPositive();
            assertThat(fail).isGreaterThan(error);
            assertThat(warn).isGreaterThan(fail);
            assertThat(pass).isGreaterThan(warn);
            assertThat(html.split("<tr class=\"check ", -1)).hasSize(5);
            assertThat(html).contains("<span class=\"cell\" title=\"&lt;bad&gt;\">&lt;bad&gt;</span>").contains("id=\"quality-summary\"><span class=\"count count-total\">4</span> checks: <span class=\"count count-error\">1</span> error, "
                    + "<span class=\"count count-fail\">1</span> failing, <span class=\"count count-warn\">1</span> warning, <span class=\"count count-pass\">1</span> passing");

            String history = t.get("/quality/b_emails_valid").body();
            assertThat(history.indexOf("check check-fail")).isPositive().isLessThan(history.indexOf("check check-pass"));

            var checks = t.json(t.get("/api/v1/checks", TestServer.TOKEN));
            assertThat(checks.get(0).path("name").asText()).isEqualTo("d_unique_ids");
            assertThat(checks.get(1).path("samples").get(0).path("email").asText()).isEqualTo("<bad>");
            assertThat(t.json(t.get("/api/v1/checks/b_emails_valid/history", TestServer.TOKEN))).hasSize(2);

            String metrics = t.get("/metrics", TestServer.TOKEN).body();
            assertThat(metrics).contains("tributary_check_failures_total{check=\"b_emails_valid\"} 1\n")
                    .contains("tributary_check_failures_total{check=\"d_unique_ids\"} 1\n").doesNotContain("check=\"a_rows_present\"");
        }
    }

    @Test
    void connectionsShowRowCountsLastSyncAndSchema() throws Exception {
        try (TestServer t = new TestServer(pipelinesWithExport(), data(warehouse()), "port: 0")) {
            t.loginAsAdmin();
            String html = t.get("/connections").body();
            assertThat(html).contains("<section class=\"connection\" data-connection=\"hubspot\">");
            String row = html.substring(html.indexOf("<tr class=\"stream\" data-stream=\"contacts\">"));
            row = row.substring(0, row.indexOf("</details>"));
            assertThat(row).contains("<td class=\"rows\">2</td>").contains("2026-11-30 06:00:00 UTC").contains(" ago</td>")
                    .contains("<td>email</td><td>VARCHAR</td>").contains("3 columns");
            var api = t.json(t.get("/api/v1/connections", TestServer.TOKEN));
            assertThat(api.get(0).path("streams").get(0).path("rows").asLong()).isEqualTo(2);
        }
    }

    @Test
    void aFreshProjectReadsAsEmptyWithoutCreatingTheWarehouse() {
        Path missing = dir.resolve("fresh.duckdb");
        WarehouseProjectData fresh = new WarehouseProjectData(List.of(new ConnectionRef("hubspot", "hubspot", "hubspot")), Warehouse.duckdb(missing), dir.resolve("target"));
        assertThat(fresh.connections()).singleElement().satisfies(c -> assertThat(c.streams()).isEmpty());
        assertThat(fresh.models()).isEmpty();
        assertThat(fresh.latestChecks()).isEmpty();
        assertThat(fresh.checkFailureCounts()).isEmpty();
        assertThat(missing).doesNotExist();
    }

    @Test
    void loadsFromATributaryProjectAsTheCliDoes() throws Exception {
        warehouse();
        data(dir.resolve("warehouse.duckdb")); // writes target/ artifacts
        Files.writeString(dir.resolve("tributary.yml"), """
                destination: {type: duckdb, path: warehouse.duckdb}
                server:
                  port: 0
                  dashboards:
                    leads: {charts: [{model: leads_per_month, x: month, y: leads}]}
                """);
        dev.tributary.project.Project project = dev.tributary.project.Project.load(dir, Map.of(), dev.tributary.project.Connectors.discover());
        ServerSettings settings = ServerSettings.parse(project.section("server"), Map.of(ServerSettings.ENV_ADMIN_PASSWORD, "pw"));
        WarehouseProjectData data = WarehouseProjectData.of(project);
        assertThat(data.models()).extracting(ProjectData.ModelInfo::name).contains("leads_per_month", "stg_contacts", "hubspot.contacts");
        assertThat(data.latestChecks()).hasSize(4);
        assertThat(data.query(data.selectAllFrom("leads_per_month"), 10).rows()).hasSize(3);
        assertThat(settings.dashboard("leads")).isPresent();
    }

    @Test
    void aModelPageListsTheColumnsOfItsRelationInTheWarehouse() throws Exception {
        try (TestServer t = new TestServer(pipelinesWithExport(), data(warehouse()), "port: 0")) {
            t.loginAsAdmin();
            String html = t.get("/models/leads_per_month").body();
            assertThat(html).contains("<tr class=\"column\" data-column=\"month\"><td>month</td><td>VARCHAR</td></tr>")
                    .contains("<tr class=\"column\" data-column=\"lost\"><td>lost</td><td>INTEGER</td></tr>").contains("<dd id=\"model-rows\">3</dd>");
            assertThat(t.get("/models/stg_contacts").body()).as("a view not built in this warehouse").contains("id=\"no-columns\"");
        }
        assertThat(WarehouseProjectData.relationParts("\"db\".\"my \"\"x\"\"\".t")).containsExactly("db", "my \"x\"", "t");
    }
}
