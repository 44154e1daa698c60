package dev.tributary.source.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.DataException;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one stream page by page ({@code page_rows} rows per request). Incremental: first asks Drive for the
 * spreadsheet's modifiedTime, and an unchanged spreadsheet ends the read there (one request). Each page is a batch
 * with a checkpoint, so a killed run resumes at the next page if the spreadsheet has not changed meanwhile.
 *
 * <p>When the API is unusable before the first page is read and the stream has a fallback, the fallback files are
 * read instead: every record says so in {@code served_by}, and {@link #fallbackReason()} tells the engine why. When
 * the fallback fails too, the stream fails with both reasons.
 */
final class SheetsStreamReader implements StreamReader {
    private static final System.Logger LOG = System.getLogger(SheetsStreamReader.class.getName());
    static final String API_SOURCE = "sheets";

    private final SheetsClient client;
    private final SheetsConfig config;
    private final SheetsConfig.StreamConfig stream;
    private final StreamId id;
    private final boolean incremental;
    private final Optional<SheetsState> resume;
    private final Schema configuredSchema;
    private final SheetRange range;

    private boolean started;
    private boolean done;
    private String fallbackReason;
    private List<RecordBatch> fallbackBatches;
    private SheetRows rows;
    private SheetsClient.FileVersion version;
    private SheetsClient.TabInfo tab;
    private int nextRow;
    private int lastRow;
    private JsonNode firstPage;

    SheetsStreamReader(SheetsClient client, SheetsConfig config, SheetsConfig.StreamConfig stream, StreamId id, SyncMode mode,
            Optional<StreamState> resumeFrom, Schema configuredSchema) {
        this.client = client;
        this.config = config;
        this.stream = stream;
        this.id = id;
        this.incremental = mode == SyncMode.INCREMENTAL;
        this.resume = incremental ? resumeFrom.map(SheetsState.CODEC::fromState) : Optional.empty();
        this.configuredSchema = configuredSchema;
        this.range = SheetRange.parse(stream.range());
    }

    @Override
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    @Override
    public Optional<RecordBatch> next() {
        if (done) return Optional.empty();
        if (!started) {
            started = true;
            try {
                start();
            } catch (RuntimeException e) {
                if (!ApiUnusable.is(e) || stream.fallback().isEmpty()) throw e;
                useFallback(ApiUnusable.reason(e), ApiUnusable.accountLevel(e));
            }
            if (done) return Optional.empty();
        }
        if (fallbackBatches != null) {
            if (fallbackBatches.isEmpty()) {
                done = true;
                return Optional.empty();
            }
            return Optional.of(fallbackBatches.remove(0));
        }
        return Optional.of(page());
    }

    private void start() {
        String unusable = client.recentlyUnusable();
        if (unusable != null && stream.fallback().isPresent()) throw new ApiUnusable.StillUnusable(unusable);
        version = client.fileVersion();
        if (resume.isPresent() && resume.get().complete() && resume.get().modifiedTime().equals(version.modifiedTime())) {
            LOG.log(System.Logger.Level.INFO, "stream " + id + ": spreadsheet unchanged since " + version.modifiedTime() + "; nothing to read");
            done = true;
            return;
        }
        tab = SheetsSource.findTab(client.tabs(), range.tab(), config.spreadsheetId());
        lastRow = range.endRow() != null ? Math.min(range.endRow(), tab.rowCount()) : tab.rowCount();
        int headerRow = stream.headerRow() == 0 ? 0 : range.startRow() + stream.headerRow() - 1;
        int dataStart = headerRow == 0 ? range.startRow() : headerRow + 1;
        boolean midway = resume.isPresent() && !resume.get().complete() && resume.get().modifiedTime().equals(version.modifiedTime())
                && resume.get().nextRow() > dataStart;
        JsonNode header = null;
        if (headerRow > 0 && (midway || !stream.columns().isEmpty())) {
            if (stream.columns().isEmpty()) {
                JsonNode h = client.values(range.rows(headerRow, headerRow, tab.columnCount()));
                header = h.isEmpty() ? null : h.get(0);
            }
            nextRow = midway ? resume.get().nextRow() : dataStart;
        } else if (headerRow > 0) {
            // the header comes with the first page: one request fewer
            int to = Math.min(lastRow, headerRow + config.pageRows());
            JsonNode page = client.values(range.rows(headerRow, Math.max(to, headerRow), tab.columnCount()));
            header = page.isEmpty() ? null : page.get(0);
            firstPage = page;
            nextRow = dataStart;
        } else {
            nextRow = midway ? resume.get().nextRow() : dataStart;
        }
        // no header and nothing below it: a completely empty sheet, zero records (asked only when it matters)
        boolean rangeEmpty = stream.columns().isEmpty() && header == null && (firstPage != null ? firstPage.isEmpty()
                : lastRow < nextRow || client.values(range.rows(nextRow, Math.min(lastRow, nextRow + 50), tab.columnCount())).isEmpty());
        List<String> columns = SheetRows.columnNames(stream, where(headerRow), header, headerRow, rangeEmpty);
        List<JsonNode> sample = new ArrayList<>();
        if (firstPage != null) for (int i = 1; i < firstPage.size() && i < 500; i++) sample.add(firstPage.get(i));
        Schema live = SheetRows.schema(stream, columns, stream.fallback().isPresent() ? List.of() : sample, where(headerRow));
        rows = new SheetRows(stream, SheetRows.withNewColumns(configuredSchema, live), columns);
    }

    private RecordBatch page() {
        int from = nextRow;
        int to = Math.min(lastRow, from + config.pageRows() - 1);
        JsonNode values;
        int firstRowNumber = from;
        if (firstPage != null) {
            values = firstPage;
            firstRowNumber = from - 1; // the header row leads the first page
            to = Math.min(lastRow, from - 1 + config.pageRows());
            firstPage = null;
        } else if (from > lastRow) {
            values = SheetsClient.JSON.createArrayNode();
        } else {
            values = client.values(range.rows(from, to, tab.columnCount()));
        }
        List<Record> records = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            int rowNumber = firstRowNumber + i;
            if (rowNumber < from) continue;
            Record r = rows.record(values.get(i), rowNumber, origin(rowNumber), API_SOURCE, rejections);
            if (r != null) records.add(r);
        }
        nextRow = Math.max(to, from - 1) + 1;
        boolean complete = nextRow > lastRow;
        if (complete) done = true;
        Optional<StreamState> checkpoint = incremental
                ? Optional.of(SheetsState.CODEC.toState(id, new SheetsState(version.modifiedTime(), version.version(), nextRow, complete)))
                : Optional.empty();
        return new RecordBatch(rows.schema(), records, rejections, checkpoint);
    }

    private void useFallback(String apiReason, boolean accountLevel) {
        SheetsConfig.Fallback f = stream.fallback().orElseThrow();
        LOG.log(System.Logger.Level.WARNING, "stream " + id + ": the Google Sheets API is unusable (" + apiReason + "); reading the fallback " + f.path());
        if (accountLevel) client.markUnusable(apiReason); // a tab gone is this stream's problem, not the other streams'
        try {
            List<Path> files = FallbackFiles.find(f.path());
            List<String> columns = !stream.columns().isEmpty() ? stream.columns() : FallbackFiles.header(files.get(0), f);
            Schema live = SheetRows.schema(stream, columns, List.of(), f.path());
            SheetsConfig.StreamConfig asText = new SheetsConfig.StreamConfig(stream.name(), stream.range(), stream.headerRow(), stream.columns(),
                    stream.types(), stream.key(), true, stream.trimText(), withExportDates(stream.dateFormats()), stream.fallback(),
                    stream.decimalSeparator());
            SheetRows fileRows = new SheetRows(asText, SheetRows.withNewColumns(configuredSchema, live), columns);
            // every file must have every column of the stream: a missing one would load as NULL and, merged, overwrite good values
            List<String> wanted = new ArrayList<>();
            for (dev.tributary.spi.Field field : SheetRows.withNewColumns(configuredSchema, live).fields()) {
                String n = field.name();
                if (!n.equals(SheetRows.ROW) && !n.equals(SheetRows.SOURCE) && !n.equals(SheetRows.INVALID)) wanted.add(n);
            }
            List<String> fileNotes = new ArrayList<>();
            List<String> stale = new ArrayList<>();
            java.time.Instant apiRead = resume.map(SheetsState::modifiedTime).orElse(java.time.Instant.EPOCH);
            for (Path file : files) {
                java.util.Set<String> has = FallbackFiles.columnsIn(file, f);
                List<String> missing = wanted.stream().filter(c -> !has.contains(c)).toList();
                if (!missing.isEmpty()) {
                    throw new DataException(file.toString(), "the fallback file lacks column" + (missing.size() == 1 ? " " : "s ") + missing
                            + " of stream " + id.name() + " (it has " + has + "); loading it would set " + (missing.size() == 1 ? "that column" : "those columns")
                            + " to NULL in every row and overwrite the values already loaded");
                }
                java.time.Instant modified = FallbackFiles.modified(file);
                fileNotes.add(file.getFileName() + " modified " + modified);
                if (modified.isBefore(apiRead)) stale.add(file.getFileName() + " (modified " + modified + ")");
            }
            List<RecordBatch> batches = new ArrayList<>();
            for (Path file : files) {
                List<Record> records = new ArrayList<>();
                List<Rejection> rejections = new ArrayList<>();
                int n = 1;
                for (FallbackFiles.Row row : FallbackFiles.rows(file, f, columns)) {
                    n++;
                    Record r = fileRows.record(row.cells(), n, row.origin(), "fallback:" + file, rejections);
                    if (r != null) records.add(r);
                }
                batches.add(new RecordBatch(fileRows.schema(), records, rejections, Optional.empty()));
            }
            // keep the API state as it was: the next run with a working API reads the sheet again (merge keeps rows single)
            // (next_row 1: from the top, whatever page an earlier API read had reached)
            Optional<StreamState> keep = resume.map(s -> SheetsState.CODEC.toState(id, new SheetsState(s.modifiedTime(), s.version(), 1, false)));
            if (incremental) {
                RecordBatch last = batches.remove(batches.size() - 1);
                batches.add(new RecordBatch(last.schema(), last.records(), last.rejections(),
                        Optional.of(keep.orElse(SheetsState.CODEC.toState(id, new SheetsState(java.time.Instant.EPOCH, 0, 1, false))))));
            }
            fallbackBatches = batches;
            fallbackReason = (accountLevel ? "Google Sheets API unusable (" : "Google Sheets range unreadable (") + apiReason + "); served from fallback " + f.path()
                    + " (" + files.size() + (files.size() == 1 ? " file: " : " files: ") + shortList(fileNotes) + ")"
                    + (stale.isEmpty() ? "" : "; WARNING: " + (files.size() == 1 ? "" : stale.size() + " of " + files.size() + " files ")
                            + "older than the spreadsheet as last read from the API (modified " + apiRead + "): "
                            + shortList(stale) + ", so their rows may overwrite newer values");
            if (!stale.isEmpty()) LOG.log(System.Logger.Level.WARNING, "stream " + id + ": " + fallbackReason);
        } catch (RuntimeException fallbackFailure) {
            throw new DataException("sheets:" + config.spreadsheetId(), "stream " + id.name() + " failed: the Google Sheets API is unusable ("
                    + apiReason + ") and its fallback failed too (" + fallbackFailure.getMessage() + ")", fallbackFailure);
        }
    }

    /** Up to four items, then how many more (a folder of weekly exports would make a reason pages long). */
    private static String shortList(List<String> items) {
        if (items.size() <= 4) return String.join(", ", items);
        return String.join(", ", items.subList(0, 2)) + ", ... (" + (items.size() - 3) + " more), " + items.get(items.size() - 1);
    }

    private static List<String> withExportDates(List<String> formats) {
        List<String> out = new ArrayList<>(formats);
        if (!out.contains("M/d/yyyy")) out.add("M/d/yyyy"); // Sheets' CSV export writes dates as an en_US sheet shows them
        return out;
    }

    private String where(int headerRow) {
        return "sheets:" + config.spreadsheetId() + "/" + SheetRange.quote(range.tab()) + (headerRow > 0 ? "!" + headerRow + ":" + headerRow : "");
    }

    private String origin(int rowNumber) {
        return "sheets:" + SheetRange.quote(tab.title()) + "!" + rowNumber;
    }

    @Override
    public void close() {
        fallbackBatches = null;
    }
}
