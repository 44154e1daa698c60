package dev.tributary.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.destination.duckdb.DuckDbDestination;
import dev.tributary.engine.StreamResult;
import dev.tributary.engine.SyncEngine;
import dev.tributary.engine.SyncJob;
import dev.tributary.engine.SyncOptions;
import dev.tributary.engine.SyncResult;
import dev.tributary.sandbox.sheets.SheetsSandbox;
import dev.tributary.sandbox.sheets.SheetsSandboxOptions;
import dev.tributary.source.sheets.SheetsSource;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Sheets sandbox's generated lead sheet (default 100,000 rows x 12 columns) through the {@code sheets} source and
 * the engine into a DuckDB file, in one JVM: requests used, rows/s, peak heap (sandbox included), then an unchanged
 * incremental re-sync (requests). Usage: bench/run-sheets [rows] [page_rows]
 */
public final class SheetsBenchmark {
    private SheetsBenchmark() { }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        int pageRows = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        Path dir = Files.createTempDirectory("sheets-bench");
        try (SheetsSandbox sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(rows).quotasEnabled(false).build())) {
            ObjectNode settings = new ObjectMapper().createObjectNode();
            settings.put("spreadsheet_id", sandbox.leadsSpreadsheetId()).put("base_url", sandbox.baseUrl()).put("page_rows", pageRows)
                    .put("reads_per_minute", 10_000)
                    .put("credentials_file", sandbox.writeServiceAccountKey(dir.resolve("key.json")).toString());
            ObjectNode leads = settings.putObject("streams").putObject("leads");
            leads.put("range", "Leads").put("numbers_from_text", true);
            leads.putArray("key").add("company").add("first_name").add("last_name").add("country");
            leads.putObject("types").put("created", "date").put("deal_size", "number");
            leads.putArray("date_formats").add("yyyy-MM-dd").add("dd/MM/yyyy");
            Config config = Config.of(settings);
            SheetsSource source = new SheetsSource();
            ConfiguredStream stream = ConfiguredStream.defaults("sheets", source.discover(config).stream("leads").orElseThrow())
                    .withModes(SyncMode.INCREMENTAL, dev.tributary.spi.WriteMode.MERGE);
            System.gc();
            sandbox.counters().reset();
            HeapProbe heap = new HeapProbe();
            SyncResult first = sync(source, config, stream, dir);
            heap.stop();
            long requests = sandbox.counters().byRoute().values().stream().mapToLong(Long::longValue).sum();
            StreamResult r = first.streams().get(0);
            System.out.printf("rows in sheet: %,d x 12 columns, page_rows %,d%n", rows, pageRows);
            System.out.printf("first sync: %s, %,d records in %.2f s = %,.0f rows/s, %,d requests (%s), %,d KB received, peak heap %,d MB%n",
                    r.statusLabel(), r.records(), r.duration().toNanos() / 1e9, r.recordsPerSecond(), requests, sandbox.counters().byRoute(),
                    sandbox.counters().bytesOut() >> 10, heap.peakMb());
            sandbox.counters().reset();
            SyncResult again = sync(source, config, stream, dir);
            System.out.printf("unchanged re-sync: %,d records, %,d requests (%s) in %.2f s%n", again.records(),
                    sandbox.counters().byRoute().values().stream().mapToLong(Long::longValue).sum(), sandbox.counters().byRoute(),
                    again.duration().toNanos() / 1e9);
            System.out.printf("peak RSS of this process: %,d MB%n", HeapProbe.peakRssMb());
        }
    }

    private static SyncResult sync(SheetsSource source, Config config, ConfiguredStream stream, Path dir) {
        ObjectNode duck = new ObjectMapper().createObjectNode().put("path", dir.resolve("warehouse.duckdb").toString());
        try (DestinationSession session = new DuckDbDestination().open(Config.of(duck))) {
            SyncResult result = new SyncEngine(SyncOptions.defaults(), e -> { }).run(new SyncJob("sheets", source, config, session, List.of(stream)));
            if (!result.ok()) throw new IllegalStateException("sync failed: " + result);
            return result;
        }
    }
}
