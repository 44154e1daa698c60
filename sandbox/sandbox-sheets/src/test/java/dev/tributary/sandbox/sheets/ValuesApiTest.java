package dev.tributary.sandbox.sheets;

import static dev.tributary.sandbox.sheets.TestHttp.enc;
import static dev.tributary.sandbox.sheets.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** spreadsheets.get, values.get, values.batchGet and Drive files.get over real HTTP. */
class ValuesApiTest {
    private static SheetsSandbox sandbox;
    private static String token;
    private static String id;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(300).quotasEnabled(false).build());
        token = TestHttp.token(sandbox);
        id = sandbox.leadsSpreadsheetId();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static TestHttp.Reply values(String range, String params) {
        return get(sandbox.baseUrl() + "/v4/spreadsheets/" + id + "/values/" + enc(range) + (params == null ? "" : "?" + params), token);
    }

    @Test
    void spreadsheetGetListsTabsAndHonoursTheFieldsMask() {
        JsonNode full = get(sandbox.baseUrl() + "/v4/spreadsheets/" + id, token).json();
        assertThat(full.get("spreadsheetId").asText()).isEqualTo(id);
        assertThat(full.at("/properties/title").asText()).isEqualTo("Leads");
        assertThat(full.get("sheets")).hasSize(4);
        assertThat(full.at("/sheets/1/properties/title").asText()).isEqualTo("Bob's Import");
        assertThat(full.at("/sheets/0/properties/gridProperties/rowCount").asInt()).isGreaterThanOrEqualTo(301);
        assertThat(full.at("/sheets/0/properties/gridProperties/columnCount").asInt()).isEqualTo(26);

        JsonNode masked = get(sandbox.baseUrl() + "/v4/spreadsheets/" + id + "?fields=" + enc("sheets.properties"), token).json();
        assertThat(masked.fieldNames()).toIterable().containsExactly("sheets");
        assertThat(masked.at("/sheets/2/properties/title").asText()).isEqualTo("Leads 2026");
        JsonNode narrow = get(sandbox.baseUrl() + "/v4/spreadsheets/" + id + "?fields=" + enc("properties.title,sheets(properties(title,sheetId))"), token).json();
        assertThat(narrow.at("/properties").fieldNames()).toIterable().containsExactly("title");
        assertThat(narrow.at("/sheets/0/properties").fieldNames()).toIterable().containsExactly("sheetId", "title");
        assertThat(get(sandbox.baseUrl() + "/v4/spreadsheets/" + id + "?fields=" + enc("sheets(properties"), token).status()).isEqualTo(400);
    }

    @Test
    void wholeSheetTrimsAndEchoesTheDataBounds() {
        JsonNode v = values("Leads 2026", null).json();
        assertThat(v.get("range").asText()).isEqualTo("'Leads 2026'!A1:F5");
        assertThat(v.get("majorDimension").asText()).isEqualTo("ROWS");
        JsonNode rows = v.get("values");
        assertThat(rows).hasSize(5);
        assertThat(rows.get(1).toString()).isEqualTo("[\"Umbrella AG\",\"Elif\",\"Yilmaz\",\"Austria\",\"1/5/2026\",\"TRUE\"]");
        assertThat(rows.get(3).toString()).isEqualTo("[]");                    // interior empty row
        assertThat(rows.get(4).toString()).isEqualTo("[\"Hooli\",\"Wen\",\"Tanaka\",\"\",\"3/1/2026\"]"); // interior blank, trailing trimmed
    }

    @Test
    void renderOptionsAndSerialDates() {
        JsonNode unformatted = values("'Leads 2026'!E2:F3", "valueRenderOption=UNFORMATTED_VALUE").json().get("values");
        assertThat(unformatted.toString()).isEqualTo("[[46027,true],[46067,false]]");
        JsonNode asStrings = values("'Leads 2026'!E2:E2", "valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=FORMATTED_STRING").json();
        assertThat(asStrings.get("values").toString()).isEqualTo("[[\"1/5/2026\"]]");
        JsonNode formula = values("'Bob''s Import'!E8:F8", "valueRenderOption=FORMULA").json().get("values");
        assertThat(formula.toString()).isEqualTo("[[\"sum\",\"=SUM(E3:E7)\"]]");
        JsonNode formatted = values("'Bob''s Import'!F8", null).json().get("values");
        assertThat(formatted.toString()).isEqualTo("[[\"2180.5\"]]");
        assertThat(values("Sheet1!A1", "valueRenderOption=PRETTY").status()).isEqualTo(400);
    }

    @Test
    void columnsMajorDimensionWholeColumnsAndOpenEndedRanges() {
        JsonNode cols = values("'Leads 2026'!A1:B5", "majorDimension=COLUMNS").json();
        assertThat(cols.get("majorDimension").asText()).isEqualTo("COLUMNS");
        assertThat(cols.get("values").get(0).toString()).isEqualTo("[\"Company\",\"Umbrella AG\",\"Wayne Enterprises\",\"\",\"Hooli\"]");
        JsonNode wholeColumn = values("'Bob''s Import'!A:A", null).json();
        assertThat(wholeColumn.get("range").asText()).isEqualTo("'Bob''s Import'!A1:A7");
        assertThat(wholeColumn.get("values")).hasSize(7);
        JsonNode openEnded = values("'Bob''s Import'!A2:F", null).json();
        assertThat(openEnded.get("range").asText()).isEqualTo("'Bob''s Import'!A2:F8");
        assertThat(openEnded.get("values").get(0).get(0).asText()).isEqualTo("Company");
        JsonNode noSheet = values("A1:B1", null).json();
        assertThat(noSheet.get("range").asText()).isEqualTo("Leads!A1:B1");
    }

    @Test
    void anEmptyRangeHasNoValuesKey() {
        JsonNode empty = values("Empty", null).json();
        assertThat(empty.has("values")).isFalse();
        assertThat(empty.get("range").asText()).isEqualTo("Empty!A1");
        assertThat(values("Leads!Q1:T20", null).json().has("values")).isFalse();
    }

    @Test
    void batchGetAnswersEveryRangeInOrder() {
        JsonNode b = get(sandbox.baseUrl() + "/v4/spreadsheets/" + id + "/values:batchGet?ranges=" + enc("'Leads 2026'!A1:B2")
                + "&ranges=" + enc("Empty") + "&ranges=" + enc("Leads!A1:L1") + "&valueRenderOption=UNFORMATTED_VALUE", token).json();
        assertThat(b.get("spreadsheetId").asText()).isEqualTo(id);
        JsonNode ranges = b.get("valueRanges");
        assertThat(ranges).hasSize(3);
        assertThat(ranges.get(0).get("range").asText()).isEqualTo("'Leads 2026'!A1:B2");
        assertThat(ranges.get(1).has("values")).isFalse();
        assertThat(ranges.get(2).at("/values/0/3").asText()).isEqualTo(" Email ");
    }

    @Test
    void generatedLeadsAreMessyAndStable() {
        JsonNode all = values("Leads", "valueRenderOption=UNFORMATTED_VALUE").json().get("values");
        assertThat(all.size()).isBetween(295, 301);
        long blank = 0, serial = 0, textDates = 0, textNumbers = 0;
        for (JsonNode row : all) {
            if (row.isEmpty()) blank++;
            JsonNode created = row.path(8);
            if (created.isNumber()) serial++;
            else if (created.isTextual() && created.asText().matches("\\d{4}-\\d\\d-\\d\\d|\\d\\d/\\d\\d/\\d{4}")) textDates++;
            if (row.path(9).isTextual() && row.path(9).asText().matches(".*\\d.*")) textNumbers++;
        }
        assertThat(blank).isPositive();
        assertThat(serial).isPositive();
        assertThat(textDates).isPositive();
        assertThat(textNumbers).isPositive();
        assertThat(values("Leads", "valueRenderOption=UNFORMATTED_VALUE").body()).isEqualTo(values("Leads", "valueRenderOption=UNFORMATTED_VALUE").body());
    }

    @Test
    void badRangesAndMissingSpreadsheetsAnswerGoogleErrors() {
        TestHttp.Reply bad = values("Nope!A1", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(bad.json().at("/error/message").asText()).isEqualTo("Unable to parse range: Nope!A1");
        TestHttp.Reply missing = get(sandbox.baseUrl() + "/v4/spreadsheets/1nope/values/A1", token);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/status").asText()).isEqualTo("NOT_FOUND");
        assertThat(values("Leads!A5000", null).status()).isEqualTo(400); // past the grid
    }

    @Test
    void driveMetadataMovesOnEveryChange() throws Exception {
        try (SheetsSandbox own = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(10).build())) {
            driveMetadataMoves(own, TestHttp.token(own));
        }
    }

    private static void driveMetadataMoves(SheetsSandbox sandbox, String token) {
        String id = sandbox.leadsSpreadsheetId();
        String url = sandbox.baseUrl() + "/drive/v3/files/" + id + "?fields=" + enc("modifiedTime,version");
        JsonNode before = get(url, token).json();
        assertThat(before.fieldNames()).toIterable().containsExactly("modifiedTime", "version");
        assertThat(before.get("modifiedTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        TestHttp.Reply edit = TestHttp.control(sandbox, "POST", "cells", "{\"spreadsheetId\":\"" + id + "\",\"range\":\"'Leads 2026'!D5\",\"values\":[[\"Japan\"]]}");
        assertThat(edit.status()).as(edit.body()).isEqualTo(200);
        JsonNode after = get(url, token).json();
        assertThat(Long.parseLong(after.get("version").asText())).isGreaterThan(Long.parseLong(before.get("version").asText()));
        assertThat(after.get("modifiedTime").asText()).isGreaterThan(before.get("modifiedTime").asText());
        assertThat(get(sandbox.baseUrl() + "/v4/spreadsheets/" + id + "/values/" + enc("'Leads 2026'!A5:F5"), token).json().get("values").toString())
                .isEqualTo("[[\"Hooli\",\"Wen\",\"Tanaka\",\"Japan\",\"3/1/2026\"]]");
        JsonNode defaults = get(sandbox.baseUrl() + "/drive/v3/files/" + id, token).json();
        assertThat(defaults.get("mimeType").asText()).isEqualTo("application/vnd.google-apps.spreadsheet");
        assertThat(get(sandbox.baseUrl() + "/drive/v3/files/1nope?fields=version", token).json().at("/error/errors/0/reason").asText()).isEqualTo("notFound");
    }

    @Test
    void controlApiAddsRowsRenamesAndDeletesTabs() throws Exception {
        try (SheetsSandbox own = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(10).build())) {
            controlApi(own, TestHttp.token(own));
        }
    }

    private static void controlApi(SheetsSandbox sandbox, String token) {
        String id = sandbox.leadsSpreadsheetId();
        java.util.function.BiFunction<String, String, TestHttp.Reply> values = (range, params) ->
                get(sandbox.baseUrl() + "/v4/spreadsheets/" + id + "/values/" + enc(range) + (params == null ? "" : "?" + params), token);
        TestHttp.Reply added = TestHttp.control(sandbox, "POST", "rows", "{\"spreadsheetId\":\"" + id + "\",\"sheet\":\"Bob's Import\",\"values\":[[\"Initech Inc.\",\"Peter\",\"Gibbons\",\"United States\",700]]}");
        assertThat(added.json().get("firstRow").asInt()).isEqualTo(9);
        assertThat(values.apply("'Bob''s Import'!A9:E9", "valueRenderOption=UNFORMATTED_VALUE").json().get("values").toString())
                .isEqualTo("[[\"Initech Inc.\",\"Peter\",\"Gibbons\",\"United States\",700]]");
        sandbox.control().renameTab(id, "Empty", "Archive 2025");
        assertThat(values.apply("'Archive 2025'", null).status()).isEqualTo(200);
        assertThat(values.apply("Empty", null).status()).isEqualTo(400);
        sandbox.control().deleteTab(id, "Archive 2025");
        JsonNode tabs = get(sandbox.baseUrl() + "/v4/spreadsheets/" + id + "?fields=sheets.properties.title", token).json();
        assertThat(tabs.findValuesAsText("title")).isEqualTo(List.of("Leads", "Bob's Import", "Leads 2026"));
        assertThat(TestHttp.control(sandbox, "POST", "tabs/delete", "{\"spreadsheetId\":\"" + id + "\",\"sheet\":\"Nope\"}").json().get("error").asText())
                .contains("no sheet 'Nope'");
        assertThat(TestHttp.control(sandbox, "GET", "info", null).status()).isEqualTo(200);
        assertThat(TestHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + "/_sandbox/info")).build()).status()).isEqualTo(401);
    }
}
