package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.scheduler.RunRecord;
import dev.tributary.scheduler.RunStatus;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.Trigger;
import dev.tributary.server.MetricsSource.MetricFamily;
import dev.tributary.server.MetricsSource.MetricType;
import dev.tributary.server.MetricsSource.Sample;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*})? (-?[0-9.eE+-]+|\\+Inf|NaN)");

    private static FakePipelineService pipelines() {
        return new FakePipelineService().add(FakePipelineService.pipeline("revops", new Trigger.Manual(),
                FakePipelineService.step("sync-1", StepKind.SYNC, Map.of())));
    }

    /** Every line is a comment or a sample; returns sample line (name and labels) to value. */
    private static Map<String, String> parse(String text) {
        Map<String, String> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), m.group(3));
        }
        return samples;
    }

    @Test
    void runsDurationsRecordsAndPluggedSourcesInPrometheusText() {
        FakePipelineService pipelines = pipelines();
        try (TestServer t = new TestServer(pipelines)) {
            t.server.addMetricsSource(() -> List.of(new MetricFamily("tributary_api_calls_total", "API calls per connection.", MetricType.COUNTER,
                    List.of(new Sample("tributary_api_calls_total", Map.of("connection", "hub\"spot"), 42)))));
            RunRecord a = pipelines.trigger("revops", "schedule");
            pipelines.finish(a.id(), RunStatus.SUCCEEDED, 1500, Duration.ofSeconds(12), null);
            RunRecord b = pipelines.trigger("revops", "schedule");
            pipelines.finish(b.id(), RunStatus.FAILED, 20, Duration.ofSeconds(400), "boom");

            HttpResponse<String> r = t.get("/metrics", TestServer.TOKEN);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
            assertThat(r.body()).contains("# TYPE tributary_runs_total counter").contains("# TYPE tributary_run_duration_seconds histogram");
            Map<String, String> samples = parse(r.body());
            assertThat(samples).containsEntry("tributary_runs_total{pipeline=\"revops\",status=\"succeeded\"}", "1")
                    .containsEntry("tributary_runs_total{pipeline=\"revops\",status=\"failed\"}", "1")
                    .containsEntry("tributary_run_duration_seconds_bucket{le=\"15\",pipeline=\"revops\"}", "1")
                    .containsEntry("tributary_run_duration_seconds_bucket{le=\"600\",pipeline=\"revops\"}", "2")
                    .containsEntry("tributary_run_duration_seconds_bucket{le=\"+Inf\",pipeline=\"revops\"}", "2")
                    .containsEntry("tributary_run_duration_seconds_sum{pipeline=\"revops\"}", "412")
                    .containsEntry("tributary_run_duration_seconds_count{pipeline=\"revops\"}", "2")
                    .containsEntry("tributary_records_synced_total{pipeline=\"revops\"}", "1520")
                    .containsEntry("tributary_api_calls_total{connection=\"hub\\\"spot\"}", "42");
        }
    }

    @Test
    void metricsNeedAuthenticationUnlessPublic() {
        try (TestServer t = new TestServer(pipelines())) {
            assertThat(t.get("/metrics").statusCode()).isEqualTo(401);
            t.loginAsAdmin();
            assertThat(t.get("/metrics").statusCode()).isEqualTo(200);
        }
        try (TestServer t = new TestServer(pipelines(), ProjectData.NONE, "port: 0\nmetrics_public: true")) {
            assertThat(t.get("/metrics").statusCode()).isEqualTo(200);
        }
    }
}
