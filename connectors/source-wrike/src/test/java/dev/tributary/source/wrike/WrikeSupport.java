package dev.tributary.source.wrike;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.Sleeper;
import dev.tributary.sandbox.wrike.WrikeSandbox;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test helpers: a source on the sandbox's clock whose waits move that clock (no test sleeps), settings, reads. */
final class WrikeSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private WrikeSupport() {}

    static Clock clockOf(WrikeSandbox sandbox) {
        return new Clock() {
            @Override
            public ZoneId getZone() { return ZoneOffset.UTC; }

            @Override
            public Clock withZone(ZoneId zone) { return this; }

            @Override
            public Instant instant() { return sandbox.clock().now(); }
        };
    }

    static WrikeSource source(WrikeSandbox sandbox) {
        Sleeper advance = d -> sandbox.control().advanceClock(d);
        return new WrikeSource(clockOf(sandbox), advance);
    }

    /** A permanent-token connection to the sandbox. */
    static ObjectNode permanent(WrikeSandbox sandbox) {
        ObjectNode o = JSON.createObjectNode();
        o.put("access_token", sandbox.permanentToken());
        o.put("base_url", sandbox.apiBaseUrl());
        return o;
    }

    /** An OAuth connection: base_url is the US host; the token answer names the account's host. */
    static ObjectNode oauth(WrikeSandbox sandbox) {
        ObjectNode o = JSON.createObjectNode();
        o.put("client_id", sandbox.clientId());
        o.put("client_secret", sandbox.clientSecret());
        o.put("refresh_token", sandbox.consent());
        o.put("base_url", sandbox.baseUrl() + "/api/v4");
        return o;
    }

    static Config config(ObjectNode settings) {
        return Config.of(settings.deepCopy());
    }

    record Read(List<Record> records, List<StreamState> checkpoints, List<RecordBatch> batches) {
        Optional<StreamState> lastState() {
            return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
        }

        List<Record> live() { return records.stream().filter(r -> !r.isDeleted()).toList(); }
        List<Record> deleted() { return records.stream().filter(Record::isDeleted).toList(); }
    }

    static ConfiguredStream stream(WrikeSource source, Config config, String name, SyncMode mode) {
        var d = source.discover(config).stream(name).orElseThrow();
        var defaults = ConfiguredStream.defaults("wrike", d);
        return defaults.withModes(mode, defaults.writeMode());
    }

    static Read read(WrikeSource source, Config config, String name, SyncMode mode, Optional<StreamState> from) {
        return read(source, config, stream(source, config, name, mode), from, Integer.MAX_VALUE);
    }

    /** Reads at most {@code maxBatches} batches (then stops, as a killed process would). */
    static Read read(WrikeSource source, Config config, ConfiguredStream stream, Optional<StreamState> from, int maxBatches) {
        List<Record> out = new ArrayList<>();
        List<StreamState> states = new ArrayList<>();
        List<RecordBatch> batches = new ArrayList<>();
        try (StreamReader r = source.read(config, stream, from)) {
            for (Optional<RecordBatch> b = r.next(); b.isPresent() && batches.size() < maxBatches; b = batches.size() < maxBatches ? r.next() : Optional.empty()) {
                out.addAll(b.get().records());
                b.get().checkpoint().ifPresent(states::add);
                batches.add(b.get());
            }
        }
        return new Read(out, states, batches);
    }

    static Object v(WrikeSource source, Config config, String stream, Record r, String column) {
        return r.value(source.discover(config).stream(stream).orElseThrow().schema().indexOf(column));
    }
}
