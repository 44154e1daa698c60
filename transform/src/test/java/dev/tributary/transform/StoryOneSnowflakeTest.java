package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.snowflake.SnowflakeSandbox;
import dev.tributary.sandbox.snowflake.SnowflakeSandboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Story 1's models ({@code examples/revops/models}, unmodified) built on the snowflake target through the real driver
 * and the local sandbox give DuckDB's rows for every mart, from the same small HubSpot and product tables (names
 * matching with and without legal suffixes, case and spaces, refunds, failed payments, a deal without amount).
 */
class StoryOneSnowflakeTest {
    @TempDir
    Path dir;

    private static final String[] MARTS = {
        "select * from %s.company_deals order by deal_id",
        "select * from %s.company_deal_totals order by company_id, currency",
        "select * from %s.contacts_to_users order by contact_id, currency",
        "select * from %s.team_spending order by company_id, currency",
        "select * from %s.unmatched_companies order by company_id",
        "select * from %s.unmatched_teams order by team_id",
        "select * from %s.team_company_matches order by team_id",
    };

    private static List<String> sources(String now) {
        String ts = "cast('" + now + "' as timestamp)";
        return List.of(
                "create schema if not exists hubspot",
                "create schema if not exists product_db",
                "create table hubspot.companies (id varchar, name varchar, domain varchar, industry varchar, country varchar, createdat timestamp, updatedat timestamp,"
                        + " archived boolean, merged_into_id varchar, _tributary_deleted_at timestamp, _tributary_extracted_at timestamp)",
                "insert into hubspot.companies values ('1', 'Acme, Inc.', 'acme.com', 'Pharma', 'US', " + ts + ", " + ts + ", false, null, null, " + ts + "),"
                        + " ('2', 'Globex Corporation', 'www.globex.com', 'Energy', 'DE', " + ts + ", " + ts + ", null, null, null, " + ts + "),"
                        + " ('3', 'Initech', 'initech.io', 'Software', 'US', " + ts + ", " + ts + ", false, null, null, " + ts + "),"
                        + " ('4', 'Gone Ltd', 'gone.com', null, null, " + ts + ", " + ts + ", true, null, null, " + ts + ")",
                "create table hubspot.contacts (id varchar, email varchar, firstname varchar, lastname varchar, associatedcompanyid varchar, lifecyclestage varchar,"
                        + " createdat timestamp, updatedat timestamp, archived boolean, merged_into_id varchar, _tributary_deleted_at timestamp, _tributary_extracted_at timestamp)",
                "insert into hubspot.contacts values ('10', 'alice@acme.com', 'Alice', 'A', '1', 'customer', " + ts + ", " + ts + ", false, null, null, " + ts + "),"
                        + " ('11', ' Bob@Globex.com ', 'Bob', 'B', '2', 'lead', " + ts + ", " + ts + ", false, null, null, " + ts + "),"
                        + " ('12', 'carol@gmail.com', 'Carol', 'C', '3', 'lead', " + ts + ", " + ts + ", false, null, null, " + ts + "),"
                        + " ('13', '', 'Nobody', null, null, null, " + ts + ", " + ts + ", false, null, null, " + ts + ")",
                "create table hubspot.deals (id varchar, dealname varchar, amount numeric(18,2), deal_currency_code varchar, pipeline varchar, dealstage varchar,"
                        + " closedate timestamp, createdat timestamp, updatedat timestamp, archived boolean, merged_into_id varchar, _tributary_deleted_at timestamp, _tributary_extracted_at timestamp)",
                "insert into hubspot.deals values ('100', 'Acme renewal', 5000.00, 'USD', 'default', 'closedwon', " + ts + ", " + ts + ", " + ts + ", false, null, null, " + ts + "),"
                        + " ('101', 'Globex new', 1200.50, 'EUR', 'default', 'appointmentscheduled', null, " + ts + ", " + ts + ", false, null, null, " + ts + "),"
                        + " ('102', 'Initech lost', null, 'USD', 'default', 'closedlost', " + ts + ", " + ts + ", " + ts + ", false, null, null, " + ts + "),"
                        + " ('103', 'Acme upsell', 700.00, 'USD', 'default', 'closedwon', " + ts + ", " + ts + ", " + ts + ", false, null, null, " + ts + ")",
                "create table hubspot.deal_company (from_id varchar, to_id varchar, _tributary_deleted_at timestamp)",
                "insert into hubspot.deal_company values ('100', '1', null), ('101', '2', null), ('102', '3', null), ('103', '1', null)",
                "create table hubspot.deal_pipeline_stages (pipeline_id varchar, id varchar, label varchar, is_closed boolean, probability double)",
                "insert into hubspot.deal_pipeline_stages values ('default', 'closedwon', 'Closed Won', true, 1.0), ('default', 'closedlost', 'Closed Lost', true, 0.0),"
                        + " ('default', 'appointmentscheduled', 'Appointment Scheduled', false, 0.2)",
                "create table product_db.users (id bigint, email varchar, first_name varchar, last_name varchar, country varchar, created_at timestamp, updated_at timestamp,"
                        + " _tributary_deleted_at timestamp)",
                "insert into product_db.users values (1, 'alice@acme.com', 'Alice', 'A', 'US', " + ts + ", " + ts + ", null), (2, 'bob@globex.com', 'Bob', 'B', 'DE', " + ts + ", " + ts + ", null),"
                        + " (3, 'dave@initech.io', 'Dave', 'D', 'US', " + ts + ", " + ts + ", null), (4, 'eve@gmail.com', 'Eve', 'E', 'FR', " + ts + ", " + ts + ", null),"
                        + " (5, 'frank@initech.io', 'Frank', 'F', 'US', " + ts + ", " + ts + ", null)",
                "create table product_db.teams (id bigint, name varchar, plan varchar, seats bigint, currency varchar, created_at timestamp, updated_at timestamp, _tributary_deleted_at timestamp)",
                "insert into product_db.teams values (1, 'ACME INC', 'pro', 5, 'USD', " + ts + ", " + ts + ", null), (2, 'Globex', 'team', 3, 'EUR', " + ts + ", " + ts + ", null),"
                        + " (3, 'Personal', 'free', 1, 'USD', " + ts + ", " + ts + ", null), (4, 'Skunkworks', 'pro', 2, 'USD', " + ts + ", " + ts + ", null)",
                "create table product_db.team_membership (team_id bigint, user_id bigint, role varchar, joined_at timestamp, updated_at timestamp, _tributary_deleted_at timestamp)",
                "insert into product_db.team_membership values (1, 1, 'owner', " + ts + ", " + ts + ", null), (2, 2, 'owner', " + ts + ", " + ts + ", null),"
                        + " (3, 4, 'owner', " + ts + ", " + ts + ", null), (4, 3, 'owner', " + ts + ", " + ts + ", null), (4, 5, 'member', " + ts + ", " + ts + ", null)",
                "create table product_db.transactions (id bigint, user_id bigint, team_id bigint, amount numeric(18,2), currency varchar, status varchar, created_at timestamp,"
                        + " updated_at timestamp, _tributary_deleted_at timestamp)",
                "insert into product_db.transactions values (1, 1, 1, 100.00, 'USD', 'paid', " + ts + ", " + ts + ", null), (2, 1, 1, 20.00, 'USD', 'refunded', " + ts + ", " + ts + ", null),"
                        + " (3, 2, 2, 50.00, 'EUR', 'paid', " + ts + ", " + ts + ", null), (4, 2, 2, 10.00, 'EUR', 'failed', " + ts + ", " + ts + ", null),"
                        + " (5, 3, 4, 75.25, 'USD', 'paid', " + ts + ", " + ts + ", null)");
    }

    @Test
    void storyOnesModelsBuildOnSnowflakeWithDuckDbsRows() throws Exception {
        Path project = dir.resolve("revops");
        Path examples = Path.of("..", "examples", "revops");
        try (var files = Files.walk(examples)) {
            for (Path f : files.filter(p -> p.startsWith(examples.resolve("models")) || p.startsWith(examples.resolve("macros")) || p.startsWith(examples.resolve("seeds"))).toList()) {
                Path to = project.resolve(examples.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to); else Files.copy(f, to);
            }
        }
        String now = LocalDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
        WarehouseTarget duck = WarehouseTarget.duckdb(dir.resolve("wh.duckdb"), "revops_public", 2);
        try (SnowflakeSandbox snowflake = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDatabases(List.of("ANALYTICS")))) {
            WarehouseTarget sf = WarehouseTarget.snowflake("sandbox", "127.0.0.1", snowflake.port(), "http", "TRIBUTARY", "tributary", null, null, "transforming",
                    "ANALYTICS", "revops_public", 2);
            for (WarehouseTarget t : List.of(duck, sf)) {
                try (Connection c = t.connect(); Statement s = c.createStatement()) {
                    for (String sql : sources(now)) s.execute(sql);
                }
                RunSummary r = new TransformRunner(TransformProject.load(project, TransformOptions.defaults().withWarehouse(t).withProjectName("revops")), ProgressListener.NONE).build();
                assertThat(r.results()).as(t.type()).allSatisfy(x -> assertThat(x.status()).as(x.name() + ": " + x.message()).isIn(NodeStatus.SUCCESS, NodeStatus.PASS, NodeStatus.WARN));
                assertThat(r.exitCode()).as(t.type() + " " + r.summaryLine()).isZero();
            }
            List<List<String>> expected = SnowflakeSandboxBuildTest.rows(duck, MARTS);
            assertThat(expected).hasSizeGreaterThan(15);
            assertThat(SnowflakeSandboxBuildTest.rows(sf, MARTS)).isEqualTo(expected);
        }
    }
}
