package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.wrike.WrikeSandbox;
import dev.tributary.sandbox.wrike.WrikeSandboxOptions;
import dev.tributary.sandbox.wrike.data.Task;
import dev.tributary.sandbox.xero.XeroSandbox;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import dev.tributary.testkit.TestDatabases;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/saas end to end on the real PostgreSQL: the HubSpot, Xero and Wrike sandboxes (Wrike read by the example's
 * own Singer tap, a real python3 process), the example's link_companies.py giving HubSpot companies that are Xero
 * customers, then sync x3 and build; the models' answers are checked against values computed here from the
 * sandboxes' own data, and a second pass adds no duplicate and resumes the tap from its bookmark.
 */
class SaasExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "saas").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String url;
    private String schema;
    private HubSpotSandbox hubspot;
    private XeroSandbox xero;
    private WrikeSandbox wrike;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        url = TestDatabases.postgresUrl();
        schema = TestDatabases.createPostgresSchema(url, "saas");
        hubspot = HubSpotSandbox.start(SandboxOptions.fromArgs("--port", "0", "--seed", "7", "--scale", "contacts=300"));
        xero = XeroSandbox.start(XeroSandboxOptions.builder().tenants(1).invoicesPerTenant(600).rateLimitsEnabled(false).build());
        wrike = WrikeSandbox.start(WrikeSandboxOptions.fromArgs("--tasks", "600", "--seed", "5", "--rate-limit", "off"));
    }

    @AfterEach
    void stop() {
        if (hubspot != null) hubspot.close();
        if (xero != null) xero.close();
        if (wrike != null) wrike.close();
        if (url == null) return;
        // the connections' schemas, the models' and Tributary's own (<schema>_tributary, <schema>_public_tributary)
        List<String> schemas = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select nspname from pg_namespace where nspname like '" + schema + "%'")) {
            while (rs.next()) schemas.add(rs.getString(1));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        for (String s : schemas) TestDatabases.dropPostgresSchema(url, s);
    }

    @Test
    void threeSystemsOnePassThenAnotherWithoutDuplicates() throws Exception {
        copy(EXAMPLE, dir);
        Map<String, String> env = new HashMap<>();
        env.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        env.put("HUBSPOT_TOKEN", hubspot.privateAppToken());
        env.put("XERO_BASE_URL", xero.baseUrl());
        env.put("XERO_CLIENT_ID", xero.customClientId());
        env.put("XERO_CLIENT_SECRET", xero.customClientSecret());
        env.put("WRIKE_BASE_URL", wrike.apiBaseUrl());
        env.put("WRIKE_TOKEN", wrike.permanentToken());
        env.put("WAREHOUSE_PG_SCHEMA_PREFIX", schema + "_");
        env.put("HUBSPOT_SAFETY_LAG_SECONDS", "5");

        // HubSpot companies that are Xero customers, made through HubSpot's API by the example's own script
        ProcessBuilder pb = new ProcessBuilder("python3", dir.resolve("link_companies.py").toString(), "--count", "8");
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String linkedOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(linkedOut).isZero();
        List<String[]> linked = linkedOut.lines().map(l -> l.split("\t")).toList();
        assertThat(linked).hasSize(8);

        env.put("PIPELINE_INTERVAL_SECONDS", "120");
        CliRunner cli = new CliRunner(dir, env);
        // the whole project, its pipeline (every: from PIPELINE_INTERVAL_SECONDS) and the three connections, the tap's
        // discovery included
        CliRunner.Result check = cli.run("check");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("pipelines: saas").contains("connection wrike: tap_wrike.py offers 3 streams");
        onePass(cli);
        Expected expected = expected(linked);
        checkAnswers(expected);
        Map<String, Long> counts = rawCounts();
        assertThat(counts.get("tasks")).isEqualTo(expected.liveTasks);
        assertThat(counts.get("timelogs")).isEqualTo(expected.timelogs);

        // the second pass: the tap resumes from its bookmarks, and nothing is doubled
        String second = onePass(cli);
        // (a full read would bring every task and time log again; from the bookmark only those at it come, as the tap
        // reads updatedDate >= bookmark, and merge on id makes them replace themselves)
        assertThat(recordsOf(second, "tasks")).as(second).isLessThan(expected.liveTasks / 2);
        assertThat(recordsOf(second, "timelogs")).as(second).isLessThan(expected.timelogs / 2);
        assertThat(rawCounts()).isEqualTo(counts);
        checkAnswers(expected);
    }

    private static long recordsOf(String syncOutput, String stream) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s+" + stream + "\\s+succeeded\\s+([\\d,]+)").matcher(syncOutput);
        assertThat(m.find()).as(stream + " in " + syncOutput).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private String onePass(CliRunner cli) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String connection : new String[] {"hubspot", "xero", "wrike"}) {
            CliRunner.Result sync = cli.run("sync", connection);
            assertThat(sync.exitCode()).as(sync.toString()).isZero();
            out.append(sync.out()).append(sync.err());
        }
        CliRunner.Result build = cli.run("build");
        assertThat(build.exitCode()).as(build.toString()).isZero();
        return out.toString();
    }

    private record Expected(Map<String, Map<String, BigDecimal[]>> receivables, Map<String, BigDecimal> hoursByProject,
            long liveTasks, long timelogs) {}

    /** From the sandboxes' own data: Xero through its API, Wrike from its workspace. */
    private Expected expected(List<String[]> linked) throws Exception {
        String token = JSON.readTree(send(HttpRequest.newBuilder(URI.create(xero.baseUrl() + "/connect/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (xero.customClientId() + ":" + xero.customClientSecret()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build())).get("access_token").asText();
        List<JsonNode> contacts = pages(token, "Contacts");
        List<JsonNode> invoices = pages(token, "Invoices");
        Map<String, BigDecimal> paidByInvoice = new HashMap<>();
        for (JsonNode pay : pages(token, "Payments")) {
            if (pay.path("Status").asText().equals("DELETED")) continue;
            paidByInvoice.merge(pay.path("Invoice").path("InvoiceID").asText(), pay.get("Amount").decimalValue(), BigDecimal::add);
        }
        Map<String, Map<String, BigDecimal[]>> receivables = new HashMap<>();
        for (String[] l : linked) {
            String company = l[0], domain = l[1].equals("-") ? null : l[1];
            Set<String> ids = new HashSet<>();
            for (JsonNode c : contacts) {
                String email = c.path("EmailAddress").asText("");
                boolean byDomain = domain != null && email.contains("@") && email.substring(email.indexOf('@') + 1).equalsIgnoreCase(domain);
                if (byDomain || c.get("Name").asText().trim().equalsIgnoreCase(company.trim())) ids.add(c.get("ContactID").asText());
            }
            assertThat(ids).as("Xero contacts of " + company).isNotEmpty();
            Map<String, BigDecimal[]> perCurrency = new HashMap<>();
            for (JsonNode inv : invoices) {
                String status = inv.get("Status").asText();
                if (!inv.get("Type").asText().equals("ACCREC") || !(status.equals("AUTHORISED") || status.equals("PAID"))) continue;
                if (!ids.contains(inv.path("Contact").path("ContactID").asText())) continue;
                BigDecimal[] v = perCurrency.computeIfAbsent(inv.get("CurrencyCode").asText(),
                        k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                v[0] = v[0].add(BigDecimal.ONE);
                v[1] = v[1].add(inv.get("Total").decimalValue());
                v[2] = v[2].add(paidByInvoice.getOrDefault(inv.get("InvoiceID").asText(), BigDecimal.ZERO));
                if (status.equals("AUTHORISED")) v[3] = v[3].add(inv.get("AmountDue").decimalValue());
            }
            receivables.put(company, perCurrency);
        }
        Map<String, BigDecimal> hours = new HashMap<>();
        long live = 0;
        long logs;
        synchronized (wrike.workspace()) {
            Map<String, String> projectOf = new HashMap<>();
            for (Task t : wrike.workspace().tasks.values()) {
                if (t.recycled) continue;
                live++;
                projectOf.put(t.id, t.parentIds.get(0));
            }
            for (Map<String, Object> l : wrike.workspace().timelogs) {
                String project = projectOf.get((String) l.get("taskId"));
                if (project != null) hours.merge(project, BigDecimal.valueOf((Double) l.get("hours")), BigDecimal::add);
            }
            logs = wrike.workspace().timelogs.size();
        }
        return new Expected(receivables, hours, live, logs);
    }

    private void checkAnswers(Expected expected) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (Map.Entry<String, Map<String, BigDecimal[]>> e : expected.receivables.entrySet()) {
                Map<String, BigDecimal[]> actual = new HashMap<>();
                try (ResultSet rs = s.executeQuery("select currency, invoices, invoiced, paid, outstanding from " + schema
                        + "_public.company_receivables where company_name = '" + e.getKey().replace("'", "''") + "'")) {
                    while (rs.next()) {
                        actual.put(rs.getString(1), new BigDecimal[] {rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4), rs.getBigDecimal(5)});
                    }
                }
                assertThat(actual.keySet()).as("currencies of " + e.getKey()).isEqualTo(e.getValue().keySet());
                for (String currency : actual.keySet()) {
                    BigDecimal[] want = e.getValue().get(currency), got = actual.get(currency);
                    for (int i = 0; i < 4; i++) {
                        assertThat(got[i].compareTo(want[i])).as(e.getKey() + " " + currency + " column " + i + ": " + got[i] + " vs " + want[i]).isZero();
                    }
                }
            }
            int checked = 0;
            try (ResultSet rs = s.executeQuery("select project_id, tracked_hours from " + schema + "_public.project_hours")) {
                while (rs.next()) {
                    BigDecimal want = expected.hoursByProject.getOrDefault(rs.getString(1), BigDecimal.ZERO);
                    assertThat(rs.getBigDecimal(2).compareTo(want)).as("tracked hours of project " + rs.getString(1)).isZero();
                    checked++;
                }
            }
            assertThat(checked).isEqualTo(wrike.workspace().projectIds().size());
        }
    }

    private Map<String, Long> rawCounts() throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String t : new String[] {"hubspot.companies", "xero.contacts", "xero.invoices", "xero.payments", "wrike.tasks",
                    "wrike.folders", "wrike.timelogs"}) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + schema + "_" + t)) {
                    rs.next();
                    counts.put(t.substring(t.indexOf('.') + 1), rs.getLong(1));
                }
            }
            try (ResultSet rs = s.executeQuery("select count(*) - count(distinct id) from " + schema + "_wrike.tasks")) {
                rs.next();
                assertThat(rs.getLong(1)).as("duplicate task ids").isZero();
            }
        }
        return counts;
    }

    private List<JsonNode> pages(String token, String collection) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = JSON.readTree(send(HttpRequest.newBuilder(URI.create(xero.apiBaseUrl() + "/" + collection + "?page=" + page
                    + "&pageSize=1000&" + URLEncoder.encode("summaryOnly", StandardCharsets.UTF_8) + "=true"))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json").build()));
            JsonNode items = body.get(collection);
            items.forEach(all::add);
            if (items.size() < 1000) return all;
        }
    }

    private String send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(request.uri() + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path rel = from.relativize(f);
                if (rel.toString().startsWith(".") && !rel.toString().isEmpty()) continue;
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else if (!rel.getFileName().toString().equals(".env")) Files.copy(f, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
