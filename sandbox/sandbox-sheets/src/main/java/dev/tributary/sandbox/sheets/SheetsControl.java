package dev.tributary.sandbox.sheets;

import dev.tributary.sandbox.sheets.data.A1Range;
import dev.tributary.sandbox.sheets.data.Cell;
import dev.tributary.sandbox.sheets.data.Spreadsheet;
import dev.tributary.sandbox.sheets.data.Tab;
import dev.tributary.sandbox.sheets.data.Workbooks;
import dev.tributary.sandbox.sheets.http.Counters;
import dev.tributary.sandbox.sheets.http.Faults;
import dev.tributary.sandbox.sheets.http.GoogleAuth;
import dev.tributary.sandbox.sheets.http.Quotas;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes the sandbox while a source reads it: edit cells, append rows, rename or delete tabs and spreadsheets,
 * revoke credentials, inject faults, switch quotas, advance the clock. Every data change advances the
 * spreadsheet's Drive {@code modifiedTime} and {@code version}. The HTTP control API calls these.
 */
public final class SheetsControl {
    private final Workbooks books;
    private final GoogleAuth auth;
    private final Quotas quotas;
    private final Faults faults;
    private final Counters counters;
    private final SheetsClock clock;

    public SheetsControl(Workbooks books, GoogleAuth auth, Quotas quotas, Faults faults, Counters counters, SheetsClock clock) {
        this.books = books;
        this.auth = auth;
        this.quotas = quotas;
        this.faults = faults;
        this.counters = counters;
        this.clock = clock;
    }

    /** Writes {@code values} (rows of text, numbers, booleans; null or "" clears) starting at the range's top-left cell. */
    public void setValues(String spreadsheetId, String range, List<List<Object>> values) {
        Spreadsheet s = sheet(spreadsheetId);
        A1Range r = A1Range.parse(range, name -> s.tab(name).isPresent());
        Tab tab = tab(s, r.sheet());
        int r0 = r.startRow() == null ? 0 : r.startRow();
        int c0 = r.startColumn() == null ? 0 : r.startColumn();
        for (int i = 0; i < values.size(); i++) {
            List<Object> row = values.get(i);
            for (int j = 0; j < row.size(); j++) s.setCell(tab, r0 + i, c0 + j, Cell.of(row.get(j)), clock.now());
        }
    }

    /** Appends rows after the last row holding data; returns the 1-based number of the first appended row. */
    public int appendRows(String spreadsheetId, String sheetTitle, List<List<Object>> rows) {
        Spreadsheet s = sheet(spreadsheetId);
        Tab tab = tab(s, sheetTitle);
        synchronized (s) {
            int first = tab.lastDataRowExclusive();
            for (int i = 0; i < rows.size(); i++) {
                List<Object> row = rows.get(i);
                for (int j = 0; j < row.size(); j++) s.setCell(tab, first + i, j, Cell.of(row.get(j)), clock.now());
            }
            return first + 1;
        }
    }

    public void renameTab(String spreadsheetId, String sheetTitle, String newTitle) {
        Spreadsheet s = sheet(spreadsheetId);
        s.renameTab(tab(s, sheetTitle), newTitle, clock.now());
    }

    public void deleteTab(String spreadsheetId, String sheetTitle) {
        Spreadsheet s = sheet(spreadsheetId);
        s.deleteTab(tab(s, sheetTitle), clock.now());
    }

    public void deleteSpreadsheet(String spreadsheetId) {
        sheet(spreadsheetId).delete(clock.now());
    }

    /** Deletes the service account's key (assertions then fail "Invalid JWT Signature." and its tokens stop working); false restores it. */
    public void revokeServiceAccountKey(boolean revoked) { auth.revokeServiceAccountKey(revoked); }
    public void revokeRefreshToken(boolean revoked) { auth.revokeRefreshToken(revoked); }
    public void revokeApiKey(boolean revoked) { auth.revokeApiKey(revoked); }
    public void expireAccessTokens() { auth.expireAccessTokens(); }

    public void setErrorRate(double rate) { faults.errorRate(rate); }
    public void setLatency(Duration latency) { faults.latencyMillis(latency.toMillis()); }
    public void dropConnections(int n) { faults.dropConnections(n); }
    public void storm429(int n) { faults.storm429(n); }
    public void serverErrors(int n) { faults.serverErrors(n); }
    public void outage(boolean on) { faults.outage(on); }
    public void clearFaults() { faults.clear(); }

    public void setQuotasEnabled(boolean on) { quotas.enabled(on); }
    public void setQuotas(int perProjectPerMinute, int perUserPerMinute) { quotas.limits(perProjectPerMinute, perUserPerMinute); }
    public void resetQuotas() { quotas.reset(); }
    public void advanceClock(Duration by) { clock.advance(by); }

    public Counters counters() { return counters; }
    /** The service-account key file, token_uri included (the control API hands it to scripts). */
    public String serviceAccountKeyJson() { return auth.serviceAccountKeyJson(); }

    public Map<String, Object> info() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Spreadsheet s : books.all()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("title", s.title());
            one.put("deleted", s.deleted());
            one.put("modifiedTime", s.modifiedTime().toString());
            one.put("version", s.version());
            one.put("tabs", s.tabs().stream().map(t -> t.title() + " (" + t.lastDataRowExclusive() + " rows)").toList());
            out.put(s.id(), one);
        }
        out.put("quotas", Map.of("enabled", quotas.enabled(), "perProjectPerMinute", quotas.perProject(), "perUserPerMinute", quotas.perUser()));
        out.put("outage", faults.outage());
        return out;
    }

    private Spreadsheet sheet(String id) {
        return books.get(id).orElseThrow(() -> new IllegalArgumentException("no spreadsheet " + id + " in this sandbox"));
    }

    private static Tab tab(Spreadsheet s, String title) {
        if (title == null) return s.firstTab();
        return s.tab(title).orElseThrow(() -> new IllegalArgumentException("no sheet '" + title + "' in spreadsheet " + s.id()
                + "; it has " + s.tabs().stream().map(Tab::title).toList()));
    }
}
