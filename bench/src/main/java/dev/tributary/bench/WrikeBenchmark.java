package dev.tributary.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.Sleeper;
import dev.tributary.sandbox.wrike.WrikeSandbox;
import dev.tributary.sandbox.wrike.WrikeSandboxOptions;
import dev.tributary.source.wrike.WrikeSource;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Wrike benchmark: a sandbox account of N tasks (default 100,000) enforcing Wrike's real pace (400 requests per minute
 * per user), read by the wrike source in real time (its waits really sleep): every stream's first (incremental) sync,
 * then, after 1,000 task edits, the incremental sync of the task streams. Prints records, requests, requests per 100
 * records, records/s and 429s. Usage: WrikeBenchmark [tasks]
 */
public final class WrikeBenchmark {
    private WrikeBenchmark() {}

    public static void main(String[] args) {
        int tasks = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        long g0 = System.nanoTime();
        try (WrikeSandbox w = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(tasks).build())) {
            System.out.printf(Locale.ROOT, "sandbox: %,d tasks generated and serving in %,d ms; limit %d requests/min per user, enforced per second%n",
                    tasks, (System.nanoTime() - g0) / 1_000_000, w.options().requestsPerMinute());
            Clock clock = new Clock() {
                @Override public ZoneId getZone() { return ZoneOffset.UTC; }
                @Override public Clock withZone(ZoneId zone) { return this; }
                @Override public Instant instant() { return w.clock().now(); }
            };
            WrikeSource source = new WrikeSource(clock, Sleeper.SYSTEM);
            ObjectNode settings = new ObjectMapper().createObjectNode().put("access_token", w.permanentToken()).put("base_url", w.apiBaseUrl());
            Config config = Config.of(settings);
            Map<String, Optional<StreamState>> states = new LinkedHashMap<>();
            long allRecords = 0;
            long r0 = w.control().requests();
            long t0 = System.nanoTime();
            for (var d : source.discover(config).streams()) {
                long before = w.control().requests();
                long s0 = System.nanoTime();
                long[] n = new long[1];
                states.put(d.id().name(), read(source, config, d, Optional.empty(), n));
                allRecords += n[0];
                System.out.printf(Locale.ROOT, "  %-20s %,9d records %,5d requests %6.1f s%n", d.id().name(), n[0], w.control().requests() - before,
                        (System.nanoTime() - s0) / 1e9);
            }
            report("full sync, every stream", allRecords, w.control().requests() - r0, System.nanoTime() - t0, w);

            List<String> edited = w.control().updateTasks(1_000);
            w.control().advanceClock(Duration.ofSeconds(120)); // past the source's 60 s safety lag
            long r1 = w.control().requests();
            long t1 = System.nanoTime();
            long changed = 0;
            for (String name : List.of("tasks", "task_custom_fields", "task_responsibles", "task_parents", "task_super_tasks")) {
                var d = source.discover(config).stream(name).orElseThrow();
                long[] n = new long[1];
                read(source, config, d, states.get(name), n);
                changed += n[0];
            }
            report("incremental after " + edited.size() + " task edits (5 task streams)", changed, w.control().requests() - r1, System.nanoTime() - t1, w);
        }
    }

    private static Optional<StreamState> read(WrikeSource source, Config config, dev.tributary.spi.StreamDescriptor d, Optional<StreamState> from, long[] n) {
        ConfiguredStream cs = ConfiguredStream.defaults("wrike", d);
        Optional<StreamState> last = from;
        try (StreamReader r = source.read(config, cs.withModes(d.supports(SyncMode.INCREMENTAL) ? SyncMode.INCREMENTAL : SyncMode.FULL_REFRESH, cs.writeMode()), from)) {
            for (Optional<RecordBatch> b = r.next(); b.isPresent(); b = r.next()) {
                n[0] += b.get().records().size();
                if (b.get().checkpoint().isPresent()) last = b.get().checkpoint();
            }
        }
        return last;
    }

    private static void report(String what, long records, long requests, long nanos, WrikeSandbox w) {
        double s = nanos / 1e9;
        System.out.printf(Locale.ROOT, "%s: %,d records, %,d requests (%.2f per 100 records), %.1f s, %,.0f records/s; 429s so far: %d%n",
                what, records, requests, 100.0 * requests / Math.max(1, records), s, records / s, w.control().counters().getOrDefault("429 per-user", 0L));
    }
}
