package dev.tributary.source.sheets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.Sleeper;
import dev.tributary.sandbox.sheets.SheetsSandbox;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test helpers: a source on the sandbox's clock whose waits move that clock (no test sleeps), configs, reads. */
final class SheetsSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "[company, first_name, last_name, country]";

    private SheetsSupport() { }

    static Clock clockOf(SheetsSandbox sandbox) {
        return new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return sandbox.clock().now(); }
        };
    }

    static SheetsSource source(SheetsSandbox sandbox) {
        Sleeper advance = d -> sandbox.control().advanceClock(d);
        return new SheetsSource(clockOf(sandbox), advance);
    }

    /** Settings with the service-account key file written to {@code dir}. */
    static ObjectNode settings(SheetsSandbox sandbox, Path dir) {
        ObjectNode o = JSON.createObjectNode();
        o.put("spreadsheet_id", sandbox.leadsSpreadsheetId());
        o.put("base_url", sandbox.baseUrl());
        o.put("credentials_file", sandbox.writeServiceAccountKey(dir.resolve("sa-" + sandbox.port() + ".json")).toString());
        return o;
    }

    /** The leads stream as story 5 configures it. */
    static ObjectNode leadsStream(ObjectNode settings) {
        ObjectNode s = settings.with("streams").putObject("leads");
        s.put("range", "Leads");
        s.putArray("key").add("company").add("first_name").add("last_name").add("country");
        ObjectNode types = s.putObject("types");
        types.put("created", "date");
        types.put("deal_size", "number");
        s.put("numbers_from_text", true);
        s.putArray("date_formats").add("yyyy-MM-dd").add("dd/MM/yyyy");
        return s;
    }

    static Config config(ObjectNode settings) {
        return Config.of(settings.deepCopy());
    }

    record Read(List<Record> records, List<Rejection> rejections, List<StreamState> checkpoints, Schema schema, Optional<String> fallback) {
        Optional<StreamState> lastState() {
            return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
        }

        Object value(Record r, String column) {
            return r.value(schema.indexOf(column));
        }

        List<Object> column(String column) {
            return records.stream().map(r -> value(r, column)).toList();
        }
    }

    static ConfiguredStream stream(SheetsSource source, Config config, String name, SyncMode mode) {
        var d = source.discover(config).stream(name).orElseThrow();
        var defaults = ConfiguredStream.defaults("sheets", d);
        return defaults.withModes(mode, defaults.writeMode());
    }

    static Read read(SheetsSource source, Config config, ConfiguredStream stream, Optional<StreamState> from) {
        List<Record> out = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        List<StreamState> states = new ArrayList<>();
        Schema schema = stream.schema();
        Optional<String> fallback;
        try (StreamReader r = source.read(config, stream, from)) {
            for (Optional<RecordBatch> b = r.next(); b.isPresent(); b = r.next()) {
                out.addAll(b.get().records());
                rejections.addAll(b.get().rejections());
                b.get().checkpoint().ifPresent(states::add);
                schema = b.get().schema();
            }
            fallback = r.fallbackReason();
        }
        return new Read(out, rejections, states, schema, fallback);
    }

    static Path writeFile(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
