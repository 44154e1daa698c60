package dev.tributary.server;

import dev.tributary.server.MetricsSource.MetricFamily;
import dev.tributary.server.MetricsSource.Sample;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Writes metric families in the Prometheus text exposition format 0.0.4. */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    static String write(List<MetricFamily> families) {
        StringBuilder out = new StringBuilder();
        for (MetricFamily f : families) {
            out.append("# HELP ").append(f.name()).append(' ').append(f.help().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            out.append("# TYPE ").append(f.name()).append(' ').append(f.type().name().toLowerCase(Locale.ROOT)).append('\n');
            for (Sample s : f.samples()) {
                out.append(s.name());
                if (!s.labels().isEmpty()) {
                    out.append('{');
                    boolean first = true;
                    // sorted so that scrapes are stable and "le" comes last-ish consistently
                    for (Map.Entry<String, String> l : new TreeMap<>(s.labels()).entrySet()) {
                        if (!first) out.append(',');
                        first = false;
                        out.append(l.getKey()).append("=\"").append(escapeLabel(l.getValue())).append('"');
                    }
                    out.append('}');
                }
                out.append(' ').append(number(s.value())).append('\n');
            }
        }
        return out.toString();
    }

    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    private static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
