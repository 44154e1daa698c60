package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.server.ProjectData.CheckResult;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The quality pages over an in-memory project: counts with warnings, a check's trend against its thresholds, sample rows. */
class QualityPagesTest {
    private static final Instant T0 = FakePipelineService.T0;
    private final InMemoryProjectData data = new InMemoryProjectData();
    private TestServer t;

    @BeforeEach
    void start() {
        for (int i = 0; i < 12; i++) {
            double value = 2 + i * 3;
            String status = value > 30 ? "fail" : value > 20 ? "warn" : "pass";
            data.results.add(new CheckResult("deals_without_amount", "null_count", "deals", "amount", status, Optional.of(value), "> 20", "> 30",
                    i == 11 ? "[{\"deal_id\": 7, \"name\": \"" + "a very long deal name that goes on ".repeat(8) + "\"}]" : "[]", "", T0.plusSeconds(3600L * i)));
        }
        data.results.add(new CheckResult("contacts_fresh", "freshness", "contacts", "", "warn", Optional.of(90.0), "60", "120", "[]", "", T0));
        data.results.add(new CheckResult("ids_unique", "unique", "contacts", "id", "error", Optional.empty(), "", "", "[]", "syntax error", T0));
        data.results.add(new CheckResult("rows_present", "row_count", "contacts", "", "pass", Optional.of(5.0), "", "< 1", "[]", "", T0));
        t = new TestServer(new FakePipelineService(), data, "port: 0");
        t.loginAsAdmin();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void theHeaderCountsErrorsFailuresWarningsAndPasses() {
        String html = t.get("/quality").body();
        assertThat(html).contains("<p id=\"quality-summary\"><span class=\"count count-total\">4</span> checks: <span class=\"count count-error\">1</span> error, "
                + "<span class=\"count count-fail\">1</span> failing, <span class=\"count count-warn\">1</span> warning, <span class=\"count count-pass\">1</span> passing</p>");
        assertThat(html).contains("<table id=\"checks\" class=\"fit\"><colgroup>");
        // sample rows: a table whose cells are cut by CSS, the full text in the tooltip
        String full = "a very long deal name that goes on ".repeat(8);
        assertThat(html).contains("<summary>1 row</summary>").contains("<span class=\"cell\" title=\"" + full + "\">" + full + "</span>");
    }

    @Test
    void aChecksTrendDrawsItsValuesAgainstItsWarnAndFailThresholds() {
        String html = t.get("/quality/deals_without_amount").body();
        assertThat(html).contains("<svg id=\"check-trend\" class=\"chart chart-line check-trend\" width=\"100%\"");
        assertThat(html).contains("<line class=\"threshold threshold-warn\"").contains("<title>warn &gt; 20</title>")
                .contains("<line class=\"threshold threshold-fail\"").contains("<title>fail &gt; 30</title>");
        assertThat(html.split("<circle class=\"point series-0\"", -1)).hasSize(13);
        assertThat(html).contains("11-30 08:00: deals_without_amount = 2").contains("11-30 19:00: deals_without_amount = 35");
        assertThat(html).contains("<dd id=\"thresholds\">warn &gt; 20 · fail &gt; 30</dd>");
        assertThat(t.get("/quality/ids_unique").body()).contains("id=\"no-trend\"").doesNotContain("check-trend");
        assertThat(QualityPages.numbers("between 1 and 5.5")).containsExactly(1.0, 5.5);
    }
}
