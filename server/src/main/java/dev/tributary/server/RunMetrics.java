package dev.tributary.server;

import dev.tributary.scheduler.RunEventListener;
import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.server.MetricsSource.MetricFamily;
import dev.tributary.server.MetricsSource.MetricType;
import dev.tributary.server.MetricsSource.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts finished runs by pipeline and status, their durations (a histogram per pipeline) and records synced,
 * from the scheduler's run events; scraped through {@link #collect()}.
 */
public final class RunMetrics implements RunEventListener, MetricsSource {
    static final double[] DURATION_BUCKETS = {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200};

    private record PipelineStatus(String pipeline, String status) implements Comparable<PipelineStatus> {
        public int compareTo(PipelineStatus o) {
            int c = pipeline.compareTo(o.pipeline);
            return c != 0 ? c : status.compareTo(o.status);
        }
    }

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[DURATION_BUCKETS.length];
        final LongAdder count = new LongAdder();
        final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
        }

        void observe(double seconds) {
            for (int i = 0; i < DURATION_BUCKETS.length; i++) {
                if (seconds <= DURATION_BUCKETS[i]) buckets[i].increment();
            }
            count.increment();
            sum.add(seconds);
        }
    }

    private final Map<PipelineStatus, LongAdder> runs = new ConcurrentSkipListMap<>();
    private final Map<String, Histogram> durations = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> records = new ConcurrentSkipListMap<>();

    @Override
    public void runFinished(RunRecord run, RunStatus previous) {
        try {
            String status = run.status().name().toLowerCase(Locale.ROOT);
            runs.computeIfAbsent(new PipelineStatus(run.pipeline(), status), k -> new LongAdder()).increment();
            run.duration().ifPresent(d -> durations.computeIfAbsent(run.pipeline(), k -> new Histogram()).observe(d.toMillis() / 1000.0));
            records.computeIfAbsent(run.pipeline(), k -> new LongAdder()).add(Math.max(0, run.records()));
        } catch (RuntimeException e) {
            // a listener must never throw into the scheduler; a lost sample is the lesser harm
        }
    }

    @Override
    public List<MetricFamily> collect() {
        List<Sample> runSamples = new ArrayList<>();
        runs.forEach((k, v) -> runSamples.add(new Sample("tributary_runs_total", Map.of("pipeline", k.pipeline(), "status", k.status()), v.sum())));
        List<Sample> durationSamples = new ArrayList<>();
        durations.forEach((pipeline, h) -> {
            for (int i = 0; i < DURATION_BUCKETS.length; i++) {
                durationSamples.add(new Sample("tributary_run_duration_seconds_bucket",
                        Map.of("pipeline", pipeline, "le", PrometheusText.number(DURATION_BUCKETS[i])), h.buckets[i].sum()));
            }
            durationSamples.add(new Sample("tributary_run_duration_seconds_bucket", Map.of("pipeline", pipeline, "le", "+Inf"), h.count.sum()));
            durationSamples.add(new Sample("tributary_run_duration_seconds_sum", Map.of("pipeline", pipeline), h.sum.sum()));
            durationSamples.add(new Sample("tributary_run_duration_seconds_count", Map.of("pipeline", pipeline), h.count.sum()));
        });
        List<Sample> recordSamples = new ArrayList<>();
        records.forEach((pipeline, v) -> recordSamples.add(new Sample("tributary_records_synced_total", Map.of("pipeline", pipeline), v.sum())));
        return List.of(
                new MetricFamily("tributary_runs_total", "Finished pipeline runs by final status.", MetricType.COUNTER, runSamples),
                new MetricFamily("tributary_run_duration_seconds", "Duration of finished pipeline runs.", MetricType.HISTOGRAM, durationSamples),
                new MetricFamily("tributary_records_synced_total", "Records synced by finished runs.", MetricType.COUNTER, recordSamples));
    }
}
