package dev.tributary.source.xero;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.Sleeper;
import dev.tributary.sandbox.xero.XeroSandbox;
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
final class XeroSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private XeroSupport() {}

    static Clock clockOf(XeroSandbox sandbox) {
        return new Clock() {
            @Override
            public ZoneId getZone() { return ZoneOffset.UTC; }

            @Override
            public Clock withZone(ZoneId zone) { return this; }

            @Override
            public Instant instant() { return sandbox.clock().now(); }
        };
    }

    static XeroSource source(XeroSandbox sandbox) {
        Sleeper advance = d -> sandbox.control().advanceClock(d);
        return new XeroSource(clockOf(sandbox), advance);
    }

    /** OAuth settings with a fresh consent over every tenant. */
    static ObjectNode settings(XeroSandbox sandbox) {
        ObjectNode o = JSON.createObjectNode();
        o.put("client_id", sandbox.clientId());
        o.put("client_secret", sandbox.clientSecret());
        o.put("refresh_token", sandbox.consent(sandbox.tenantIds()));
        o.put("base_url", sandbox.baseUrl());
        return o;
    }

    static Config config(ObjectNode settings) {
        return Config.of(settings.deepCopy());
    }

    record Read(List<Record> records, List<StreamState> checkpoints, List<RecordBatch> batches) {
        Optional<StreamState> lastState() {
            return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
        }
    }

    static ConfiguredStream stream(XeroSource source, Config config, String name, SyncMode mode) {
        var d = source.discover(config).stream(name).orElseThrow();
        var defaults = ConfiguredStream.defaults("xero", d);
        return defaults.withModes(mode, defaults.writeMode());
    }

    static Read read(XeroSource source, Config config, ConfiguredStream stream, Optional<StreamState> from) {
        List<Record> out = new ArrayList<>();
        List<StreamState> states = new ArrayList<>();
        List<RecordBatch> batches = new ArrayList<>();
        try (StreamReader r = source.read(config, stream, from)) {
            for (Optional<RecordBatch> b = r.next(); b.isPresent(); b = r.next()) {
                out.addAll(b.get().records());
                b.get().checkpoint().ifPresent(states::add);
                batches.add(b.get());
            }
        }
        return new Read(out, states, batches);
    }
}
