package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Connectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * People and roles through {@code tributary serve} and a real headless Chromium (one browser for the class): a viewer
 * made with {@code tributary users add} sees no Run button and a forged POST with its valid CSRF token gets a 403; an
 * operator triggers a run but gets a 403 on the users page; the admin adds a user in the form, who then logs in; the
 * audit page shows a row for each of these.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PeopleBrowserTest {
    private static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SHOTS = Path.of("target", "screenshots").toAbsolutePath();

    private Path dir;

    private final StringWriter out = new StringWriter();
    private CommandLine commandLine;
    private CompletableFuture<Integer> exit;
    private ServeCommand serve;
    private String base;
    private HeadlessChromium browser;
    private Map<String, String> env;

    @BeforeAll
    void startServeAndBrowser(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/events.jsonl"), "{\"id\": 1, \"kind\": \"signup\"}\n{\"id\": 2, \"kind\": \"login\"}\n");
        Files.writeString(dir.resolve("tributary.yml"), """
                name: people
                destination: {type: duckdb}
                connections:
                  events:
                    type: files
                    config:
                      streams:
                        - {name: events, path: "data/*.jsonl", format: jsonl}
                pipelines:
                  load:
                    steps:
                      - sync: [events]
                """);
        env = Map.of("TRIBUTARY_ADMIN_PASSWORD", ADMIN_PASSWORD, "VERA_PASSWORD", "vera-password-1", "OTTO_PASSWORD", "otto-password-1");
        // one account before serve starts (the store's file), one while it runs (through serve's shared store)
        CliRunner.Result vera = new CliRunner(dir, env).run("users", "add", "vera", "--role", "viewer", "--password-env", "VERA_PASSWORD");
        assertThat(vera.exitCode()).as(vera.toString()).isZero();

        commandLine = TributaryCommand.commandLine(env, Connectors.discover(), new PrintWriter(out, true), new PrintWriter(out, true));
        serve = commandLine.getSubcommands().get("serve").getCommand();
        CountDownLatch started = new CountDownLatch(1);
        serve.onStarted = started::countDown;
        exit = CompletableFuture.supplyAsync(() -> commandLine.execute("-p", dir.toString(), "serve", "--port", "0"));
        assertThat(started.await(60, TimeUnit.SECONDS)).as(out::toString).isTrue();
        base = "http://127.0.0.1:" + serve.boundPort;
        CliRunner.Result otto = new CliRunner(dir, env).run("users", "add", "otto", "--role", "operator", "--password-env", "OTTO_PASSWORD");
        assertThat(otto.exitCode()).as(otto.toString()).isZero();
        browser = HeadlessChromium.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) browser.close();
        if (serve != null) serve.stop.countDown();
        if (exit != null) assertThat(exit.get(60, TimeUnit.SECONDS)).as(out::toString).isZero();
    }

    private void logIn(String user, String password) {
        browser.get(base + "/login");
        if (browser.findAll("#logout-form").size() > 0) logOut();
        browser.get(base + "/login");
        browser.await("form#login-form", WAIT);
        browser.type(browser.find("input[name=username]"), user);
        browser.type(browser.find("input[name=password]"), password);
        browser.click(browser.find("form#login-form button"));
        browser.await("#user-role", WAIT);
    }

    private void logOut() {
        browser.click(browser.find("#logout-form button"));
        browser.await("form#login-form", WAIT);
    }

    /** A POST the page offers no button for, sent by the page itself with the session's real CSRF token: status and body. */
    private String forgedPost(String path, String extraForm) {
        return String.valueOf(browser.script("var t = document.querySelector('#logout-form input[name=_csrf]').value;"
                + "var x = new XMLHttpRequest(); x.open('POST', '" + path + "', false);"
                + "x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');"
                + "x.send('_csrf=' + encodeURIComponent(t) + '" + extraForm + "'); return x.status + ' ' + x.responseText;"));
    }

    @Test
    void viewerOperatorAndAdminEachDoWhatTheirRoleAllowsAndTheAuditLogSaysSo() throws Exception {
        // a viewer: the overview without a Run button, a forged trigger refused
        logIn("vera", "vera-password-1");
        assertThat(browser.text(browser.find("#user-role"))).isEqualTo("viewer");
        browser.await("tr.pipeline[data-pipeline=load]", WAIT);
        assertThat(browser.findAll("tr.pipeline[data-pipeline=load] form.trigger")).isEmpty();
        assertThat(browser.findAll("#settings-link")).isEmpty();
        String forged = forgedPost("/pipelines/load/trigger", "");
        assertThat(forged).startsWith("403 ").contains("needs the operator role");
        logOut();

        // an operator: runs the pipeline, is refused the users page and adding a user
        logIn("otto", "otto-password-1");
        browser.get(base + "/");
        browser.click(browser.await("tr.pipeline[data-pipeline=load] form.trigger button", WAIT));
        browser.await("#run-status", WAIT);
        assertThat(browser.currentUrl()).contains("/runs/");
        browser.get(base + "/settings/users");
        assertThat(browser.text(browser.await("#error", WAIT))).contains("needs the admin role");
        browser.get(base + "/");
        assertThat(forgedPost("/settings/users", "&username=mallory&role=admin&password=mallory-password&confirm=mallory-password")).startsWith("403 ");
        logOut();

        // the admin adds a user through the form
        logIn("admin", ADMIN_PASSWORD);
        browser.click(browser.find("#settings-link"));
        browser.click(browser.await("#settings-tabs a[href='/settings/users']", WAIT));
        browser.await("form#add-user", WAIT);
        browser.type(browser.find("form#add-user input[name=username]"), "nina");
        browser.script("document.querySelector('form#add-user select[name=role]').value = 'operator';");
        browser.type(browser.find("form#add-user input[name=password]"), "nina-password-1");
        browser.type(browser.find("form#add-user input[name=confirm]"), "nina-password-1");
        browser.click(browser.find("form#add-user button"));
        assertThat(browser.text(browser.await("#users-saved", WAIT))).contains("Added nina");
        assertThat(browser.text(browser.find("tr.user[data-user=nina] td.user-role"))).isEqualTo("operator");
        browser.screenshot(SHOTS.resolve("settings-users.png"));
        logOut();

        // who then logs in
        logIn("nina", "nina-password-1");
        assertThat(browser.text(browser.find("#user-role"))).isEqualTo("operator");
        logOut();

        // and every step is in the audit log
        logIn("admin", ADMIN_PASSWORD);
        browser.get(base + "/settings/audit");
        browser.await("table#audit", WAIT);
        browser.screenshot(SHOTS.resolve("settings-audit.png"));
        assertThat(browser.findAll("tr.audit[data-actor=vera][data-action=denied]")).hasSize(1);
        assertThat(browser.findAll("tr.audit[data-actor=otto][data-action=trigger]")).hasSize(1);
        assertThat(browser.findAll("tr.audit[data-actor=otto][data-action=denied]")).hasSize(1);
        assertThat(browser.findAll("tr.audit[data-actor=admin][data-action=user-add]")).hasSize(1);
        assertThat(browser.findAll("tr.audit[data-actor=nina][data-action=login]")).hasSize(1);
        assertThat(browser.findAll("tr.audit[data-action=user-add]")).hasSizeGreaterThanOrEqualTo(3); // vera and otto from the CLI too
        browser.get(base + "/settings/audit?actor=otto");
        assertThat(browser.text(browser.await("table#audit", WAIT))).contains("pipeline load").doesNotContain("vera");

        browser.get(base + "/settings/config");
        assertThat(browser.text(browser.await("pre#config", WAIT))).contains("sync:");
        browser.get(base + "/settings/alerts");
        browser.await("table#deliveries", WAIT);
        assertThat(browser.findAll("#no-channels")).hasSize(1);

        // the CLI lists the accounts, nina among them
        CliRunner.Result list = new CliRunner(dir, env).run("users", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("nina").contains("operator").contains("vera").contains("viewer");
    }
}
