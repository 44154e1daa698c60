package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChartSvgTest {

    @Test
    void ticksStepBy1Or2Or5TimesAPowerOfTenAndCoverTheValues() {
        assertThat(ChartSvg.niceTicks(0, 97, 6)).containsExactly(0.0, 20.0, 40.0, 60.0, 80.0, 100.0);
        assertThat(ChartSvg.niceTicks(0, 1234, 6)).containsExactly(0.0, 500.0, 1000.0, 1500.0);
        assertThat(ChartSvg.niceTicks(-35, 120, 6)).containsExactly(-50.0, 0.0, 50.0, 100.0, 150.0);
        assertThat(ChartSvg.niceTicks(0.013, 0.87, 6)).containsExactly(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
        assertThat(ChartSvg.niceTicks(5, 5, 6)).first().isEqualTo(5.0); // one value: still an axis
        for (double[] range : new double[][] {{0, 7}, {3, 9_999_999}, {-1e-3, 2e-3}, {17, 23}, {0, 1}}) {
            List<Double> ticks = ChartSvg.niceTicks(range[0], range[1], 6);
            double step = ticks.get(1) - ticks.get(0);
            double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
            assertThat(Math.round(mantissa * 1000) / 1000.0).as("step %s for %s..%s", step, range[0], range[1]).isIn(1.0, 2.0, 5.0);
            assertThat(ticks.getFirst()).isLessThanOrEqualTo(range[0]);
            assertThat(ticks.getLast()).isGreaterThanOrEqualTo(range[1]);
            assertThat(ticks.size()).isBetween(2, 8);
        }
        assertThat(ChartSvg.tickLabel(1500, 500)).isEqualTo("1,500");
        assertThat(ChartSvg.tickLabel(0.4, 0.2)).isEqualTo("0.4");
    }

    @Test
    void manyLongXLabelsAreTurnedCutAndThinnedSoThatNoneOverlap() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 90; i++) texts.add("campaign number " + i + " of the spring launch");
        List<ChartSvg.XLabel> labels = ChartSvg.xLabels(texts, 40, 600.0 / texts.size(), 250);
        assertThat(ChartSvg.rotated(labels)).isTrue();
        assertThat(labels.size()).isBetween(5, 45);
        assertNoOverlap(labels);
        assertThat(labels).allSatisfy(l -> assertThat(l.text()).hasSizeLessThanOrEqualTo(ChartSvg.LABEL_CHARS));
        assertThat(labels.getFirst().text()).contains("…").startsWith("campaign").endsWith("launch");
        // labels that share a long prefix stay apart
        assertThat(ChartSvg.xLabels(List.of("spring campaign for the enterprise segment 0", "spring campaign for the enterprise segment 1"), 40, 300, 250))
                .extracting(ChartSvg.XLabel::text).doesNotHaveDuplicates();
        assertThat(labels.getFirst().full()).isEqualTo("campaign number 0 of the spring launch");

        List<ChartSvg.XLabel> few = ChartSvg.xLabels(List.of("2026-01", "2026-02", "2026-03"), 40, 200, 250);
        assertThat(ChartSvg.rotated(few)).isFalse();
        assertThat(few).hasSize(3);
        assertNoOverlap(few);
    }

    @Test
    void aChartTakesThePageWidthWithNiceTicksAndFullNamesInTooltips() {
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) rows.add(List.of("a very long category name " + i, i * 37));
        ChartDef def = new ChartDef("Long names", Optional.of("select 1"), Optional.empty(), "name", List.of("n"), ChartDef.ChartType.AREA);
        String svg = ChartSvg.chart(def, new ProjectData.QueryResult(List.of("name", "n"), rows));
        assertThat(svg).startsWith("<svg class=\"chart chart-area\" width=\"100%\" viewBox=\"0 0 640 300\"");
        assertThat(svg).contains("<polygon class=\"area series-0\"").contains("<polyline class=\"line series-0\"").contains("rotate(-45 ");
        assertThat(svg).contains("<title>a very long category name 0</title>");
        List<String> ticks = new ArrayList<>();
        Matcher m = Pattern.compile("class=\"tick y-tick\"[^>]*>([^<]+)<").matcher(svg);
        while (m.find()) ticks.add(m.group(1));
        assertThat(ticks).containsExactly("0", "500", "1,000", "1,500");
    }

    private static void assertNoOverlap(List<ChartSvg.XLabel> labels) {
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                ChartSvg.XLabel a = labels.get(i), b = labels.get(j);
                boolean overlap = a.left() < b.right() && b.left() < a.right() && a.top() < b.bottom() && b.top() < a.bottom();
                assertThat(overlap).as("labels %s and %s overlap", a, b).isFalse();
            }
        }
    }
}
