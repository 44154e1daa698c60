package dev.tributary.source.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.http.Sleeper;
import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.ConnectorSpec.Setting;
import dev.tributary.spi.Schema;
import dev.tributary.spi.SecretStore;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Google Sheets ({@code type: sheets}): one stream per configured tab or range (or per tab), spreadsheet-style
 * records, incremental by the spreadsheet's Drive modifiedTime, and an optional CSV/JSON export as a fallback when
 * the API is unusable. See the module README.
 */
public final class SheetsSource implements Source {
    private static final System.Logger LOG = System.getLogger(SheetsSource.class.getName());
    private static final ConnectorSpec SPEC = new ConnectorSpec("sheets",
            "Google Sheets: tabs and ranges as tables, incremental by modified time, with a CSV/JSON export as fallback",
            List.of(
                    new Setting("spreadsheet_id", true, false, "the id in the spreadsheet's URL (between /d/ and /edit)"),
                    new Setting("base_path", false, false, "folder that credentials_file and fallback paths are relative to (a project sets its own folder)"),
                    new Setting("credentials_file", false, false, "a service-account key file (JSON); share the sheet with its client_email"),
                    new Setting("api_key", false, true, "an API key (sheets shared with anyone who has the link)"),
                    new Setting("client_id", false, true, "OAuth client id (with client_secret and refresh_token)"),
                    new Setting("client_secret", false, true, "OAuth client secret"),
                    new Setting("refresh_token", false, true, "a user's OAuth refresh token; a new one Google issues is kept in the project's secret store"),
                    new Setting("token_uri", false, false, "OAuth token endpoint for refresh tokens (default " + SheetsConfig.DEFAULT_TOKEN_URI + ")"),
                    new Setting("base_url", false, false, "Sheets API root (default " + SheetsConfig.DEFAULT_BASE_URL + "; the sandbox's URL in tests)"),
                    new Setting("drive_url", false, false, "Drive API root (default " + SheetsConfig.DEFAULT_DRIVE_URL + ", or base_url when that is set)"),
                    new Setting("streams", false, false, "streams by name: range, header_row, columns, types, key, numbers_from_text, trim, date_formats, fallback"),
                    new Setting("numbers_from_text", false, false, "read numbers typed as text (\"1,200\", \"1.200,50\") as numbers (default false)"),
                    new Setting("decimal_separator", false, false, "'.' or ',': which separator is the decimal one in numbers typed as text (default: unsaid, so a lone \"1.200\" is ambiguous and kept raw)"),
                    new Setting("page_rows", false, false, "rows per request (default 5000)"),
                    new Setting("reads_per_minute", false, false, "Sheets read requests per minute this connection makes at most (default 60, Google's per-user quota)"),
                    new Setting("quota_wait_seconds", false, false, "how long to keep backing off on 429 before the quota counts as exhausted (default 120)"),
                    new Setting("max_attempts", false, false, "tries per request on 5xx and dropped connections (default 6)")),
            Set.of(ConnectorSpec.Capability.INCREMENTAL));

    private final Clock clock;
    private final Sleeper sleeper;
    private volatile SecretStore secrets = SecretStore.inMemory();

    public SheetsSource() {
        this(Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /** A source that reads time from {@code clock} and waits with {@code sleeper} (tests make waits instant). */
    public SheetsSource(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public void useSecrets(SecretStore store) {
        this.secrets = java.util.Objects.requireNonNull(store, "store is null");
    }

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public void validate(Config config) {
        SheetsConfig c = SheetsConfig.from(config);
        for (SheetsConfig.StreamConfig s : c.streams().values()) {
            try {
                SheetRange.parse(s.range());
            } catch (IllegalArgumentException e) {
                throw config.error("streams", s.name() + ".range: " + e.getMessage());
            }
        }
    }

    @Override
    public CheckResult check(Config config) {
        try {
            SheetsConfig c = SheetsConfig.from(config);
            SheetsClient client = SheetsClient.of(c, clock, sleeper, secrets);
            List<SheetsClient.TabInfo> tabs = client.tabs(); // Sheets says 403 where Drive hides the file behind a 404
            SheetsClient.FileVersion v = client.fileVersion();
            return CheckResult.ok("read spreadsheet " + c.spreadsheetId() + " at " + c.baseUrl() + " with " + c.credentials().describe()
                    + ": tabs " + tabs.stream().map(SheetsClient.TabInfo::title).toList() + ", modified " + v.modifiedTime());
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof dev.tributary.http.ApiException a && (a.status() == 403 || a.status() == 404)) {
                m += " (is the spreadsheet id right, and is the sheet shared with the account these credentials sign in as?)";
            }
            return CheckResult.failed(m);
        }
    }

    @Override
    public Catalog discover(Config config) {
        SheetsConfig c = SheetsConfig.from(config);
        SheetsClient client = SheetsClient.of(c, clock, sleeper, secrets);
        List<StreamDescriptor> out = new ArrayList<>();
        List<SheetsClient.TabInfo> tabs = null;
        RuntimeException apiFailure = null;
        if (c.streams().isEmpty()) {
            // every tab: list them (configured streams skip this request: a sync discovers before every run)
            try {
                tabs = client.tabs();
            } catch (RuntimeException e) {
                if (!ApiUnusable.is(e)) throw e;
                apiFailure = e;
            }
        }
        for (SheetsConfig.StreamConfig s : streams(c, tabs, apiFailure).values()) {
            // only an account-level failure (auth, permission, spreadsheet gone, quota, transport) carries to the
            // streams after it; one stream's missing tab or refused range is that stream's alone
            RuntimeException failure = apiFailure;
            if (failure == null) {
                try {
                    out.add(fromApi(client, c, s, tabs));
                    client.markUsable();
                    continue;
                } catch (RuntimeException e) {
                    if (!ApiUnusable.is(e) || s.fallback().isEmpty()) throw e;
                    failure = e;
                    if (ApiUnusable.accountLevel(e)) apiFailure = e;
                }
            }
            if (s.fallback().isEmpty()) throw failure;
            if (ApiUnusable.accountLevel(failure)) client.markUnusable(ApiUnusable.reason(failure));
            LOG.log(System.Logger.Level.WARNING, "stream " + s.name() + ": " + (ApiUnusable.accountLevel(failure) ? "the Google Sheets API is unusable (" : "its range cannot be read (")
                    + ApiUnusable.reason(failure) + "); its columns come from the fallback " + s.fallback().get().path());
            out.add(fromFallback(s));
        }
        return new Catalog(out);
    }

    private static Map<String, SheetsConfig.StreamConfig> streams(SheetsConfig c, List<SheetsClient.TabInfo> tabs, RuntimeException apiFailure) {
        if (!c.streams().isEmpty()) return c.streams();
        if (tabs == null) throw apiFailure;
        Map<String, SheetsConfig.StreamConfig> out = new LinkedHashMap<>();
        for (SheetsClient.TabInfo t : tabs) {
            String name = SheetsConfig.columnName(t.title());
            if (name.isEmpty() || out.containsKey(name)) name = "sheet_" + t.sheetId();
            out.put(name, new SheetsConfig.StreamConfig(name, SheetRange.quote(t.title()), 1, List.of(), Map.of(), List.of(), false, true,
                    List.of("yyyy-MM-dd"), Optional.empty()));
        }
        return out;
    }

    private static StreamDescriptor fromApi(SheetsClient client, SheetsConfig c, SheetsConfig.StreamConfig s, List<SheetsClient.TabInfo> tabs) {
        SheetRange range = SheetRange.parse(s.range());
        int headerRow = s.headerRow() == 0 ? 0 : range.startRow() + s.headerRow() - 1;
        int first = headerRow == 0 ? range.startRow() : headerRow;
        JsonNode page;
        try {
            page = client.values(range.rows(first, first + 200));
        } catch (dev.tributary.http.ApiException e) {
            // "Unable to parse range" for a tab that is gone: say which tabs there are
            if (e.status() == 400) findTab(tabs != null ? tabs : client.tabs(), range.tab(), c.spreadsheetId());
            throw e;
        }
        JsonNode header = headerRow == 0 || page.isEmpty() ? null : page.get(0);
        String where = "sheets:" + c.spreadsheetId() + "/" + SheetRange.quote(range.tab()) + (headerRow > 0 ? "!" + headerRow + ":" + headerRow : "");
        List<String> columns = SheetRows.columnNames(s, where, header, headerRow, page.isEmpty());
        List<JsonNode> sample = new ArrayList<>();
        for (int i = headerRow == 0 ? 0 : 1; i < page.size(); i++) sample.add(page.get(i));
        Schema schema = SheetRows.schema(s, columns, s.fallback().isPresent() ? List.of() : sample, where);
        if (s.fallback().isEmpty() && !sample.isEmpty()) {
            int dataFrom = headerRow == 0 ? first : first + 1;
            schema = typesFromFormats(client, s, range, schema, columns, dataFrom, first + 200);
        }
        return descriptor(s, schema);
    }

    /**
     * Dates are numbers (serial days) to the values API, so a date column samples as integers: an undeclared column
     * inferred as a number is checked against its cells' number formats, and one Google formats as dates becomes a
     * date (DATE_TIME: a timestamp); one with times or a mix of date and other formats becomes text, never a number.
     * Costs one more Sheets read, only when some undeclared column sampled as numbers.
     */
    private static Schema typesFromFormats(SheetsClient client, SheetsConfig.StreamConfig s, SheetRange range, Schema schema,
            List<String> columns, int from, int to) {
        List<Integer> numeric = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            var type = schema.fields().get(i).type();
            if (!s.types().containsKey(columns.get(i)) && (type == dev.tributary.spi.DataType.INTEGER || type == dev.tributary.spi.DataType.NUMBER)) numeric.add(i);
        }
        if (numeric.isEmpty()) return schema;
        List<List<String>> formats = client.numberFormatTypes(range.rows(from, to));
        List<dev.tributary.spi.Field> fields = new ArrayList<>(schema.fields());
        for (int i : numeric) {
            Set<String> types = new java.util.TreeSet<>();
            for (List<String> row : formats) if (i < row.size() && !row.get(i).isEmpty()) types.add(row.get(i));
            boolean dates = types.contains("DATE") || types.contains("DATE_TIME") || types.contains("TIME");
            if (!dates) continue;
            var type = types.equals(Set.of("DATE")) ? dev.tributary.spi.DataType.DATE
                    : types.equals(Set.of("DATE_TIME")) ? dev.tributary.spi.DataType.TIMESTAMP : dev.tributary.spi.DataType.TEXT;
            LOG.log(System.Logger.Level.INFO, "stream " + s.name() + ": column " + columns.get(i) + " holds cells formatted as " + types
                    + ", so it is " + type.name().toLowerCase(java.util.Locale.ROOT) + ", not a number (declare it in types: to choose)");
            fields.set(i, dev.tributary.spi.Field.of(columns.get(i), type));
        }
        return new Schema(fields, schema.primaryKey());
    }

    private static StreamDescriptor fromFallback(SheetsConfig.StreamConfig s) {
        List<Path> files = FallbackFiles.find(s.fallback().get().path());
        List<String> columns = !s.columns().isEmpty() ? s.columns() : FallbackFiles.header(files.get(0), s.fallback().get());
        return descriptor(s, SheetRows.schema(s, columns, List.of(), s.fallback().get().path()));
    }

    private static StreamDescriptor descriptor(SheetsConfig.StreamConfig s, Schema schema) {
        Set<SyncMode> modes = s.key().isEmpty() ? Set.of(SyncMode.FULL_REFRESH) : Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL);
        return new StreamDescriptor(new StreamId("", s.name()), schema, modes, Optional.empty());
    }

    static SheetsClient.TabInfo findTab(List<SheetsClient.TabInfo> tabs, String title, String spreadsheetId) {
        return tabs.stream().filter(t -> t.title().equalsIgnoreCase(title)).findFirst()
                .orElseThrow(() -> new ApiUnusable.SheetGone("no tab '" + title + "' in spreadsheet " + spreadsheetId + " (renamed or deleted?); its tabs are "
                        + tabs.stream().map(SheetsClient.TabInfo::title).toList()));
    }

    @Override
    public StreamReader read(Config config, ConfiguredStream stream, Optional<StreamState> resumeFrom) {
        SheetsConfig c = SheetsConfig.from(config);
        SheetsClient client = SheetsClient.of(c, clock, sleeper, secrets);
        String name = stream.id().name();
        SheetsConfig.StreamConfig s = c.streams().get(name);
        if (s == null) {
            if (!c.streams().isEmpty()) throw config.error("streams", "no stream '" + name + "' configured; streams are " + c.streams().keySet());
            s = streams(c, client.tabs(), null).get(name);
            if (s == null) throw config.error("streams", "no tab becomes stream '" + name + "' in spreadsheet " + c.spreadsheetId());
        }
        if (stream.syncMode() == SyncMode.INCREMENTAL && stream.writeMode() == dev.tributary.spi.WriteMode.APPEND) {
            // a changed spreadsheet is read whole again (Sheets has no row-level change feed): appended, every row doubles
            throw config.error("streams", "stream '" + name + "' is incremental with write_mode append, which would add every row of the sheet again "
                    + "whenever anyone edits it (an incremental read of a changed spreadsheet reads all of it); use write_mode merge "
                    + "(the default with a key) or sync_mode full_refresh");
        }
        return new SheetsStreamReader(client, c, s, stream.id(), stream.syncMode(), resumeFrom, stream.schema());
    }
}
