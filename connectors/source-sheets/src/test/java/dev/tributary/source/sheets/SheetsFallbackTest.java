package dev.tributary.source.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.destination.duckdb.DuckDbDestination;
import dev.tributary.engine.StreamResult;
import dev.tributary.engine.SyncEngine;
import dev.tributary.engine.SyncJob;
import dev.tributary.engine.SyncOptions;
import dev.tributary.engine.SyncResult;
import dev.tributary.sandbox.sheets.SheetsSandbox;
import dev.tributary.sandbox.sheets.SheetsSandboxOptions;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.SyncMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV/JSON fallback: used when the API is unusable, said everywhere, both failures reported, no duplicates after. */
class SheetsFallbackTest {
    @TempDir
    Path dir;
    private SheetsSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    /** The sheet as File > Download > CSV gives it: formatted values, one line per row, blank rows kept. */
    private Path exportCsv(String name) throws Exception {
        String url = sandbox.baseUrl() + "/v4/spreadsheets/" + sandbox.leadsSpreadsheetId() + "/values/Leads?key=" + sandbox.apiKey();
        JsonNode values = SheetsSupport.JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("values");
        StringBuilder csv = new StringBuilder();
        for (JsonNode row : values) {
            for (int i = 0; i < 12; i++) {
                if (i > 0) csv.append(',');
                String v = i < row.size() ? row.get(i).asText() : "";
                csv.append(v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
            }
            csv.append("\r\n");
        }
        return SheetsSupport.writeFile(dir, name, csv.toString());
    }

    private ObjectNode settings(String fallbackPath) {
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        ObjectNode leads = SheetsSupport.leadsStream(settings);
        leads.putObject("fallback").put("path", fallbackPath);
        settings.put("max_attempts", 2);
        return settings;
    }

    @Test
    void aRevokedKeyFallsBackToTheExportAndSaysWhy() throws Exception {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(120).build());
        Path csv = exportCsv("leads-export.csv");
        SheetsSource source = SheetsSupport.source(sandbox);
        Config config = SheetsSupport.config(settings(dir.resolve("leads-*.csv").toString()));
        ConfiguredStream stream = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        SheetsSupport.Read api = SheetsSupport.read(source, config, stream, Optional.empty());
        assertThat(api.fallback()).isEmpty();

        sandbox.control().revokeServiceAccountKey(true);
        ConfiguredStream again = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        assertThat(again.schema()).isEqualTo(stream.schema()); // with a fallback, undeclared columns are text either way
        SheetsSupport.Read fallback = SheetsSupport.read(source, config, again, api.lastState());
        assertThat(fallback.fallback()).hasValueSatisfying(r -> assertThat(r).contains("Invalid JWT Signature.").contains("leads-*.csv")
                // a refused key (a 400 from the token endpoint) is the account's: discovery marked the API unusable for the read
                .contains("Google Sheets API unusable (").contains("while discovering the streams"));
        assertThat(fallback.column("served_by")).containsOnly("fallback:" + csv);
        assertThat(fallback.records()).hasSameSizeAs(api.records());
        assertThat(fallback.column("company")).containsExactlyElementsOf(api.column("company"));
        // an export writes date cells as the sheet shows them ("3/1/2026"); typed text dates stay as typed, so a
        // dd/MM text and an M/d export can read alike: every date is read, and the unambiguous ones agree
        assertThat(fallback.column("created")).doesNotContainNull();
        for (int i = 0; i < api.records().size(); i++) {
            java.time.LocalDate d = (java.time.LocalDate) api.column("created").get(i);
            if (d.getDayOfMonth() > 12) assertThat(fallback.column("created").get(i)).isEqualTo(d);
        }
        assertThat(fallback.column("deal_size")).containsExactlyElementsOf(api.column("deal_size")); // "$1,200.00" as exported
        // the API state is kept but marked unfinished: the next API run reads the sheet again
        assertThat(fallback.lastState().orElseThrow().value().get("complete").asBoolean()).isFalse();
    }

    @Test
    void whenTheFallbackFailsTooTheStreamFailsWithBothReasons() throws Exception {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(20).build());
        exportCsv("leads.csv");
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode s = settings(dir.resolve("leads.csv").toString());
        Config config = SheetsSupport.config(s);
        ConfiguredStream stream = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        sandbox.control().outage(true); // the host answers nothing at all
        ObjectNode missing = s.deepCopy();
        ((ObjectNode) missing.get("streams").get("leads").get("fallback")).put("path", dir.resolve("gone.csv").toString());
        assertThatThrownBy(() -> SheetsSupport.read(source, SheetsSupport.config(missing), stream, Optional.empty()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("the Google Sheets API is unusable (")
                .hasMessageContaining("connection failed")
                .hasMessageContaining("and its fallback failed too (")
                .hasMessageContaining("gone.csv");
        // with a readable fallback, the same outage is served from it
        SheetsSupport.Read served = SheetsSupport.read(source, config, stream, Optional.empty());
        assertThat(served.fallback()).hasValueSatisfying(r -> assertThat(r).contains("connection failed"));
        assertThat(served.records()).isNotEmpty();
    }

    @Test
    void aJsonExportAndATabThatIsGoneAlsoFallBack() throws Exception {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(5).build());
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        ObjectNode y = settings.with("streams").putObject("y2026");
        y.put("range", "'Leads 2026'");
        y.putArray("key").add("company").add("first_name").add("last_name").add("country");
        y.putObject("types").put("created", "date").put("won", "boolean");
        SheetsSupport.writeFile(dir, "y2026.json", "[{\"Company\":\"Umbrella AG\",\"First Name\":\"Elif\",\"Last Name\":\"Yilmaz\",\"Country\":\"Austria\","
                + "\"Created\":\"2026-01-05\",\"Won\":true}]");
        y.putObject("fallback").put("path", dir.resolve("y2026.json").toString());
        Config config = SheetsSupport.config(settings);
        ConfiguredStream stream = SheetsSupport.stream(source, config, "y2026", SyncMode.INCREMENTAL);
        sandbox.control().renameTab(sandbox.leadsSpreadsheetId(), "Leads 2026", "Leads 2027");
        SheetsSupport.Read read = SheetsSupport.read(source, config, stream, Optional.empty());
        assertThat(read.fallback()).hasValueSatisfying(r -> assertThat(r).contains("no tab 'Leads 2026'").contains("Leads 2027"));
        assertThat(read.column("won")).containsExactly(true);
        assertThat(read.column("created")).containsExactly(java.time.LocalDate.of(2026, 1, 5));
    }

    @Test
    void oneStreamsTabGoneSendsOnlyThatStreamToItsFallback() throws Exception {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(30).build());
        exportCsv("leads.csv");
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        ObjectNode y = settings.with("streams").putObject("y2026"); // first: its failure must not carry to "leads"
        y.put("range", "'Leads 2026'");
        y.putArray("key").add("company").add("first_name").add("last_name").add("country");
        y.putObject("types").put("created", "date").put("won", "boolean");
        SheetsSupport.writeFile(dir, "y2026.json", "[{\"Company\":\"Umbrella AG\",\"First Name\":\"Elif\",\"Last Name\":\"Yilmaz\",\"Country\":\"Austria\","
                + "\"Created\":\"2026-01-05\",\"Won\":true}]");
        y.putObject("fallback").put("path", dir.resolve("y2026.json").toString());
        SheetsSupport.leadsStream(settings).putObject("fallback").put("path", dir.resolve("leads.csv").toString());
        ObjectNode noFallback = settings.deepCopy();
        ((ObjectNode) noFallback.get("streams").get("leads")).remove("fallback");
        sandbox.control().renameTab(sandbox.leadsSpreadsheetId(), "Leads 2026", "Leads 2027");

        // discovery: y2026 from its export, leads (with or without a fallback) from the API
        Config config = SheetsSupport.config(settings);
        assertThat(source.discover(SheetsSupport.config(noFallback)).stream("leads")).isPresent();
        ConfiguredStream yStream = SheetsSupport.stream(source, config, "y2026", SyncMode.INCREMENTAL);
        ConfiguredStream leads = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        SheetsSupport.Read yRead = SheetsSupport.read(source, config, yStream, Optional.empty());
        assertThat(yRead.fallback()).hasValueSatisfying(r -> assertThat(r).contains("no tab 'Leads 2026'"));
        // and the read of leads right after goes to the API, not to its fallback for the next minute
        SheetsSupport.Read leadsRead = SheetsSupport.read(source, config, leads, Optional.empty());
        assertThat(leadsRead.fallback()).isEmpty();
        assertThat(leadsRead.column("served_by")).containsOnly("sheets").hasSize(30);
    }

    @Test
    void anExportLackingAColumnOfTheStreamIsRefusedNotLoadedAsNulls() throws Exception {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(20).build());
        SheetsSource source = SheetsSupport.source(sandbox);
        Config config = SheetsSupport.config(settings(dir.resolve("leads-*.csv").toString()));
        exportCsv("leads-1.csv");
        ConfiguredStream stream = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        // a second, hand-made export without Deal Size and Owner
        SheetsSupport.writeFile(dir, "leads-2.csv", "Company,First Name,Last Name, Email ,Phone,Country,Lead Source,Status,Created,Notes\r\n"
                + "Acme GmbH,Bob,O'Neil,bob@acme.example,,Germany,Web,New,2026-01-05,\r\n");
        sandbox.control().revokeServiceAccountKey(true);
        assertThatThrownBy(() -> SheetsSupport.read(source, config, stream, Optional.empty()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("leads-2.csv")
                .hasMessageContaining("lacks columns [deal_size, owner] of stream leads");
    }

    @Test
    void theFallbackReasonNamesEachFilesModifiedTimeAndWarnsWhenOlderThanTheLastApiRead() throws Exception {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(20).build());
        SheetsSource source = SheetsSupport.source(sandbox);
        Config config = SheetsSupport.config(settings(dir.resolve("leads.csv").toString()));
        Path csv = exportCsv("leads.csv");
        ConfiguredStream stream = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        SheetsSupport.Read api = SheetsSupport.read(source, config, stream, Optional.empty());
        java.time.Instant sheetModified = java.time.Instant.parse(api.lastState().orElseThrow().value().get("modified_time").asText());
        sandbox.control().revokeServiceAccountKey(true);

        java.time.Instant newer = sheetModified.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(java.time.Duration.ofHours(1));
        java.nio.file.Files.setLastModifiedTime(csv, java.nio.file.attribute.FileTime.from(newer));
        SheetsSupport.Read fresh = SheetsSupport.read(source, config, stream, api.lastState());
        assertThat(fresh.fallback()).hasValueSatisfying(r -> assertThat(r).contains("leads.csv modified " + newer).doesNotContain("WARNING"));

        java.time.Instant older = sheetModified.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(java.time.Duration.ofDays(3));
        java.nio.file.Files.setLastModifiedTime(csv, java.nio.file.attribute.FileTime.from(older));
        SheetsSupport.Read stale = SheetsSupport.read(source, config, stream, api.lastState());
        assertThat(stale.fallback()).hasValueSatisfying(r -> assertThat(r).contains("leads.csv modified " + older)
                .contains("WARNING: older than the spreadsheet as last read from the API (modified " + sheetModified + "): leads.csv"));
    }

    @Test
    void aFallbackRunThenAnApiRunLeaveEveryLeadOnceInTheWarehouse() throws Exception {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(150).build());
        exportCsv("leads.csv");
        SheetsSource source = SheetsSupport.source(sandbox);
        Config config = SheetsSupport.config(settings(dir.resolve("leads.csv").toString()));

        SyncResult apiFirst = sync(source, config);
        assertThat(apiFirst.streams().get(0).fallback()).isEmpty();
        sandbox.control().revokeServiceAccountKey(true);
        SyncResult fallbackRun = sync(source, config);
        StreamResult leads = fallbackRun.streams().get(0);
        assertThat(leads.ok()).as(fallbackRun.toString()).isTrue();
        assertThat(leads.fallback()).hasValueSatisfying(r -> assertThat(r).contains("Invalid JWT Signature."));
        long distinctKeys = count("SELECT count(*) FROM (SELECT DISTINCT company, first_name, last_name, country FROM sheets.leads)");
        assertThat(count("SELECT count(*) FROM sheets.leads")).isEqualTo(distinctKeys);
        assertThat(count("SELECT count(*) FROM sheets.leads WHERE served_by LIKE 'fallback:%'")).isEqualTo(distinctKeys);

        sandbox.control().revokeServiceAccountKey(false);
        SyncResult apiRun = sync(source, config);
        assertThat(apiRun.streams().get(0).fallback()).isEmpty();
        assertThat(count("SELECT count(*) FROM sheets.leads")).isEqualTo(distinctKeys);
        assertThat(count("SELECT count(*) FROM sheets.leads WHERE served_by = 'sheets'")).isEqualTo(distinctKeys);
    }

    private SyncResult sync(SheetsSource source, Config config) {
        List<ConfiguredStream> streams = List.of(SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL));
        try (DestinationSession session = new DuckDbDestination().open(Config.of(JsonNodeFactory.instance.objectNode()
                .put("path", dir.resolve("warehouse.duckdb").toString())))) {
            return new SyncEngine(SyncOptions.defaults(), e -> { }).run(new SyncJob("sheets", source, config, session, streams));
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
