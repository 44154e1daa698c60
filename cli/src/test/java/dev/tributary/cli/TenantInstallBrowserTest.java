package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install flow of the multi-tenant app in a real headless Chromium against the HubSpot sandbox, on a DuckDB
 * warehouse: log in, open Tenants, follow the install link to HubSpot's account picker, pick an account, consent, land
 * on the callback's "Installed" page, see the tenant listed; two accounts installed this way sync into their own
 * schemas, each tenant's page shows its own tables only, and removing one drops its schema and state only.
 * Screenshots go to target/screenshots.
 */
class TenantInstallBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void installTwoAccountsInTheBrowserAndSeeEachOnesOwnTables() throws Exception {
        long removed;
        try (TenantServe t = new TenantServe(dir, 3, 25, 4, "type: duckdb", "");
             HeadlessChromium browser = HeadlessChromium.start()) {
            long first = t.hubspot.hubIds().get(0);
            long second = t.hubspot.hubIds().get(2);
            browser.get(t.base + "/tenants");
            browser.await("form#login-form", Duration.ofSeconds(20));
            browser.type(browser.find("input[name=username]"), "admin");
            browser.type(browser.find("input[name=password]"), TenantServe.PASSWORD);
            browser.click(browser.find("form#login-form button"));
            browser.await("table#tenants", Duration.ofSeconds(20));
            assertThat(browser.findAll("tr.tenant")).isEmpty();

            for (long hub : new long[] {first, second}) {
                browser.click(browser.await("a#install-link", Duration.ofSeconds(20)));
                browser.click(browser.await("a#account-" + hub, Duration.ofSeconds(20)));
                assertThat(browser.text(browser.await("ul#scopes", Duration.ofSeconds(20)))).contains("crm.objects.contacts.read").contains("crm.objects.deals.read");
                if (hub == first) browser.screenshot(SHOTS.resolve("tenant-consent.png"));
                browser.click(browser.find("a#grant"));
                assertThat(browser.text(browser.await("p#installed", Duration.ofSeconds(20)))).contains("hub " + hub);
                browser.get(t.base + "/tenants");
                assertThat(browser.text(browser.await("tr.tenant[data-hub='" + hub + "']", Duration.ofSeconds(20)))).contains("active");
            }
            browser.screenshot(SHOTS.resolve("tenants.png"));

            JsonNode run = t.runPipeline();
            assertThat(run.get("status").asText()).as(t.log(run.get("id").asLong()) + t.out).isEqualTo("succeeded");
            browser.get(t.base + "/tenants/" + first);
            browser.await("section.tenant-connection", Duration.ofSeconds(20));
            String page = browser.text(browser.find("main"));
            assertThat(page).contains("crm_" + first).contains("contacts").doesNotContain("crm_" + second);
            browser.screenshot(SHOTS.resolve("tenant.png"));

            // removing the second tenant drops its schema and state from DuckDB; the first keeps its own
            assertThat(t.api("DELETE", "/tenants/" + second).get("result").asText()).contains("crm_" + second + " dropped");
            removed = second;
        }
        // each account's rows in its own DuckDB schema, tagged with its hub id
        assertEachSchemaHoldsOnlyItsTenant(dir, removed);
    }

    private static void assertEachSchemaHoldsOnlyItsTenant(Path dir, long removed) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb")); Statement s = c.createStatement();
             ResultSet schemas = s.executeQuery("select distinct table_schema from information_schema.tables where table_schema like 'crm_%' order by 1")) {
            java.util.List<String> names = new java.util.ArrayList<>();
            while (schemas.next()) names.add(schemas.getString(1));
            assertThat(names).hasSize(1).doesNotContain("crm_" + removed);
            try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery("select count(*) from main._tributary_state where connection = 'crm_"
                    + removed + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the removed tenant's state").isZero();
            }
            for (String schema : names) {
                try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery("select count(*), count(*) filter (where _tributary_tenant <> '"
                        + schema.substring(4) + "') from " + schema + ".contacts")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isPositive();
                    assertThat(rs.getLong(2)).as(schema + " rows of another tenant").isZero();
                }
            }
        }
    }
}
