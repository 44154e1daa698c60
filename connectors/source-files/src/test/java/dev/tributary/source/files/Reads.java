package dev.tributary.source.files;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one read of a stream yields, batch by batch, with helpers to look at it. */
record Reads(List<RecordBatch> batches) {
    static final FilesSource SOURCE = new FilesSource();

    static Schema discover(Config config, String stream) {
        return SOURCE.discover(config).stream(stream).orElseThrow().schema();
    }

    static ConfiguredStream configured(Config config, String stream, SyncMode mode) {
        StreamDescriptor d = SOURCE.discover(config).stream(stream).orElseThrow();
        ConfiguredStream defaults = ConfiguredStream.defaults("test", d);
        return defaults.withModes(mode, defaults.writeMode());
    }

    static Reads read(Config config, String stream) {
        return read(config, configured(config, stream, SyncMode.FULL_REFRESH), Optional.empty());
    }

    static Reads read(Config config, ConfiguredStream stream, Optional<StreamState> from) {
        List<RecordBatch> out = new ArrayList<>();
        try (StreamReader reader = SOURCE.read(config, stream, from)) {
            for (Optional<RecordBatch> b = reader.next(); b.isPresent(); b = reader.next()) out.add(b.get());
        }
        return new Reads(out);
    }

    List<Record> records() {
        return batches.stream().flatMap(b -> b.records().stream()).toList();
    }

    List<Rejection> rejections() {
        return batches.stream().flatMap(b -> b.rejections().stream()).toList();
    }

    /** Each record as column name to value (nulls left out), by the schema of its batch. */
    List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RecordBatch b : batches) {
            List<String> names = b.schema().fieldNames();
            for (Record r : b.records()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    if (r.value(i) != null) row.put(names.get(i), r.value(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    List<Object> column(String name) {
        return rows().stream().map(r -> r.get(name)).toList();
    }

    Schema lastSchema() {
        return batches.get(batches.size() - 1).schema();
    }

    Optional<StreamState> lastState() {
        for (int i = batches.size() - 1; i >= 0; i--) {
            if (batches.get(i).checkpoint().isPresent()) return batches.get(i).checkpoint();
        }
        return Optional.empty();
    }
}
