package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.testkit.TestDatabases;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-tenant app end to end over HTTP on a PostgreSQL warehouse: installs (a second one of a hub updates it),
 * state replay and tampering refused, per-tenant syncs into {@code <prefix>crm_<hub_id>} with the tenant column,
 * isolation of tables, API and pages, the concurrency cap and per-account limits, a tenant whose token HubSpot
 * refuses (needs re-install, one alert, never retried while the others sync), pause and resume, uninstall through
 * HubSpot's API, and removal with its data.
 */
class MultiTenantServeTest {
    @TempDir
    Path dir;

    private String url;
    private String prefix;
    private HttpServer webhook;
    private final List<String> alerts = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        if (webhook != null) webhook.stop(0);
        if (prefix != null) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select schema_name from information_schema.schemata where schema_name like '" + prefix + "%'")) {
                List<String> schemas = new ArrayList<>();
                while (rs.next()) schemas.add(rs.getString(1));
                for (String schema : schemas) TestDatabases.dropPostgresSchema(url, schema);
            }
        }
    }

    @Test
    void installSyncIsolateRefuseUninstallAndRemove() throws Exception {
        url = TestDatabases.postgresUrl();
        prefix = "tenant_" + Long.toHexString(System.nanoTime() & 0xffffff) + "_";
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        String destination = "type: postgres\nurl: \"" + url + "\"\nschema_prefix: " + prefix;
        String alertsYaml = """
                alerts:
                  on: [failure]
                  webhooks:
                    - url: http://127.0.0.1:%d/hook
                      format: json
                """.formatted(webhook.getAddress().getPort());
        try (TenantServe t = new TenantServe(dir, 6, 40, 2, destination, alertsYaml)) {
            List<Long> hubs = t.hubspot.hubIds().subList(0, 5);
            for (long hub : hubs) t.install(hub);
            t.install(hubs.get(0)); // a second install of the same account updates it
            JsonNode listed = t.api("GET", "/tenants");
            assertThat(listed).hasSize(5);
            assertThat(listed.get(0).get("status").asText()).isEqualTo("active");
            assertThat(listed.get(0).get("scopes").toString()).contains("crm.objects.deals.read");
            assertThat(listed.get(0).get("user").asText()).contains("@");

            // replayed and tampered callbacks are refused; no tenant is made from them
            String callback = t.installCallbackUrl(t.hubspot.hubIds().get(5));
            assertThat(t.get(callback, null).statusCode()).isEqualTo(200);
            HttpResponse<String> replay = t.get(callback, null);
            assertThat(replay.statusCode()).isEqualTo(400);
            assertThat(replay.body()).contains("already used");
            String other = t.installCallbackUrl(t.hubspot.hubIds().get(5));
            HttpResponse<String> tampered = t.get(other.replaceAll("(state=[^.&]+\\.)(\\d)", "$19"), null);
            assertThat(tampered.statusCode()).isEqualTo(400);
            assertThat(tampered.body()).contains("not signed by this server");
            t.api("DELETE", "/tenants/" + t.hubspot.hubIds().get(5));
            assertThat(t.api("GET", "/tenants")).hasSize(5);

            // the pages and the API need a login or the token; the install link does not
            assertThat(t.get(t.base + "/tenants", null).statusCode()).isEqualTo(303);
            assertThat(t.get(t.base + "/api/v1/tenants", null).statusCode()).isEqualTo(401);

            JsonNode run = t.runPipeline();
            String log = t.log(run.get("id").asLong());
            assertThat(run.get("status").asText()).as(log + t.out).isEqualTo("succeeded");
            assertThat(log).contains("5 tenants, 5 ok, 0 failed").containsPattern("at most [12] at once");
            // per-account limits: no 429 from HubSpot, no account above its hundred calls per ten seconds
            assertThat(t.hubspot.control().counters().rateLimited()).isZero();
            assertThat(t.hubspot.peakTenSecondUse().values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(100));

            // isolation: each tenant's schema holds its own portal's rows only, tagged with its hub id
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (long hub : hubs) {
                    String table = prefix + "crm_" + hub + ".contacts";
                    try (ResultSet rs = s.executeQuery("select count(*), count(*) filter (where _tributary_tenant <> '" + hub + "') from " + table)) {
                        rs.next();
                        assertThat(rs.getLong(1)).as(table).isEqualTo(t.hubspot.portal(hub).table(dev.tributary.sandbox.hubspot.data.ObjectType.CONTACTS).size());
                        assertThat(rs.getLong(2)).as(table + " rows of another tenant").isZero();
                    }
                }
            }
            JsonNode tables = t.api("GET", "/tenants/" + hubs.get(1) + "/tables");
            assertThat(tables).hasSize(1);
            assertThat(tables.get(0).get("schema").asText()).isEqualTo(prefix + "crm_" + hubs.get(1));
            assertThat(tables.get(0).toString()).doesNotContain(Long.toString(hubs.get(2)));
            JsonNode one = t.api("GET", "/tenants/" + hubs.get(1));
            assertThat(one.get("rows").asLong()).isPositive();
            assertThat(one.get("apiCalls").asLong()).isPositive();
            HttpResponse<String> page = t.loggedIn().send(HttpRequest.newBuilder(URI.create(t.base + "/tenants/" + hubs.get(1))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains(prefix + "crm_" + hubs.get(1)).doesNotContain("crm_" + hubs.get(2));
            // nothing secret on pages or in the API
            for (String body : List.of(page.body(), t.api("GET", "/tenants").toString(), t.out.toString())) {
                assertThat(body).doesNotContain(TenantServe.CLIENT_SECRET).doesNotContain("na1-");
            }

            // HubSpot refuses one tenant's token (the account removed the app): it needs a re-install, one alert, the others sync
            long refused = hubs.get(2);
            uninstallFromHubSpotSide(t, refused);
            JsonNode second = t.runPipeline();
            String secondLog = t.log(second.get("id").asLong());
            assertThat(second.get("status").asText()).isEqualTo("failed");
            assertThat(secondLog).contains("5 tenants, 4 ok, 1 failed (1 need re-install)");
            assertThat(t.api("GET", "/tenants/" + refused).get("status").asText()).isEqualTo("needs-reinstall");
            assertThat(alerts).filteredOn(a -> a.contains("tenant_needs_reinstall")).hasSize(1);
            JsonNode third = t.runPipeline();
            assertThat(third.get("status").asText()).isEqualTo("succeeded");
            assertThat(t.log(third.get("id").asLong())).contains("4 active tenants").doesNotContain("crm[" + refused + "]");
            assertThat(alerts).filteredOn(a -> a.contains("tenant_needs_reinstall")).hasSize(1);

            // pause and resume
            long paused = hubs.get(3);
            assertThat(t.api("POST", "/tenants/" + paused + "/pause").get("status").asText()).isEqualTo("paused");
            assertThat(t.apiResponse("POST", "/tenants/" + paused + "/pause").statusCode()).isEqualTo(409);
            assertThat(t.log(t.runPipeline().get("id").asLong())).doesNotContain("crm[" + paused + "]");
            assertThat(t.api("POST", "/tenants/" + paused + "/resume").get("status").asText()).isEqualTo("active");

            // uninstall through HubSpot's API closes the tenant; HubSpot then refuses its tokens
            long uninstalled = hubs.get(4);
            assertThat(t.api("POST", "/tenants/" + uninstalled + "/uninstall").get("status").asText()).isEqualTo("uninstalled");
            assertThat(t.hubspot.isUninstalled(uninstalled)).isTrue();

            // remove with its data: schema, state and record gone; the other tenants untouched
            long removed = hubs.get(1);
            t.api("DELETE", "/tenants/" + removed);
            assertThat(t.apiResponse("GET", "/tenants/" + removed).statusCode()).isEqualTo(404);
            assertThat(t.hubspot.isUninstalled(removed)).isTrue();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select count(*) from information_schema.schemata where schema_name = '" + prefix + "crm_" + removed + "'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isZero();
                }
                try (ResultSet rs = s.executeQuery("select connection, count(*) from " + prefix + "tributary._tributary_state group by connection order by 1")) {
                    List<String> connections = new ArrayList<>();
                    while (rs.next()) connections.add(rs.getString(1));
                    assertThat(connections).doesNotContain("crm_" + removed).contains("crm_" + hubs.get(0));
                }
                try (ResultSet rs = s.executeQuery("select count(*) from " + prefix + "crm_" + hubs.get(0) + ".contacts")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isPositive();
                }
            }
        }
    }

    /** The account's admin removes the app in HubSpot: a fresh grant for that hub, then the app's uninstall call with it. */
    private static void uninstallFromHubSpotSide(TenantServe t, long hub) throws Exception {
        String code = java.net.URLDecoder.decode(t.installCallbackUrl(hub).replaceAll(".*code=([^&]+).*", "$1"), StandardCharsets.UTF_8);
        String form = "grant_type=authorization_code&client_id=" + TenantServe.CLIENT_ID + "&client_secret=" + TenantServe.CLIENT_SECRET
                + "&redirect_uri=" + java.net.URLEncoder.encode(t.base + "/oauth/callback", StandardCharsets.UTF_8) + "&code=" + code;
        HttpResponse<String> token = t.http.send(HttpRequest.newBuilder(URI.create(t.hubspot.baseUrl() + "/oauth/v3/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        String access = TenantServe.JSON.readTree(token.body()).get("access_token").asText();
        HttpResponse<String> gone = t.http.send(HttpRequest.newBuilder(URI.create(t.hubspot.baseUrl() + "/appinstalls/v3/external-install"))
                .header("Authorization", "Bearer " + access).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(204);
    }
}
