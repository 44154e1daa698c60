package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.destination.iceberg.IcebergDestination;
import dev.tributary.destination.iceberg.IcebergSession;
import dev.tributary.lakehouse.duckdb.LakehouseViews;
import dev.tributary.project.Environment;
import dev.tributary.project.YamlDocument;
import dev.tributary.server.ServerSettings;
import dev.tributary.server.TributaryServer;
import dev.tributary.server.WarehouseProjectData;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality page of a lakehouse project in a real headless Chromium: the DuckDB checks ({@code main_tributary} in
 * {@code lakehouse.duckdb}) and the Spark refine build's checks, stored as an Iceberg table
 * {@code analytics_tributary.check_results} in the lakehouse and read through its view, on one page.
 */
class LakehouseQualityBrowserTest {
    private static final String PASSWORD = "quality-" + Long.toHexString(System.nanoTime());
    private static final Schema CHECK_RESULTS = new Schema(List.of(Field.of("run_id", DataType.TEXT), Field.of("run_at", DataType.TIMESTAMP_TZ),
            Field.of("check_name", DataType.TEXT), Field.of("check_type", DataType.TEXT), Field.of("table_name", DataType.TEXT),
            Field.of("column_name", DataType.TEXT), Field.of("status", DataType.TEXT), Field.of("measured_value", DataType.NUMBER),
            Field.of("warn_threshold", DataType.TEXT), Field.of("fail_threshold", DataType.TEXT), Field.of("samples", DataType.TEXT),
            Field.of("message", DataType.TEXT)), List.of());

    @TempDir
    Path dir;

    /** The Spark build's check results, as an Iceberg table of the lakehouse. */
    private void sparkChecks(IcebergSession session) throws Exception {
        StreamDescriptor d = new StreamDescriptor(StreamId.of("check_results"), CHECK_RESULTS, Set.of(SyncMode.FULL_REFRESH), Optional.empty());
        ConfiguredStream s = new ConfiguredStream("analytics_tributary", d, SyncMode.FULL_REFRESH, WriteMode.APPEND, List.of(), ErrorPolicy.FAIL,
                "analytics_tributary", "check_results");
        Instant at = Instant.parse("2026-12-01T02:00:00Z");
        List<Record> rows = List.of(
                new Record(new Object[] {"s1", at, "silver_deals_amount", "not_null", "silver_deals", "amount", "fail", 7.0, "1", "5", "[{\"deal_id\": \"d-7\"}]", "7 rows"}, "spark"),
                new Record(new Object[] {"s1", at, "gold_funnel_rows", "row_count", "gold_funnel", null, "pass", 12.0, "", "", "[]", ""}, "spark"));
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(new RecordBatch(CHECK_RESULTS, rows, List.of(), Optional.empty()));
            w.commit(Optional.empty());
        }
    }

    @Test
    void theQualityPageListsTheSparkChecksStoredInTheLakehouseBesideDuckDbs() throws Exception {
        Path duckdbFile = dir.resolve("lakehouse.duckdb");
        try (IcebergSession session = new IcebergDestination().open(Config.of(JsonNodeFactory.instance.objectNode().put("warehouse", dir.resolve("lakehouse").toString())));
                Connection duckdb = DriverManager.getConnection("jdbc:duckdb:" + duckdbFile)) {
            sparkChecks(session);
            LakehouseViews.Refresh refresh = new LakehouseViews(session.lakehouse().catalog(), line -> {}).refresh(duckdb);
            assertThat(refresh.unreadable()).isEmpty();
            try (Statement s = duckdb.createStatement()) {
                s.execute("create schema main_tributary");
                s.execute("create table main_tributary.check_results (run_id varchar(64), run_at timestamp, check_name varchar(500), check_type varchar(50),"
                        + " table_name varchar(500), column_name varchar(500), status varchar(10), measured_value double precision, warn_threshold varchar(100),"
                        + " fail_threshold varchar(100), samples text, message text)");
                s.execute("insert into main_tributary.check_results values"
                        + " ('r1', timestamp '2026-12-01 01:00:00', 'bronze_contacts_rows', 'row_count', 'contacts', null, 'pass', 5000, '', '', '[]', '')");
            }
        }
        ServerSettings settings = ServerSettings.parse(YamlDocument.parse("tributary.yml", "server: {port: 0}", Environment.of(Map.of())).config().child("server"),
                Map.of(ServerSettings.ENV_ADMIN_PASSWORD, PASSWORD));
        WarehouseProjectData data = new WarehouseProjectData(List.of(), WarehouseProjectData.Warehouse.duckdb(duckdbFile), Files.createDirectories(dir.resolve("target")));
        TributaryServer server = new TributaryServer(settings, CatalogBrowserTest.noPipelines(), data, Clock.systemUTC());
        try {
            String base = "http://127.0.0.1:" + server.start();
            HeadlessChromium browser = HeadlessChromium.start();
            try {
                quality(browser, base);
            } finally {
                browser.close();
            }
        } finally {
            server.stop();
        }
    }

    private static void quality(HeadlessChromium browser, String base) {
        browser.windowSize(1366, 768);
        browser.logInAsAdmin(base, PASSWORD);

        browser.get(base + "/quality");
        browser.await("table#checks", Duration.ofSeconds(10));
        assertThat(browser.text(browser.find("#quality-summary"))).isEqualTo("3 checks: 0 errors, 1 failing, 0 warnings, 2 passing");
        assertThat(browser.findAll("tr.check")).extracting(row -> browser.attribute(row, "data-check"))
                .containsExactly("silver_deals_amount", "bronze_contacts_rows", "gold_funnel_rows");
        browser.click(browser.find("tr.check-fail details.samples summary"));
        assertThat(browser.text(browser.await("tr.check-fail table.samples span.cell[title='d-7']", Duration.ofSeconds(5)))).isEqualTo("d-7");

        browser.click(browser.find("tr.check-fail a"));
        browser.await("svg#check-trend", Duration.ofSeconds(10));
        assertThat(browser.findAll("svg#check-trend circle.point")).hasSize(1);
    }
}
