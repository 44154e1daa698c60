package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.scheduler.JdbcMetadataStore;
import dev.tributary.scheduler.Trigger;
import dev.tributary.scheduler.alert.AlertDelivery;
import dev.tributary.scheduler.alert.AlertKind;
import dev.tributary.testkit.TestDatabases;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts and roles on the real server with a real H2 metadata store: a viewer reads but every POST it sends (page
 * or API, with a valid CSRF token) is a 403 naming the role needed; an operator triggers but cannot manage users; an
 * admin manages them; the last admin stays; every action lands in the audit log; the settings pages show alert
 * deliveries and the configuration without a single secret.
 */
class PeopleTest {
    static final String VIEWER_PASSWORD = "viewer-password-1";
    static final String OPERATOR_PASSWORD = "operator-password-1";
    // hashed once for all tests: each PBKDF2 hash takes a noticeable moment on purpose
    private static final PasswordHash VIEWER_HASH = PasswordHash.of(VIEWER_PASSWORD.toCharArray());
    private static final PasswordHash OPERATOR_HASH = PasswordHash.of(OPERATOR_PASSWORD.toCharArray());

    @TempDir
    Path dir;

    private JdbcMetadataStore db;
    private TestServer server;
    private Path config;

    @BeforeEach
    void setUp() throws Exception {
        db = JdbcMetadataStore.h2(dir.resolve("metadata"));
        config = dir.resolve("tributary.yml");
        Files.writeString(config, """
                name: people
                destination:
                  type: postgres
                  url: jdbc:postgresql://db.internal:5432/warehouse?user=loader&password=plain-query-secret
                  password: plain-key-secret
                connections:
                  crm:
                    type: hubspot
                    config:
                      access_token: ${HUBSPOT_TOKEN}
                      api_key: literal-api-key-value
                      base_url: https://reporter:url-embedded-secret@api.example.com/v3
                      client_secret: "${CLIENT_SECRET:-default-secret-value}"
                      primary_key: [id]
                alerts:
                  webhooks:
                    - url: https://hooks.example.com/services/T000/B000/hook-token-value
                """);
        Users users = Users.open(db, "admin");
        users.add("vera", Role.VIEWER, VIEWER_HASH, Instant.now());
        users.add("otto", Role.OPERATOR, OPERATOR_HASH, Instant.now());
        FakePipelineService pipelines = new FakePipelineService().add(FakePipelineService.pipeline("revops", new Trigger.Manual()));
        List<AlertDelivery> deliveries = List.of(
                new AlertDelivery(Instant.parse("2026-12-06T10:00:00Z"), "webhook 1 (json, https://hooks.example.com/…)", AlertKind.FAILURE,
                        "[tributary] revops FAILED (run 7)", Optional.of("revops"), Optional.of(7L), 3, Optional.of("HTTP 500 from the receiver")),
                new AlertDelivery(Instant.parse("2026-12-06T09:00:00Z"), "email to ops@example.com", AlertKind.RECOVERY,
                        "[tributary] revops recovered (run 6)", Optional.of("revops"), Optional.of(6L), 1, Optional.empty()));
        server = new TestServer(pipelines, ProjectData.NONE, "port: 0", Clock.systemUTC(), s -> {
            s.enablePeople(db);
            s.enableSettings(new SettingsSources(Optional.of(config), List.of("webhook 1 (json, https://hooks.example.com/…)", "email to ops@example.com"),
                    () -> deliveries));
        });
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    private String loginAs(String user, String password) {
        HttpResponse<String> r = server.login(user, password);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return TestServer.csrf(server.get("/").body());
    }

    @Test
    void aViewerReadsButEveryPostIsRefusedNamingTheRoleNeeded() {
        long live = server.pipelines.trigger("revops", "manual").id();
        String csrf = loginAs("vera", VIEWER_PASSWORD);
        String runPage = server.get("/runs/" + live).body();
        assertThat(runPage).contains("id=\"run-status\"").doesNotContain("cancel-form");
        String overview = server.get("/").body();
        assertThat(overview).contains("data-pipeline=\"revops\"").doesNotContain("form class=\"trigger\"").doesNotContain("/settings\"");
        assertThat(overview).contains("id=\"user-role\">viewer<");

        HttpResponse<String> forged = server.postForm("/pipelines/revops/trigger", Map.of("_csrf", csrf));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("needs the operator role").contains("vera is a viewer");
        assertThat(server.pipelines.runs(new dev.tributary.scheduler.RunQuery(Optional.empty(), Optional.empty(), Optional.empty(), 10, 0))).hasSize(1);
        assertThat(server.postForm("/runs/" + live + "/cancel", Map.of("_csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(server.pipelines.run(live).orElseThrow().status().isFinal()).isFalse();

        // any POST route, even one nobody registered a role for, is refused by default
        assertThat(server.postForm("/runs/1/cancel", Map.of("_csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(server.postForm("/no/such/route", Map.of("_csrf", csrf)).statusCode()).isEqualTo(403);
        HttpResponse<String> api = server.send(HttpRequest.newBuilder(server.uri("/api/v1/pipelines/revops/trigger")).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(server.json(api).path("error").asText()).contains("needs the operator role");
        assertThat(server.get("/settings/users").statusCode()).isEqualTo(403);
        assertThat(server.get("/api/v1/audit").statusCode()).isEqualTo(403);
        // logging out is anyone's
        assertThat(server.postForm("/logout", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);

        String admin = server.loginAsAdmin();
        assertThat(admin).isNotEmpty();
        JsonNode audit = server.json(server.get("/api/v1/audit?actor=vera"));
        List<String> actions = audit.path("entries").findValuesAsText("action");
        assertThat(actions).contains("login", "denied", "logout");
        assertThat(audit.path("entries").findValuesAsText("outcome")).contains("denied");
        assertThat(audit.path("entries").findValuesAsText("target")).contains("POST /pipelines/revops/trigger");
    }

    @Test
    void anOperatorTriggersButCannotManageUsers() {
        String csrf = loginAs("otto", OPERATOR_PASSWORD);
        assertThat(server.get("/").body()).contains("form class=\"trigger\"");
        HttpResponse<String> trigger = server.postForm("/pipelines/revops/trigger", Map.of("_csrf", csrf));
        assertThat(trigger.statusCode()).isEqualTo(303);
        HttpResponse<String> add = server.postForm("/settings/users", Map.of("_csrf", csrf, "username", "mallory", "role", "admin",
                "password", "mallory-password", "confirm", "mallory-password"));
        assertThat(add.statusCode()).isEqualTo(403);
        assertThat(add.body()).contains("needs the admin role").contains("otto is an operator");
        assertThat(Users.open(db, "admin").find("mallory")).isEmpty();

        server.postForm("/logout", Map.of("_csrf", csrf));
        server.loginAsAdmin();
        JsonNode entries = server.json(server.get("/api/v1/audit?actor=otto")).path("entries");
        assertThat(entries.findValuesAsText("action")).contains("trigger", "denied");
        JsonNode trig = first(entries, "trigger");
        assertThat(trig.path("target").asText()).isEqualTo("pipeline revops");
        assertThat(trig.path("role").asText()).isEqualTo("operator");
        assertThat(trig.path("ip").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void anAdminManagesUsersAndTheNewUserLogsIn() {
        String csrf = server.loginAsAdmin();
        String page = server.get("/settings/users").body();
        assertThat(page).contains("data-user=\"vera\"").contains("data-user=\"otto\"").contains("form id=\"add-user\"");
        assertThat(page).doesNotContain("pbkdf2");

        // password rules and input errors are 400s that say what is wrong
        HttpResponse<String> shortPassword = server.postForm("/settings/users", Map.of("_csrf", csrf, "username", "nina", "role", "operator",
                "password", "short", "confirm", "short"));
        assertThat(shortPassword.statusCode()).isEqualTo(400);
        assertThat(shortPassword.body()).contains("at least 12 characters");
        assertThat(server.postForm("/settings/users", Map.of("_csrf", csrf, "username", "nina", "role", "operator",
                "password", "nina-password-1", "confirm", "nina-password-2")).body()).contains("the two passwords differ");
        assertThat(server.postForm("/settings/users", Map.of("_csrf", csrf, "username", "admin", "role", "viewer",
                "password", "admin-password-1", "confirm", "admin-password-1")).statusCode()).isEqualTo(409);

        HttpResponse<String> added = server.postForm("/settings/users", Map.of("_csrf", csrf, "username", "nina", "role", "operator",
                "password", "nina-password-1", "confirm", "nina-password-1"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        assertThat(server.get(added.headers().firstValue("Location").orElseThrow()).body()).contains("id=\"users-saved\" class=\"saved\">Added nina.<");
        assertThat(server.get("/settings/users?done=added&user=your-account-is-locked").body()).doesNotContain("users-saved");
        assertThat(server.postForm("/settings/users/nina/role", Map.of("_csrf", csrf, "role", "admin")).statusCode()).isEqualTo(303);
        assertThat(server.postForm("/settings/users/vera/password", Map.of("_csrf", csrf, "password", "vera-new-password", "confirm", "vera-new-password"))
                .statusCode()).isEqualTo(303);
        assertThat(server.postForm("/settings/users/otto/disable", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        // nina is the only stored admin: she cannot be demoted or disabled
        HttpResponse<String> last = server.postForm("/settings/users/nina/disable", Map.of("_csrf", csrf));
        assertThat(last.statusCode()).isEqualTo(409);
        assertThat(last.body()).contains("last enabled admin");
        assertThat(server.postForm("/settings/users/nina/role", Map.of("_csrf", csrf, "role", "viewer")).statusCode()).isEqualTo(409);

        server.postForm("/logout", Map.of("_csrf", csrf));
        assertThat(server.login("otto", OPERATOR_PASSWORD).statusCode()).isEqualTo(401); // disabled
        assertThat(server.login("vera", VIEWER_PASSWORD).statusCode()).isEqualTo(401);   // old password
        assertThat(server.login("nina-password-1", "nina").statusCode()).isEqualTo(401);  // the fields swapped: the password is not kept
        loginAs("nina", "nina-password-1");
        assertThat(server.get("/").body()).contains("id=\"user-role\">admin<");
        assertThat(server.get("/api/v1/audit").body()).doesNotContain("nina-password-1");
        JsonNode entries = server.json(server.get("/api/v1/audit?actor=admin")).path("entries");
        assertThat(entries.findValuesAsText("action")).contains("user-add", "user-set-role", "user-reset-password", "user-disable", "login");
        assertThat(first(entries, "user-set-role").path("detail").asText()).isEqualTo("operator → admin");
        assertThat(server.json(server.get("/api/v1/audit?actor=otto&action=login-failed")).path("entries").size()).isEqualTo(1);
        assertThat(server.json(server.get("/api/v1/audit?actor=" + Html.url("(unknown user)") + "&action=login-failed")).path("entries").size()).isEqualTo(1);
        JsonNode users = server.json(server.get("/api/v1/users")).path("users");
        assertThat(users.toString()).contains("\"name\":\"nina\"").doesNotContain("pbkdf2");
    }

    @Test
    void aDisabledUsersSessionEndsAtOnce() {
        loginAs("otto", OPERATOR_PASSWORD);
        assertThat(server.get("/").statusCode()).isEqualTo(200);
        Users.open(db, "admin").setDisabled("otto", true, Instant.now());
        HttpResponse<String> after = server.get("/");
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location").orElse("")).startsWith("/login");
    }

    @Test
    void theAuditPageFiltersAndPages() {
        String csrf = server.loginAsAdmin();
        for (int i = 0; i < 60; i++) server.postForm("/runs/" + (1000 + i) + "/cancel", Map.of("_csrf", csrf)); // 404s, still recorded
        String page = server.get("/settings/audit?action=cancel").body();
        assertThat(page).contains("form id=\"audit-filters\"").contains("id=\"audit-next\"");
        assertThat(page.split("class=\"audit ", -1).length - 1).isEqualTo(SettingsPages.AUDIT_PER_PAGE);
        assertThat(page).contains("failed 404");
        String second = server.get("/settings/audit?action=cancel&page=2").body();
        assertThat(second.split("class=\"audit ", -1).length - 1).isEqualTo(10);
        assertThat(second).contains("id=\"audit-prev\"").doesNotContain("id=\"audit-next\"");
        assertThat(server.get("/settings/audit?q=runs/1042").body().split("class=\"audit ", -1).length - 1).isEqualTo(1);
        assertThat(server.get("/settings/audit?from=not-a-date").statusCode()).isEqualTo(400);
        assertThat(server.get("/settings/audit?until=2000-01-01").body()).contains("Nothing recorded that matches.");
        // the API token acts as an admin
        HttpResponse<String> api = server.get("/api/v1/audit?action=cancel&limit=5", TestServer.TOKEN);
        assertThat(server.json(api).path("entries").size()).isEqualTo(5);
    }

    @Test
    void theConfigurationPageShowsNoSecret() {
        server.loginAsAdmin();
        HttpResponse<String> r = server.get("/settings/config");
        assertThat(r.statusCode()).isEqualTo(200);
        String html = r.body();
        assertThat(html).contains("id=\"config\"").contains("db.internal").contains("primary_key").contains("${HUBSPOT_TOKEN}");
        for (String secret : List.of("plain-query-secret", "plain-key-secret", "literal-api-key-value", "url-embedded-secret", "default-secret-value",
                "hook-token-value")) {
            assertThat(html).as(secret).doesNotContain(secret);
        }
        assertThat(html).contains("reporter:" + Html.escape(ConfigMasking.MASK) + "@api.example.com");
    }

    @Test
    void theAlertsPageShowsChannelsAndDeliveriesWithFailures() {
        server.loginAsAdmin();
        String html = server.get("/settings/alerts").body();
        assertThat(html).contains("class=\"alert-channel\"").contains("email to ops@example.com");
        assertThat(html).contains("id=\"deliveries-summary\">2 shown, 1 failed<").contains("HTTP 500 from the receiver").contains("href=\"/runs/7\"");
        assertThat(html.indexOf("delivery-failed")).isLessThan(html.indexOf("delivery-ok"));
    }

    @Test
    void masking() {
        assertThat(ConfigMasking.isSecretKey("password")).isTrue();
        assertThat(ConfigMasking.isSecretKey("refresh_token")).isTrue();
        assertThat(ConfigMasking.isSecretKey("api_key")).isTrue();
        assertThat(ConfigMasking.isSecretKey("key")).isTrue();
        assertThat(ConfigMasking.isSecretKey("primary_key")).isFalse();
        assertThat(ConfigMasking.isSecretKey("keyword")).isFalse();
        assertThat(ConfigMasking.isSecretKey("monkey")).isFalse();
        assertThat(ConfigMasking.mask("url: postgres://u:p4ss@h/db\nn: 5\n")).contains("u:" + ConfigMasking.MASK + "@h").doesNotContain("p4ss");
        assertThatThrownBy(() -> Users.checkPassword("bob", "aaaaaaaaaaaaaaaa".toCharArray())).hasMessageContaining("4 different characters");
    }

    /** The page shows the file as written: YAML 1.1's on/yes/off and dates were turned into true, false and timestamps. */
    @Test
    void maskingKeepsWordsAndDatesAsWritten() {
        String masked = ConfigMasking.mask("""
                alerts:
                  on: [failure, retry]
                pipelines:
                  p:
                    steps:
                      - sync: []
                        parallel: no
                      - build: []
                        vars: {start: 2026-01-01, flag: off, n: 5, real: true, none: null, at: 12:30, mode: 0755, hex: 0x1F}
                """);
        assertThat(masked).contains("  on:\n").doesNotContain("true:")
                .contains("parallel: no").contains("start: 2026-01-01\n").contains("flag: off").contains("n: 5").contains("real: true")
                .contains("none: null").contains("at: 12:30").contains("0755").contains("hex: 0x1F");
    }

    private static JsonNode first(JsonNode entries, String action) {
        for (JsonNode e : entries) if (e.path("action").asText().equals(action)) return e;
        throw new AssertionError("no " + action + " in " + entries);
    }

    /** Accounts and audit rows on PostgreSQL too, in a schema of this test's own. */
    @Test
    void usersAndAuditOnPostgres() throws Exception {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "ui3_people");
        try (JdbcMetadataStore pg = JdbcMetadataStore.postgres(url, null, null, schema)) {
            // several serve processes starting at once each lay out the tables: they take turns, none fails
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<Object>> opened = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    opened.add(pool.submit(() -> {
                        Users.open(pg, "admin");
                        AuditLog.open(pg, Clock.systemUTC());
                        return dev.tributary.scheduler.alert.AlertDeliveries.open(pg);
                    }));
                }
                for (java.util.concurrent.Future<Object> f : opened) assertThat(f.get(60, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
            } finally {
                pool.shutdownNow();
            }
            Users users = Users.open(pg, "admin");
            users.add("pia", Role.ADMIN, OPERATOR_HASH, Instant.now());
            users.add("pat", Role.ADMIN, VIEWER_HASH, Instant.now());
            users.setDisabled("pat", true, Instant.now());
            assertThatThrownBy(() -> users.setRole("pia", Role.OPERATOR, Instant.now())).isInstanceOf(Users.Refused.class).hasMessageContaining("last enabled admin");
            assertThat(users.passwordOf("pia").orElseThrow().matches(OPERATOR_PASSWORD.toCharArray())).isTrue();
            assertThat(users.passwordOf("pat")).isEmpty();
            AuditLog audit = AuditLog.open(pg, Clock.systemUTC());
            audit.record("pia", "admin", "trigger", "pipeline a_b", "", "127.0.0.1", "ok");
            audit.record("pia", "admin", "cancel", "run 5", "", "127.0.0.1", "ok");
            assertThat(audit.find(new AuditLog.Query("pia", "", "a_b", Optional.empty(), Optional.empty(), 10, 0))).extracting(AuditLog.Entry::action)
                    .containsExactly("trigger");
            assertThat(audit.find(new AuditLog.Query("", "", "", Optional.empty(), Optional.empty(), 10, 0))).extracting(AuditLog.Entry::action)
                    .containsExactly("cancel", "trigger");
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
        }
    }
}
