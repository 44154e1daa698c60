package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.testkit.TestDatabases;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/revops end to end on the real PostgreSQL and the HubSpot sandbox: HubSpot is synced first, the example's
 * generator derives a product database from the synced companies and contacts (in a schema of the test's own), its
 * tributary.yml syncs that into DuckDB and, with the destination line switched, into PostgreSQL; {@code build} runs the
 * models, whose answers are checked against values computed here from the source data; after the product changes, the
 * next sync reads only what changed and merges it.
 */
class RevOpsExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "revops").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private String url;
    private String productSchema;
    private String warehousePrefix;
    private HubSpotSandbox hubspot;

    @BeforeEach
    void seed() throws Exception {
        url = TestDatabases.postgresUrl();
        productSchema = TestDatabases.createPostgresSchema(url, "revops_product");
        warehousePrefix = productSchema + "_";
        hubspot = HubSpotSandbox.start(SandboxOptions.fromArgs("--port", "0", "--seed", "7", "--scale", "contacts=1000"));
    }

    @AfterEach
    void drop() {
        if (hubspot != null) hubspot.close();
        if (url == null) return;
        TestDatabases.dropPostgresSchema(url, productSchema);
        TestDatabases.dropPostgresSchema(url, warehousePrefix + "product_db");
        TestDatabases.dropPostgresSchema(url, warehousePrefix + "hubspot");
        TestDatabases.dropPostgresSchema(url, warehousePrefix + "tributary");
    }

    @Test
    void productDatabaseSyncsIntoDuckDbBuildsTheModelsThenOnlyChangesFollow() throws Exception {
        ExampleFixtures.copyProject(EXAMPLE, dir);
        CliRunner cli = new CliRunner(dir, env());
        CliRunner.Result hubspotSync = cli.run("sync", "hubspot");
        assertThat(hubspotSync.exitCode()).as(hubspotSync.toString()).isZero();
        Path warehouse = dir.resolve("warehouse.duckdb");
        assertThat(Warehouse.number(warehouse, "select count(*) from hubspot.contacts")).isPositive();
        assertThat(Warehouse.number(warehouse, "select count(*) from hubspot.contact_company")).isPositive();

        // the product database agrees with the CRM: generated from the companies and contacts just synced
        TestDatabases.execute(url, generate("--from-duckdb", warehouse.toString(), "--users", "600", "--seed", "7"));
        Map<String, Object> known = addKnownCases(queryDuckDb(warehouse,
                "select cast(id as bigint) as id, name, lower(trim(domain)) as domain from hubspot.companies"
                        + " where not coalesce(archived, false) and merged_into_id is null and name is not null"),
                queryDuckDb(warehouse, "select cast(id as bigint) as id, email from hubspot.contacts where not coalesce(archived, false)"
                        + " and merged_into_id is null and email is not null order by id"));

        CliRunner.Result check = cli.run("check");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.out()).containsPattern("Done: (\\d+) of \\1 streams synced");

        for (String table : new String[] {"teams", "users", "team_membership", "transactions"}) {
            assertThat(Warehouse.number(warehouse, "select count(*) from product_db." + table)).as(table).isEqualTo(count(table));
        }
        long paid = Warehouse.number(warehouse, "select round(sum(amount) * 100) from product_db.transactions");
        assertThat(paid).isEqualTo(scalar("select round(sum(amount) * 100) from " + productSchema + ".transactions"));

        TestDatabases.execute(url, generate("--touch", "25"));
        CliRunner.Result again = cli.run("sync", "product_db", "--json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("\"records\" : 50"); // 25 changed and 25 new transactions, nothing else
        assertThat(Warehouse.number(warehouse, "select count(*) from product_db.transactions")).isEqualTo(count("transactions"));
        assertThat(Warehouse.number(warehouse, "select count(*) from product_db.transactions where status = 'refunded'"))
                .isEqualTo(scalar("select count(*) from " + productSchema + ".transactions where status = 'refunded'"));
        CliRunner.Result build = cli.run("build");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out()).contains("ERROR=0 SKIP=0");
        assertModels(known, sql -> queryDuckDb(warehouse, sql), "hubspot", "main", "main_tributary");
    }

    @Test
    void oneLineSwitchesTheWarehouseToPostgres() throws Exception {
        String yml = Files.readString(EXAMPLE.resolve("tributary.yml"));
        assertThat(yml).contains("destination: *duckdb ");
        ExampleFixtures.copyProject(EXAMPLE, dir);
        Files.writeString(dir.resolve("tributary.yml"), yml.replace("destination: *duckdb ", "destination: *postgres"));
        CliRunner cli = new CliRunner(dir, env());
        CliRunner.Result hubspotSync = cli.run("sync", "hubspot");
        assertThat(hubspotSync.exitCode()).as(hubspotSync.toString()).isZero();
        TestDatabases.execute(url, generate("--from-jdbc", url, "--hubspot-schema", warehousePrefix + "hubspot", "--users", "600", "--seed", "7"));
        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("PostgreSQL")
                .as("the summary names the table as PostgreSQL has it, schema prefix included")
                .contains(warehousePrefix + "product_db.transactions");
        assertThat(Files.exists(dir.resolve("warehouse.duckdb"))).isFalse();
        assertThat(scalar("select count(*) from " + warehousePrefix + "product_db.transactions")).isEqualTo(count("transactions"));
        assertThat(scalar("select count(*) from " + warehousePrefix + "hubspot.deals")).isPositive();
        assertThat(scalar("select count(*) from " + warehousePrefix + "product_db.users u join " + productSchema
                + ".users p using (id) where u.email = p.email and u.updated_at = p.updated_at")).isEqualTo(count("users"));

        // The same models build on PostgreSQL: sources find <prefix>hubspot and <prefix>product_db by their names.
        CliRunner.Result build = cli.run("build");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        assertThat(build.out()).contains("ERROR=0");
        String models = warehousePrefix + "public";
        try {
            long linkedContacts = scalar("select count(distinct c.id) from " + warehousePrefix + "hubspot.contacts c join " + warehousePrefix
                    + "product_db.users u on lower(trim(c.email)) = lower(trim(u.email)) where not coalesce(c.archived, false) and c._tributary_deleted_at is null"
                    + " and c.merged_into_id is null and u._tributary_deleted_at is null");
            assertThat(linkedContacts).isPositive();
            assertThat(scalar("select count(distinct contact_id) from " + models + ".contacts_to_users where user_id is not null"))
                    .as("contacts linked by normalised email, computed from the loaded tables").isEqualTo(linkedContacts);
            assertThat(scalar("select count(*) from " + models + ".team_company_matches")).isPositive();
        } finally {
            for (String s : new String[] {models, models + "_dbt_test__audit", models + "_tributary"}) TestDatabases.dropPostgresSchema(url, s);
        }
    }

    /** The project as a user has it: tributary.yml, models, macros and seeds (not the generator's output). */
    /**
     * Cases whose answers are known by construction, added to the generated product database: a team named like
     * "SILVER LABS, INC" after a company "Silver Labs Inc." (unique by name; its one member on free mail), a team named
     * after nothing, and a user whose email is a contact's, shouted and padded, with USD and EUR payments, a refund and
     * a failed payment.
     */
    private Map<String, Object> addKnownCases(List<Map<String, Object>> companies, List<Map<String, Object>> contacts) throws Exception {
        Map<String, Integer> keys = new HashMap<>();
        for (Map<String, Object> c : companies) keys.merge(nameKey((String) c.get("name")), 1, Integer::sum);
        Map<String, Object> company = companies.stream()
                .filter(c -> keys.get(nameKey((String) c.get("name"))) == 1 && nameKey((String) c.get("name")).contains(" "))
                .findFirst().orElseThrow();
        Map<String, Integer> domainCounts = new HashMap<>();
        for (Map<String, Object> c : companies) if (c.get("domain") != null) domainCounts.merge((String) c.get("domain"), 1, Integer::sum);
        Map<String, Object> named = companies.stream() // a second team: this company's name, its member on another company's domain
                .filter(c -> c != company && keys.get(nameKey((String) c.get("name"))) == 1).findFirst().orElseThrow();
        Map<String, Object> other = companies.stream()
                .filter(c -> c != company && c != named && c.get("domain") != null && domainCounts.get((String) c.get("domain")) == 1).findFirst().orElseThrow();
        Set<String> userEmails = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select email from " + productSchema + ".users")) {
            while (rs.next()) userEmails.add(rs.getString(1).strip().toLowerCase(Locale.ROOT));
        }
        Map<String, Integer> contactEmails = new HashMap<>();
        for (Map<String, Object> c : contacts) contactEmails.merge(((String) c.get("email")).strip().toLowerCase(Locale.ROOT), 1, Integer::sum);
        Map<String, Object> contact = contacts.stream().filter(c -> {
            String e = ((String) c.get("email")).strip().toLowerCase(Locale.ROOT);
            return !userEmails.contains(e) && contactEmails.get(e) == 1;
        }).findFirst().orElseThrow();
        String teamName = nameKey((String) company.get("name")).toUpperCase(Locale.ROOT) + ", INC";
        String p = productSchema;
        TestDatabases.execute(url, String.join("\n",
                "INSERT INTO " + p + ".teams VALUES (9001, '" + teamName + "', 'team', 5, 'USD', now(), now()),"
                        + " (9002, 'Zyzzyva Holdings GmbH', 'free', 1, 'USD', now(), now()),"
                        + " (9003, '" + ((String) named.get("name")).replace("'", "''") + "', 'free', 1, 'USD', now(), now());",
                "INSERT INTO " + p + ".users VALUES (9001, '  " + ((String) contact.get("email")).toUpperCase(Locale.ROOT) + " ', 'Known', 'Contact', 'US', now(), now()),"
                        + " (9002, 'known.member@gmail.com', 'Known', 'Member', 'US', now(), now()),"
                        + " (9003, 'ops@zyzzyva-holdings.example', 'Zyzzyva', 'Ops', 'US', now(), now()),"
                        + " (9004, 'someone.else@" + other.get("domain") + "', 'Someone', 'Else', 'US', now(), now());",
                "INSERT INTO " + p + ".team_membership VALUES (9001, 9002, 'admin', now(), now()), (9002, 9003, 'admin', now(), now()), (9003, 9004, 'admin', now(), now());",
                "INSERT INTO " + p + ".transactions VALUES (90001, 9001, 9002, 100.00, 'USD', 'paid', now(), now()),"
                        + " (90002, 9001, 9002, -30.00, 'USD', 'refunded', now(), now()), (90003, 9001, 9002, 50.00, 'USD', 'failed', now(), now()),"
                        + " (90004, 9001, 9002, 20.00, 'EUR', 'paid', now(), now());"));
        return Map.of("company", company.get("id"), "contact", contact.get("id"), "teamName", teamName);
    }

    /** The models' answers against what the source data says, computed here without the models' SQL. */
    private void assertModels(Map<String, Object> known, Function<String, List<Map<String, Object>>> warehouse, String hubspotSchema,
            String models, String checks) throws Exception {
        // contacts_to_users: the padded, upper-case email links; refunds count negative, failed payments not at all
        Map<String, BigDecimal> spend = new TreeMap<>();
        for (Map<String, Object> r : warehouse.apply("select user_id, currency, lifetime_spend from " + models + ".contacts_to_users where contact_id = "
                + known.get("contact"))) {
            assertThat(((Number) r.get("user_id")).longValue()).isEqualTo(9001);
            spend.put((String) r.get("currency"), (BigDecimal) r.get("lifetime_spend"));
        }
        // 70.00 USD and 20.00 EUR as inserted; computed from the source because `--touch` refunds random transactions,
        // which may be this user's (a touched failed payment of 50.00 counts -50.00: USD 20.00)
        Map<String, BigDecimal> expectedSpend = new TreeMap<>();
        for (Map<String, Object> r : query(url, "select currency, sum(case when status = 'paid' then amount when status = 'refunded' then -abs(amount)"
                + " else 0 end) as spend from " + productSchema + ".transactions where user_id = 9001 group by currency")) {
            expectedSpend.put((String) r.get("currency"), (BigDecimal) r.get("spend"));
        }
        assertThat(expectedSpend).containsOnlyKeys("EUR", "USD");
        assertThat(spend).containsOnlyKeys(expectedSpend.keySet().toArray(String[]::new));
        expectedSpend.forEach((currency, amount) -> assertThat(spend.get(currency)).as(currency).isEqualByComparingTo(amount));

        // every contact with an email whose normalised email is a user's is linked, and no other
        Set<String> userEmails = new HashSet<>();
        for (Map<String, Object> r : query(url, "select email from " + productSchema + ".users")) userEmails.add(((String) r.get("email")).strip().toLowerCase(Locale.ROOT));
        long linkable = warehouse.apply("select email from " + hubspotSchema + ".contacts where not coalesce(archived, false) and merged_into_id is null"
                + " and email is not null").stream().filter(r -> userEmails.contains(((String) r.get("email")).strip().toLowerCase(Locale.ROOT))).count();
        assertThat(linkable).isGreaterThan(100);
        assertThat(number(warehouse, "select count(distinct contact_id) from " + models + ".contacts_to_users where user_id is not null")).isEqualTo(linkable);

        // lifetime spend in all: what the source's transactions say
        BigDecimal total = (BigDecimal) query(url, "select sum(case status when 'paid' then amount when 'refunded' then -abs(amount) else 0 end) as s from "
                + productSchema + ".transactions").get(0).get("s");
        assertThat((BigDecimal) warehouse.apply("select sum(lifetime_spend) as s from " + models + ".user_spend").get(0).get("s")).isEqualByComparingTo(total);

        // team_spending: the known team by normalised name, the one named after nothing listed as unmatched
        List<Map<String, Object>> knownTeam = warehouse.apply("select company_id, match_method, confidence from " + models + ".team_spending where team_id = 9001");
        assertThat(knownTeam).isNotEmpty();
        assertThat(((Number) knownTeam.get(0).get("company_id")).longValue()).isEqualTo(((Number) known.get("company")).longValue());
        assertThat(knownTeam.get(0).get("match_method")).isEqualTo("name");
        assertThat((BigDecimal) knownTeam.get(0).get("confidence")).isEqualByComparingTo("0.90");
        assertThat(warehouse.apply("select unmatched_reason from " + models + ".unmatched_teams where team_id = 9002"))
                .extracting(r -> r.get("unmatched_reason")).containsExactly("no company with this name or member domain");
        assertThat(warehouse.apply("select unmatched_reason from " + models + ".unmatched_teams where team_id = 9003"))
                .extracting(r -> r.get("unmatched_reason")).containsExactly("name and member domain point to different companies");

        // every team's match, as the rules of team_company_matches say, computed here from the sources
        Map<Long, String> expected = expectedMatches(warehouse, hubspotSchema);
        Map<Long, String> actual = new TreeMap<>();
        for (Map<String, Object> r : warehouse.apply("select team_id, company_id, match_method from " + models + ".team_company_matches")) {
            actual.put(((Number) r.get("team_id")).longValue(), r.get("company_id") == null ? "-" : ((Number) r.get("company_id")).longValue() + " " + r.get("match_method"));
        }
        assertThat(actual).isEqualTo(expected);
        Map<String, Long> methods = new TreeMap<>();
        expected.values().forEach(v -> methods.merge(v.equals("-") ? "unmatched" : v.substring(v.indexOf(' ') + 1), 1L, Long::sum));
        assertThat(methods).containsKeys("name", "name_and_domain", "domain", "unmatched");
        assertThat(number(warehouse, "select count(distinct team_id) from " + models + ".team_spending"))
                .isEqualTo(expected.values().stream().filter(v -> !v.equals("-")).count());
        assertThat(number(warehouse, "select count(*) from " + models + ".unmatched_teams")).isEqualTo(methods.get("unmatched"));
        assertThat(number(warehouse, "select count(*) from " + models + ".unmatched_companies")).isEqualTo(
                number(warehouse, "select count(*) from " + models + ".stg_hubspot__companies") - expected.values().stream()
                        .filter(v -> !v.equals("-")).map(v -> v.substring(0, v.indexOf(' '))).distinct().count());

        // the story 3 check "deals without amount" measured what the source holds
        long withoutAmount = number(warehouse, "select count(*) from " + hubspotSchema + ".deals where not coalesce(archived, false)"
                + " and merged_into_id is null and amount is null");
        assertThat(withoutAmount).isPositive();
        List<Map<String, Object>> check = warehouse.apply("select status, measured_value from " + checks + ".check_results"
                + " where check_name = 'missing_count_stg_hubspot__deals_amount'");
        assertThat(check).hasSize(1);
        assertThat(check.get(0).get("status")).isEqualTo("warn");
        assertThat(((Number) check.get(0).get("measured_value")).longValue()).isEqualTo(withoutAmount);
    }

    /** team id to "company_id method", or "-" when unmatched, by the rules the README states. */
    private Map<Long, String> expectedMatches(Function<String, List<Map<String, Object>>> warehouse, String hubspotSchema) throws Exception {
        List<String> seed = Files.readAllLines(EXAMPLE.resolve("seeds/free_email_domains.csv"));
        Set<String> freeMail = new HashSet<>(seed.subList(1, seed.size()));
        Map<String, List<Long>> byName = new HashMap<>();
        Map<String, List<Long>> byDomain = new HashMap<>();
        Map<Long, String[]> companies = new HashMap<>();
        for (Map<String, Object> r : warehouse.apply("select cast(id as bigint) as id, name, domain from " + hubspotSchema + ".companies"
                + " where not coalesce(archived, false) and merged_into_id is null")) {
            long id = ((Number) r.get("id")).longValue();
            String key = r.get("name") == null ? null : nameKey((String) r.get("name"));
            String domain = r.get("domain") == null ? null : ((String) r.get("domain")).strip().toLowerCase(Locale.ROOT).replaceFirst("^www\\.", "");
            if (domain != null && domain.isEmpty()) domain = null;
            companies.put(id, new String[] {key, domain});
            if (key != null) byName.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            if (domain != null) byDomain.computeIfAbsent(domain, k -> new ArrayList<>()).add(id);
        }
        Map<Long, Map<String, Integer>> domains = new HashMap<>();
        Map<Long, Integer> sizes = new HashMap<>();
        for (Map<String, Object> r : query(url, "select m.team_id, u.email from " + productSchema + ".team_membership m join " + productSchema + ".users u on u.id = m.user_id")) {
            long team = ((Number) r.get("team_id")).longValue();
            String email = ((String) r.get("email")).strip().toLowerCase(Locale.ROOT);
            String domain = email.contains("@") ? email.substring(email.indexOf('@') + 1) : "";
            if (domain.isEmpty()) continue;
            sizes.merge(team, 1, Integer::sum);
            if (!freeMail.contains(domain)) domains.computeIfAbsent(team, k -> new HashMap<>()).merge(domain, 1, Integer::sum);
        }
        Map<Long, String> out = new TreeMap<>();
        for (Map<String, Object> r : query(url, "select id, name from " + productSchema + ".teams")) {
            long team = ((Number) r.get("id")).longValue();
            String key = nameKey((String) r.get("name"));
            List<Long> names = key.isEmpty() ? List.of() : byName.getOrDefault(key, List.of());
            String top = null;
            Map<String, Integer> counts = domains.getOrDefault(team, Map.of());
            int max = counts.values().stream().max(Integer::compare).orElse(0);
            if (max > 0 && counts.values().stream().filter(v -> v == max).count() == 1 && 2 * max >= sizes.get(team)) {
                top = counts.entrySet().stream().filter(e -> e.getValue() == max).findFirst().orElseThrow().getKey();
            }
            List<Long> byDom = top == null ? List.of() : byDomain.getOrDefault(top, List.of());
            String t = top;
            List<Long> both = names.stream().filter(id -> t != null && t.equals(companies.get(id)[1])).toList();
            if (both.size() == 1) out.put(team, both.get(0) + " name_and_domain");
            else if (both.isEmpty() && names.size() == 1 && byDom.isEmpty()) out.put(team, names.get(0) + " name");
            else if (both.isEmpty() && names.isEmpty() && byDom.size() == 1) out.put(team, byDom.get(0) + " domain");
            else out.put(team, "-");
        }
        return out;
    }

    /** A company name without case, punctuation, spacing and legal suffixes, as the README describes the matching. */
    static String nameKey(String name) {
        String s = name.strip().toLowerCase(Locale.ROOT).replaceAll("[.']", "").replaceAll("[^a-z0-9]+", " ").strip();
        return s.replaceAll("( (inc|incorporated|corp|corporation|co|company|llc|llp|ltd|limited|gmbh|ag|sa|sas|sarl|bv|nv|kk|pty|plc|ab|oy|srl|spa|and))+$", "").strip();
    }

    private static long number(Function<String, List<Map<String, Object>>> warehouse, String sql) {
        return ((Number) warehouse.apply(sql).get(0).values().iterator().next()).longValue();
    }

    private static List<Map<String, Object>> queryDuckDb(Path database, String sql) {
        return query("jdbc:duckdb:" + database, sql);
    }

    private static List<Map<String, Object>> query(String jdbcUrl, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                rows.add(row);
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> env() {
        URI uri = URI.create(url.substring("jdbc:".length()));
        String user = uri.getQuery().replaceAll(".*user=([^&]*).*", "$1");
        Map<String, String> env = new HashMap<>();
        env.put("PRODUCT_DB_HOST", uri.getHost());
        env.put("PRODUCT_DB_USER", user);
        env.put("PRODUCT_DB_SCHEMA", productSchema);
        env.put("WAREHOUSE_PG_HOST", uri.getHost());
        env.put("WAREHOUSE_PG_USER", user);
        env.put("WAREHOUSE_PG_SCHEMA_PREFIX", warehousePrefix);
        env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        env.put("HUBSPOT_TOKEN", hubspot.privateAppToken(hubspot.hubIds().get(0)));
        return env;
    }

    private String generate(String... args) throws Exception {
        return ExampleFixtures.generateProductDb(productSchema, args);
    }

    private long count(String table) throws Exception {
        return scalar("select count(*) from " + productSchema + "." + table);
    }

    private long scalar(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
