package dev.tributary.source.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.sandbox.sheets.SheetsSandbox;
import dev.tributary.sandbox.sheets.SheetsSandboxOptions;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Record;
import dev.tributary.spi.SyncMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source against the sandbox over real HTTP: headers, types, raw text, incremental reads, auth, quotas, faults. */
class SheetsSourceTest {
    @TempDir
    Path dir;
    private SheetsSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private SheetsSandbox start(int leads) {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(leads).build());
        return sandbox;
    }

    @Test
    void leadsAreTypedRecordsWithRawTextKept() {
        start(400);
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        SheetsSupport.leadsStream(settings);
        Config config = SheetsSupport.config(settings);
        ConfiguredStream stream = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        assertThat(stream.schema().fieldNames()).containsExactly("company", "first_name", "last_name", "email", "phone", "country",
                "lead_source", "status", "created", "deal_size", "owner", "notes", "sheet_row", "served_by", "_invalid_values");
        assertThat(stream.schema().primaryKey()).containsExactly("company", "first_name", "last_name", "country");
        assertThat(stream.schema().field("created").orElseThrow().type()).isEqualTo(DataType.DATE);
        assertThat(stream.schema().field("deal_size").orElseThrow().type()).isEqualTo(DataType.NUMBER);
        assertThat(stream.schema().field("phone").orElseThrow().type()).isEqualTo(DataType.TEXT); // numbers and text mixed

        SheetsSupport.Read read = SheetsSupport.read(source, config, stream, Optional.empty());
        assertThat(read.records()).hasSizeBetween(380, 400); // blank rows skipped
        assertThat(read.column("served_by")).containsOnly("sheets");
        assertThat(read.column("created")).doesNotContainNull().allMatch(d -> d instanceof LocalDate);
        assertThat(read.column("company")).allMatch(c -> c.equals(((String) c).strip()));
        assertThat(read.column("sheet_row")).doesNotHaveDuplicates();
        long rowTwo = (Long) read.value(read.records().get(0), "sheet_row");
        assertThat(rowTwo).isEqualTo(2);
        assertThat(read.column("deal_size")).filteredOn(v -> v != null).allMatch(v -> v instanceof Double);
        assertThat(read.lastState()).isPresent();
    }

    @Test
    void valuesThatDoNotFitKeepTheirRawTextAndMergedHeadersNeedHeaderRow() {
        start(20);
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        ObjectNode bobs = settings.with("streams").putObject("bobs");
        bobs.put("range", "'Bob''s Import'");
        Config bad = SheetsSupport.config(settings);
        assertThatThrownBy(() -> source.discover(bad)).isInstanceOf(DataException.class)
                .hasMessageContaining("header row 1: cell C1 is empty (a header merged across columns")
                .hasMessageContaining("streams.bobs.columns");

        bobs.put("header_row", 2);
        bobs.putObject("types").put("deal_size", "number");
        Config config = SheetsSupport.config(settings);
        ConfiguredStream stream = SheetsSupport.stream(source, config, "bobs", SyncMode.FULL_REFRESH);
        SheetsSupport.Read read = SheetsSupport.read(source, config, stream, Optional.empty());
        assertThat(read.column("company")).containsExactly("Acme GmbH", "Globex Ltd", "Hooli", "Hooli", "Pied Piper", null);
        // numbers typed as text stay text unless asked: NULL, with the raw text kept
        assertThat(read.column("deal_size")).containsOnlyNulls();
        assertThat(read.value(read.records().get(0), "_invalid_values")).isEqualTo(new JsonText("{\"deal_size\":\"1200\"}"));
        assertThat(read.column("total")).containsExactly(null, null, null, null, null, 2180.5);

        bobs.put("numbers_from_text", true);
        SheetsSupport.Read asked = SheetsSupport.read(source, SheetsSupport.config(settings), stream, Optional.empty());
        assertThat(asked.column("deal_size")).containsExactly(1200.0, null, 3400.0, 3400.0, 980.5, null);
        assertThat(asked.value(asked.records().get(1), "_invalid_values")).isEqualTo(new JsonText("{\"deal_size\":\"n/a\"}"));
    }

    @Test
    void duplicateHeadersAreAnErrorNamingTheCellsUnlessColumnsAreGiven() {
        start(10);
        sandbox.control().setValues(sandbox.leadsSpreadsheetId(), "'Leads 2026'!D1", List.of(List.<Object>of("first name")));
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        ObjectNode s = settings.with("streams").putObject("y2026");
        s.put("range", "'Leads 2026'!A1:F");
        assertThatThrownBy(() -> source.discover(SheetsSupport.config(settings)))
                .hasMessageContaining("cells B1 ('First Name') and D1 ('first name') both name column 'first_name'");
        s.putArray("columns").add("Company").add("First").add("Last").add("Country").add("Created").add("Won");
        s.putObject("types").put("created", "date");
        Config config = SheetsSupport.config(settings);
        ConfiguredStream stream = SheetsSupport.stream(source, config, "y2026", SyncMode.FULL_REFRESH);
        sandbox.counters().reset();
        SheetsSupport.Read read = SheetsSupport.read(source, config, stream, Optional.empty());
        assertThat(sandbox.counters().count("/values/")).as("one page; the header is not asked for when columns are given").isEqualTo(1);
        assertThat(read.column("first")).containsExactly("Elif", "Ben", "Wen");   // the interior empty row is skipped
        assertThat(read.column("won")).containsExactly(true, false, null);        // short row padded
        assertThat(read.column("created")).containsExactly(LocalDate.of(2026, 1, 5), LocalDate.of(2026, 2, 14), LocalDate.of(2026, 3, 1));
        assertThat(read.column("sheet_row")).containsExactly(2L, 3L, 5L);
    }

    @Test
    void anUnchangedSpreadsheetCostsOneMetadataRequestAndAChangeIsReadAgain() {
        start(300);
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        SheetsSupport.leadsStream(settings).put("range", "Leads");
        settings.put("page_rows", 100);
        Config config = SheetsSupport.config(settings);
        ConfiguredStream stream = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        SheetsSupport.Read first = SheetsSupport.read(source, config, stream, Optional.empty());
        assertThat(first.checkpoints()).hasSizeGreaterThan(1);

        sandbox.counters().reset();
        SheetsSupport.Read again = SheetsSupport.read(source, config, stream, first.lastState());
        assertThat(again.records()).isEmpty();
        assertThat(sandbox.counters().byRoute()).containsOnlyKeys("GET /drive/v3/files/{id} 200");
        assertThat(sandbox.counters().count("/drive/")).isEqualTo(1);

        sandbox.control().appendRows(sandbox.leadsSpreadsheetId(), "Leads", List.of(List.of("Zeta Oy", "Aino", "Virtanen", "a@zeta.example", "+358", "Finland")));
        SheetsSupport.Read changed = SheetsSupport.read(source, config, stream, first.lastState());
        assertThat(changed.records()).hasSize(first.records().size() + 1);
        assertThat(changed.column("company")).contains("Zeta Oy");
    }

    @Test
    void aReadStoppedMidwayResumesAtTheNextPageWithNoGapOrDuplicate() {
        start(250);
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        SheetsSupport.leadsStream(settings);
        settings.put("page_rows", 50);
        Config config = SheetsSupport.config(settings);
        ConfiguredStream stream = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        SheetsSupport.Read all = SheetsSupport.read(source, config, stream, Optional.empty());

        // read two pages, then stop as a killed run would: its last checkpoint is what was committed
        List<Record> firstPart = new java.util.ArrayList<>();
        dev.tributary.spi.StreamState committed;
        try (var reader = source.read(config, stream, Optional.empty())) {
            var b1 = reader.next().orElseThrow();
            var b2 = reader.next().orElseThrow();
            firstPart.addAll(b1.records());
            firstPart.addAll(b2.records());
            committed = b2.checkpoint().orElseThrow();
        }
        assertThat(committed.value().get("complete").asBoolean()).isFalse();
        SheetsSupport.Read rest = SheetsSupport.read(source, config, stream, Optional.of(committed));
        List<Object> rows = new java.util.ArrayList<>();
        firstPart.forEach(r -> rows.add(r.value(all.schema().indexOf("sheet_row"))));
        rows.addAll(rest.column("sheet_row"));
        assertThat(rows).containsExactlyElementsOf(all.column("sheet_row"));
    }

    @Test
    void aRotatedKeyFileOrNewRefreshTokenIsUsedAndCheckNamesNoClientId() throws Exception {
        start(10);
        SheetsSource source = SheetsSupport.source(sandbox);
        // a key file whose private key Google does not know (an old, deleted key), then the right one in its place
        var old = java.security.KeyPairGenerator.getInstance("RSA");
        old.initialize(2048);
        String oldPem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(old.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ObjectNode key = (ObjectNode) SheetsSupport.JSON.readTree(sandbox.serviceAccountKeyJson());
        key.put("private_key", oldPem);
        java.nio.file.Path file = dir.resolve("rotating-key.json");
        java.nio.file.Files.writeString(file, key.toString());
        ObjectNode settings = SheetsSupport.JSON.createObjectNode();
        settings.put("spreadsheet_id", sandbox.leadsSpreadsheetId()).put("base_url", sandbox.baseUrl()).put("credentials_file", file.toString());
        assertThat(source.check(SheetsSupport.config(settings)).ok()).isFalse();
        sandbox.writeServiceAccountKey(file); // the rotated key, same client_email, same path
        var rotated = source.check(SheetsSupport.config(settings));
        assertThat(rotated.ok()).as(rotated.toString()).isTrue();
        assertThat(java.nio.file.Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        ObjectNode byUser = SheetsSupport.JSON.createObjectNode();
        byUser.put("spreadsheet_id", sandbox.leadsSpreadsheetId()).put("base_url", sandbox.baseUrl()).put("token_uri", sandbox.tokenUri())
                .put("client_id", sandbox.oauthClientId()).put("client_secret", sandbox.oauthClientSecret()).put("refresh_token", "1//revoked-long-ago");
        assertThat(source.check(SheetsSupport.config(byUser)).ok()).isFalse();
        var renewed = source.check(SheetsSupport.config(byUser.put("refresh_token", sandbox.refreshToken())));
        assertThat(renewed.ok()).as(renewed.toString()).isTrue();
        assertThat(renewed.message()).doesNotContain(sandbox.oauthClientId());
    }

    @Test
    void incrementalWithAppendIsRefusedBecauseAnyEditWouldDoubleEveryRow() {
        start(10);
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        SheetsSupport.leadsStream(settings);
        Config config = SheetsSupport.config(settings);
        ConfiguredStream merge = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        ConfiguredStream append = merge.withModes(SyncMode.INCREMENTAL, dev.tributary.spi.WriteMode.APPEND);
        long before = sandbox.counters().count("/values");
        assertThatThrownBy(() -> source.read(config, append, Optional.empty()).next())
                .hasMessageContaining("stream 'leads' is incremental with write_mode append")
                .hasMessageContaining("use write_mode merge");
        assertThat(sandbox.counters().count("/values")).isEqualTo(before);
        assertThat(SheetsSupport.read(source, config, merge, Optional.empty()).records()).isNotEmpty();
        ConfiguredStream fullAppend = merge.withModes(SyncMode.FULL_REFRESH, dev.tributary.spi.WriteMode.APPEND);
        assertThat(SheetsSupport.read(source, config, fullAppend, Optional.empty()).records()).isNotEmpty();
    }

    @Test
    void anUndeclaredDateColumnIsADateNotTheSerialNumbersTheValuesApiGives() {
        start(10);
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        settings.with("streams").putObject("y2026").put("range", "'Leads 2026'"); // no types: Created is date cells
        Config config = SheetsSupport.config(settings);
        ConfiguredStream stream = SheetsSupport.stream(source, config, "y2026", SyncMode.FULL_REFRESH);
        assertThat(stream.schema().field("created").orElseThrow().type()).isEqualTo(DataType.DATE);
        assertThat(sandbox.counters().count("GET /v4/spreadsheets/{id} 200")).isEqualTo(1); // the formats, asked once
        SheetsSupport.Read read = SheetsSupport.read(source, config, stream, Optional.empty());
        assertThat(read.column("created")).containsExactly(java.time.LocalDate.of(2026, 1, 5), java.time.LocalDate.of(2026, 2, 14),
                java.time.LocalDate.of(2026, 3, 1));
    }

    @Test
    void apiKeyAndRefreshTokenWork() {
        start(30);
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode byKey = SheetsSupport.JSON.createObjectNode();
        byKey.put("spreadsheet_id", sandbox.leadsSpreadsheetId()).put("base_url", sandbox.baseUrl()).put("api_key", sandbox.apiKey());
        assertThat(source.check(SheetsSupport.config(byKey)).ok()).isTrue();
        ObjectNode byUser = SheetsSupport.JSON.createObjectNode();
        byUser.put("spreadsheet_id", sandbox.leadsSpreadsheetId()).put("base_url", sandbox.baseUrl()).put("token_uri", sandbox.tokenUri())
                .put("client_id", sandbox.oauthClientId()).put("client_secret", sandbox.oauthClientSecret()).put("refresh_token", sandbox.refreshToken());
        var check = source.check(SheetsSupport.config(byUser));
        assertThat(check.ok()).as(check.toString()).isTrue();
        Config config = SheetsSupport.config(byUser);
        assertThatThrownBy(() -> source.discover(config)).hasMessageContaining("'Bob''s Import'").hasMessageContaining("cell C1 is empty");
        sandbox.control().setValues(sandbox.leadsSpreadsheetId(), "'Bob''s Import'!A1:F1", List.of(List.<Object>of("", "", "", "", "", "")));
        sandbox.control().setValues(sandbox.leadsSpreadsheetId(), "'Bob''s Import'!A1", List.of(List.<Object>of("Company", "First Name", "Last Name", "Country", "Deal Size", "Total")));
        var catalog = source.discover(config);
        assertThat(catalog.streams()).extracting(d -> d.id().name()).containsExactlyInAnyOrder("leads", "bob_s_import", "leads_2026", "empty");
        ConfiguredStream leads2026 = SheetsSupport.stream(source, config, "leads_2026", SyncMode.FULL_REFRESH);
        assertThat(leads2026.schema().field("won").orElseThrow().type()).isEqualTo(DataType.BOOLEAN);
        assertThat(SheetsSupport.read(source, config, leads2026, Optional.empty()).records()).hasSize(3);

        ObjectNode privateSheet = byKey.deepCopy().put("spreadsheet_id", sandbox.privateSpreadsheetId());
        var denied = source.check(SheetsSupport.config(privateSheet));
        assertThat(denied.ok()).isFalse();
        assertThat(denied.message()).contains("403").contains("The caller does not have permission");
        assertThat(denied.message()).doesNotContain(sandbox.apiKey());
    }

    @Test
    void quotaAnd5xxAreWaitedOutAndRetried() {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(300).quotas(300, 4).build());
        SheetsSource source = SheetsSupport.source(sandbox);
        ObjectNode settings = SheetsSupport.settings(sandbox, dir);
        SheetsSupport.leadsStream(settings);
        settings.put("page_rows", 30).put("reads_per_minute", 100); // more than the sandbox allows: 429s follow
        Config config = SheetsSupport.config(settings);
        ConfiguredStream stream = SheetsSupport.stream(source, config, "leads", SyncMode.INCREMENTAL);
        sandbox.control().serverErrors(2);
        sandbox.control().dropConnections(1);
        SheetsSupport.Read read = SheetsSupport.read(source, config, stream, Optional.empty());
        assertThat(read.records()).hasSizeGreaterThan(280);
        assertThat(sandbox.counters().count(" 429")).isPositive();
        assertThat(sandbox.counters().count(" 503")).isEqualTo(2);

        // with no patience for 429 the quota counts as exhausted
        settings.put("quota_wait_seconds", 0);
        Config impatient = SheetsSupport.config(settings);
        sandbox.control().storm429(50);
        assertThatThrownBy(() -> SheetsSupport.read(source, impatient, stream, Optional.empty()))
                .hasMessageContaining("quota exhausted").hasMessageContaining("RESOURCE_EXHAUSTED");
    }
}
