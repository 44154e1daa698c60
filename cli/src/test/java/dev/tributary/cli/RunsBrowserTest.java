package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Connectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 21's runs and schedules in a real headless Chromium against {@code tributary serve} on a small files-to-DuckDB
 * project: pause and resume from the overview, a run with its timeline and stream table, a run of one step with vars
 * from the pipeline page, the run grid's squares, a CLI run in the history, and the history's text and date filters.
 */
class RunsBrowserTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PAGE = Duration.ofSeconds(20);
    private static final String PASSWORD = "runs-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void pauseResumeRunWithVarsTimelineGridAndFilters() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("data/orders.csv"), "id,amount\n1,10\n2,20\n3,30\n");
        Files.writeString(dir.resolve("models/days.sql"), "{{ config(materialized='table') }}\n"
                + "select d::date as day from range(date '{{ var(\"start_date\", \"2026-01-01\") }}', date '{{ var(\"end_date\", \"2026-01-04\") }}',"
                + " interval 1 day) t(d)\n");
        Files.writeString(dir.resolve("tributary.yml"), """
                name: shop
                destination: {type: duckdb, path: warehouse.duckdb}
                connections:
                  files:
                    type: files
                    config:
                      streams:
                        - {name: orders, path: "data/orders.csv", format: csv, primary_key: [id]}
                pipelines:
                  daily:
                    schedule: "0 3 * * *"
                    steps:
                      - sync: files
                      - build: []
                """);
        Map<String, String> env = Map.of("TRIBUTARY_ADMIN_PASSWORD", PASSWORD, "TRIBUTARY_API_TOKEN", PASSWORD);

        StringWriter out = new StringWriter();
        CommandLine commandLine = TributaryCommand.commandLine(env, Connectors.discover(), new PrintWriter(out, true), new PrintWriter(out, true));
        ServeCommand serve = commandLine.getSubcommands().get("serve").getCommand();
        CountDownLatch started = new CountDownLatch(1);
        serve.onStarted = started::countDown;
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute("-p", dir.toString(), "serve", "--port", "0"));
        try {
            assertThat(started.await(60, TimeUnit.SECONDS)).as(out::toString).isTrue();
            String base = "http://127.0.0.1:" + serve.boundPort;
            try (HeadlessChromium browser = HeadlessChromium.start()) {
                browser.get(base + "/");
                browser.await("form#login-form", PAGE);
                browser.type(browser.find("input[name=username]"), "admin");
                browser.type(browser.find("input[name=password]"), PASSWORD);
                browser.click(browser.find("form#login-form button"));
                browser.await("tr.pipeline[data-pipeline=daily]", PAGE);

                // pause from the overview: the row says so and offers Resume; resume brings Pause back
                browser.click(browser.find("form.pause[data-pipeline=daily] button"));
                String pausedRow = browser.await("tr.pipeline.paused[data-pipeline=daily]", PAGE);
                assertThat(browser.text(pausedRow)).contains("paused").contains("Resume");
                browser.click(browser.find("form.resume[data-pipeline=daily] button"));
                browser.await("form.pause[data-pipeline=daily]", PAGE);
                assertThat(browser.find("tr.pipeline.paused[data-pipeline=daily]")).isNull();

                // a whole run: its timeline has the stream and the model; the stream table has the counts
                browser.click(browser.find("form.trigger[data-pipeline=daily] button"));
                awaitFinal(browser, out);
                assertThat(runStatus(browser)).as(out::toString).isEqualTo("succeeded");
                assertThat(browser.find("svg#timeline g.lane.step[data-step=sync-1] rect.bar")).isNotNull();
                assertThat(browser.find("svg#timeline g.lane.item[data-item='files.orders'] rect.bar.status-succeeded")).isNotNull();
                assertThat(browser.find("svg#timeline g.lane.item[data-item=days] rect.bar.status-success")).isNotNull();
                assertThat(browser.text(browser.find("table#streams tr.stream-item[data-stream='files.orders'] .item-records"))).isEqualTo("3");
                assertThat(browser.text(browser.find("table#streams tr.stream-item[data-stream='files.orders'] .item-resumed"))).isEqualTo("no");
                assertThat(browser.text(browser.find("table#nodes tr.node-item[data-name=days] .item-rows"))).isEqualTo("3");

                // one step with vars, from the pipeline page
                browser.get(base + "/pipelines/daily");
                browser.await("form#run-form", PAGE);
                browser.click(browser.find("#step-build-2"));
                browser.type(browser.find("#var-key-0"), "start_date");
                browser.type(browser.find("#var-value-0"), "2026-01-01");
                browser.type(browser.find("#var-key-1"), "end_date");
                browser.type(browser.find("#var-value-1"), "2026-01-11");
                browser.click(browser.find("#run-with-options"));
                awaitFinal(browser, out);
                assertThat(runStatus(browser)).as(out::toString).isEqualTo("succeeded");
                assertThat(browser.text(browser.find("#run-steps"))).isEqualTo("build-2");
                assertThat(browser.text(browser.find("#run-vars"))).contains("end_date: 2026-01-11").contains("start_date: 2026-01-01");
                assertThat(browser.find("tr.step[data-step=sync-1]")).isNull();
                assertThat(browser.text(browser.find("table#nodes tr.node-item[data-name=days] .item-rows"))).isEqualTo("10");
                String withVars = browser.currentUrl();

                // the run grid: one uniform square per run, each a link named in its title
                browser.get(base + "/");
                browser.await(".run-grid[data-pipeline=daily] a.run-square", PAGE);
                List<String> squares = browser.findAll(".run-grid[data-pipeline=daily] a.run-square");
                assertThat(squares).hasSize(2);
                String last = squares.get(1);
                assertThat(browser.attribute(last, "title")).startsWith("run #").contains("succeeded").contains("UTC");
                assertThat(browser.attribute(last, "class")).contains("status-succeeded");
                browser.click(last);
                browser.await("#run-status", PAGE);
                assertThat(browser.currentUrl()).isEqualTo(withVars);

                // a run from the command line while serve runs: it belongs in the same history
                CliRunner.Result cliBuild = new CliRunner(dir, env).run("build");
                assertThat(cliBuild.exitCode()).as(cliBuild.toString()).isZero();

                // the history: the CLI run is there; the text filter stays in the URL; a date range with no runs says so
                browser.get(base + "/runs");
                browser.await("table#runs", PAGE);
                browser.type(browser.find("#filter-q"), "cli");
                browser.click(browser.find("form#run-filters button"));
                browser.waitFor(PAGE, "the filtered history", () -> browser.currentUrl().contains("q=cli"));
                List<String> rows = browser.findAll("table#runs tr.run");
                assertThat(rows).hasSize(1);
                assertThat(browser.text(rows.get(0))).contains("cli").contains("succeeded");
                browser.get(base + "/runs?from=2000-01-01&to=2000-01-31");
                browser.await("#no-runs", PAGE);
                assertThat(browser.attribute(browser.find("#filter-from"), "value")).isEqualTo("2000-01-01");
            }
        } finally {
            serve.stop.countDown();
        }
        assertThat(exit.get(90, TimeUnit.SECONDS)).as(out::toString).isZero();
    }

    private static void awaitFinal(HeadlessChromium browser, StringWriter out) {
        browser.await("#run-status", PAGE);
        assertThat(browser.currentUrl()).contains("/runs/");
        browser.waitFor(RUN_TIMEOUT, "the run to finish; serve output:\n" + out, () -> List.of("succeeded", "failed", "cancelled").contains(runStatus(browser)));
        // the page reloads once the run is final: wait for the final page
        browser.waitFor(PAGE, "the final run page", () -> "false".equals(attr(browser, "#run-page", "data-live")));
    }

    private static String attr(HeadlessChromium browser, String css, String name) {
        try {
            String e = browser.find(css);
            return e == null ? "" : browser.attribute(e, name);
        } catch (IllegalStateException staleDuringReload) {
            return "";
        }
    }

    /** The run page's status; "" while the page reloads (it does once the run ends). */
    private static String runStatus(HeadlessChromium browser) {
        try {
            String element = browser.find("#run-status");
            return element == null ? "" : browser.text(element).trim();
        } catch (IllegalStateException staleDuringReload) {
            return "";
        }
    }
}
