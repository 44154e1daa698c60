package dev.tributary.server;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * Something that contributes metric families to {@code /metrics} when scraped (API calls and 429s per connection,
 * rate-limit headroom...). Called on the request thread; must be quick and thread-safe.
 */
@FunctionalInterface
public interface MetricsSource {
    List<MetricFamily> collect();

    enum MetricType { COUNTER, GAUGE, HISTOGRAM, SUMMARY }

    /** One metric family: its samples may use suffixed names (_bucket, _sum, _count) of {@code name}. */
    record MetricFamily(String name, String help, MetricType type, List<Sample> samples) {
        public MetricFamily {
            requireNonNull(name, "name is null");
            if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) throw new IllegalArgumentException("not a metric name: " + name);
            samples = List.copyOf(samples);
        }
    }

    record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }
    }
}
