package dev.tributary.source.jdbc;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What reads of a stream yield, batch by batch, with helpers to look at it. */
record Reads(List<RecordBatch> batches) {
    static ConfiguredStream configured(Source source, Config config, String stream, SyncMode mode) {
        StreamDescriptor d = source.discover(config).stream(stream).orElseThrow(() -> new AssertionError("no stream " + stream));
        ConfiguredStream defaults = ConfiguredStream.defaults("test", d);
        return defaults.withModes(mode, defaults.writeMode());
    }

    static Reads read(Source source, Config config, String stream, SyncMode mode) {
        return read(source, config, configured(source, config, stream, mode), Optional.empty());
    }

    static Reads read(Source source, Config config, ConfiguredStream stream, Optional<StreamState> from) {
        List<RecordBatch> out = new ArrayList<>();
        try (StreamReader reader = source.read(config, stream, from.map(s -> StreamState.fromJson(s.toJson())))) {
            for (Optional<RecordBatch> b = reader.next(); b.isPresent(); b = reader.next()) out.add(b.get());
        }
        return new Reads(out);
    }

    /** The first {@code batches} batches of a read, then the reader is closed (a stop mid-stream). */
    static Reads readSome(Source source, Config config, ConfiguredStream stream, Optional<StreamState> from, int batches) {
        List<RecordBatch> out = new ArrayList<>();
        try (StreamReader reader = source.read(config, stream, from)) {
            for (int i = 0; i < batches; i++) reader.next().ifPresent(out::add);
        }
        return new Reads(out);
    }

    List<Record> records() {
        return batches.stream().flatMap(b -> b.records().stream()).toList();
    }

    List<Rejection> rejections() {
        return batches.stream().flatMap(b -> b.rejections().stream()).toList();
    }

    /** Each record as column name to value (nulls kept), by the schema of its batch. */
    List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RecordBatch b : batches) {
            List<String> names = b.schema().fieldNames();
            for (Record r : b.records()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) row.put(names.get(i), r.value(i));
                out.add(row);
            }
        }
        return out;
    }

    /** The values of one column, in the order read. */
    List<Object> column(String name) {
        return rows().stream().map(r -> r.get(name)).toList();
    }

    Optional<StreamState> lastCheckpoint() {
        Optional<StreamState> last = Optional.empty();
        for (RecordBatch b : batches) {
            if (b.checkpoint().isPresent()) last = b.checkpoint();
        }
        return last;
    }
}
