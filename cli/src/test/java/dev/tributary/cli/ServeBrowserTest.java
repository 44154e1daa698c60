package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.project.Connectors;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tributary serve} on the RevOps example (HubSpot sandbox and a product database in the real PostgreSQL, DuckDB
 * warehouse) driven through a real headless Chromium: log in, see the pipeline's first scheduled run succeed, trigger
 * it from the overview and watch the run page's live log until it finishes, open the lineage graph and a dashboard
 * chart; then a failing data-quality check fails the next run, which is highlighted on the quality page and posted to
 * the alert webhook. Screenshots of the main pages go to target/screenshots (copied to docs/ for the README).
 */
class ServeBrowserTest {
    private static final Path EXAMPLE = ExampleFixtures.REVOPS;
    private static final Path SHOTS = Path.of("target", "screenshots").toAbsolutePath();
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final String PASSWORD = "e2e-" + Long.toHexString(System.nanoTime());

    @TempDir
    Path dir;

    private String url;
    private String productSchema;
    private HubSpotSandbox hubspot;
    private HttpServer webhook;
    private final List<String> alerts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        url = TestDatabases.postgresUrl();
        productSchema = TestDatabases.createPostgresSchema(url, "serve_product");
        hubspot = HubSpotSandbox.start(SandboxOptions.fromArgs("--port", "0", "--seed", "11", "--scale", "contacts=600"));
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void tearDown() {
        if (webhook != null) webhook.stop(0);
        if (hubspot != null) hubspot.close();
        if (productSchema != null) TestDatabases.dropPostgresSchema(url, productSchema);
    }

    @Test
    void logInTriggerWatchTheLogSeeLineageChartsAndAFailingCheck() throws Exception {
        ExampleFixtures.copyProject(EXAMPLE, dir);
        // alerts go to the test's webhook receiver; the pipeline's own schedule waits an hour after each run
        Files.writeString(dir.resolve("tributary.yml"), Files.readString(dir.resolve("tributary.yml")) + """

                alerts:
                  on: [failure, recovery]
                  webhooks:
                    - url: http://127.0.0.1:%d/hook
                      format: json
                """.formatted(webhook.getAddress().getPort()));
        Map<String, String> env = env();
        CliRunner cli = new CliRunner(dir, env);
        CliRunner.Result hubspotSync = cli.run("sync", "hubspot");
        assertThat(hubspotSync.exitCode()).as(hubspotSync.toString()).isZero();
        TestDatabases.execute(url, ExampleFixtures.generateProductDb(productSchema, "--from-duckdb", dir.resolve("warehouse.duckdb").toString(), "--users", "300", "--seed", "11"));

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
                browser.await("form#login-form", Duration.ofSeconds(20));
                assertThat(browser.currentUrl()).contains("/login");
                browser.type(browser.find("input[name=username]"), "admin");
                browser.type(browser.find("input[name=password]"), PASSWORD);
                browser.click(browser.find("form#login-form button, form#login-form input[type=submit]"));
                browser.await("tr.pipeline[data-pipeline=revops]", Duration.ofSeconds(20));

                // the interval pipeline runs once at start: wait for it on the overview
                browser.waitFor(RUN_TIMEOUT, "the first run to finish; serve output:\n" + out, () -> {
                    browser.get(base + "/");
                    String row = browser.text(browser.await("tr.pipeline[data-pipeline=revops]", Duration.ofSeconds(20)));
                    return row.contains("succeeded") || row.contains("failed");
                });
                assertThat(browser.text(browser.find("tr.pipeline[data-pipeline=revops]"))).as(out::toString).contains("succeeded");
                assertThat(browser.find("tr.pipeline[data-pipeline=revops] .run-grid a.run-square")).isNotNull();
                // the project's name beside the brand is readable on the dark navigation (WCAG AA: contrast >= 4.5)
                Object contrast = browser.script("""
                        function lum(c) { const v = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(x => x / 255)
                            .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
                          return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
                        const fg = lum(getComputedStyle(document.querySelector('nav#nav .project-name')).color);
                        const bg = lum(getComputedStyle(document.querySelector('nav#nav')).backgroundColor);
                        return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);""");
                assertThat(((Number) contrast).doubleValue()).as("contrast of the project's name in the navigation").isGreaterThanOrEqualTo(4.5);
                browser.screenshot(SHOTS.resolve("overview.png"));
                String metrics = metrics(base);
                assertThat(metrics).containsPattern("tributary_runs_total\\{[^}]*pipeline=\"revops\"[^}]*\\} 1")
                        .containsPattern("tributary_api_calls_total\\{[^}]*api=\"hubspot\"[^}]*\\} [1-9]")
                        .contains("tributary_rate_limit_headroom{");

                // trigger from the overview; the run page follows the run live
                browser.click(browser.find("form.trigger[data-pipeline=revops] button"));
                browser.await("#run-status", Duration.ofSeconds(20));
                assertThat(browser.currentUrl()).contains("/runs/");
                browser.waitFor(RUN_TIMEOUT, "the triggered run to finish; serve output:\n" + out,
                        () -> List.of("succeeded", "failed", "cancelled").contains(runStatus(browser)));
                assertThat(runStatus(browser)).as(out::toString).isEqualTo("succeeded");
                String log = browser.text(browser.await("pre#log", Duration.ofSeconds(5)));
                assertThat(log).contains("[revops][hubspot]").contains("[revops][product_db]").contains("[revops][models]").contains("ERROR=0");
                browser.screenshot(SHOTS.resolve("run.png"));

                browser.get(base + "/models");
                browser.await("svg#lineage", Duration.ofSeconds(20));
                assertThat(browser.find("svg#lineage g.node[data-node=team_spending]")).isNotNull();
                assertThat(browser.find("svg#lineage g.node[data-node=stg_hubspot__companies]")).isNotNull();
                assertThat(browser.findAll("svg#lineage .edge")).hasSizeGreaterThan(10);
                browser.screenshot(SHOTS.resolve("lineage.png"));

                browser.get(base + "/dashboards/revops");
                browser.await("svg.chart", Duration.ofSeconds(20));
                assertThat(browser.findAll("svg.chart rect")).as("bars drawn").hasSizeGreaterThan(2);
                browser.screenshot(SHOTS.resolve("dashboard.png"));

                browser.get(base + "/connections");
                browser.await("body", Duration.ofSeconds(10));
                assertThat(browser.pageSource()).contains("contacts").contains("transactions");
                browser.screenshot(SHOTS.resolve("connections.png"));

                // a data-quality check that fails: the next run fails at its build step, the quality page puts it first
                Path schema = dir.resolve("models/schema.yml");
                String anchor = "      - negative_count: {column: won_amount}\n";
                assertThat(Files.readString(schema)).contains(anchor);
                Files.writeString(schema, Files.readString(schema).replace(anchor, anchor + "      - row_count: {fail: '< 1000000'}\n"));
                browser.get(base + "/");
                browser.click(browser.await("form.trigger[data-pipeline=revops] button", Duration.ofSeconds(20)));
                browser.await("#run-status", Duration.ofSeconds(20));
                browser.waitFor(RUN_TIMEOUT, "the run with a failing check to finish; serve output:\n" + out,
                        () -> List.of("succeeded", "failed", "cancelled").contains(runStatus(browser)));
                assertThat(runStatus(browser)).as(out::toString).isEqualTo("failed");
                assertThat(browser.pageSource()).contains("build-2").contains("row_count");

                browser.get(base + "/quality");
                String first = browser.await("tr.check", Duration.ofSeconds(20));
                assertThat(browser.attribute(first, "class")).contains("check-fail");
                assertThat(browser.text(first)).contains("row_count");
                browser.screenshot(SHOTS.resolve("quality.png"));

                browser.waitFor(Duration.ofSeconds(60), "the failure alert at the webhook", () -> alerts.stream().anyMatch(a -> a.contains("\"failure\"")));
                JsonNode alert = new ObjectMapper().readTree(alerts.stream().filter(a -> a.contains("\"failure\"")).findFirst().orElseThrow());
                assertThat(alert.path("pipeline").asText()).isEqualTo("revops");
                assertThat(alert.path("status").asText()).isEqualToIgnoringCase("failed");
            }
        } finally {
            serve.stop.countDown();
        }
        assertThat(exit.get(90, TimeUnit.SECONDS)).as(out::toString).isZero();
        assertThat(out.toString()).contains("Tributary is serving project revops");
    }

    private static String metrics(String base) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer " + PASSWORD).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
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

    private Map<String, String> env() {
        URI uri = URI.create(url.substring("jdbc:".length()));
        String user = uri.getQuery().replaceAll(".*user=([^&]*).*", "$1");
        Map<String, String> env = new HashMap<>();
        env.put("PRODUCT_DB_HOST", uri.getHost());
        env.put("PRODUCT_DB_USER", user);
        env.put("PRODUCT_DB_SCHEMA", productSchema);
        env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        env.put("HUBSPOT_TOKEN", hubspot.privateAppToken(hubspot.hubIds().get(0)));
        env.put("REVOPS_EVERY", "1h");
        env.put("TRIBUTARY_ADMIN_PASSWORD", PASSWORD);
        env.put("TRIBUTARY_API_TOKEN", PASSWORD);
        return env;
    }
}
