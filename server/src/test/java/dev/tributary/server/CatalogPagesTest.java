package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.server.ProjectData.CheckResult;
import dev.tributary.server.ProjectData.ColumnInfo;
import dev.tributary.server.ProjectData.ConnectionInfo;
import dev.tributary.server.ProjectData.ModelInfo;
import dev.tributary.server.ProjectData.StreamInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Table, model and lineage pages over an in-memory project and a fake {@link ItemHistory}. */
class CatalogPagesTest {
    private static final Instant T0 = FakePipelineService.T0;
    private final InMemoryProjectData data = new InMemoryProjectData();
    private final List<String> asked = new ArrayList<>();
    private TestServer t;

    @BeforeEach
    void start() {
        data.connections.add(new ConnectionInfo("hubspot", "hubspot", "raw_hubspot", List.of(
                new StreamInfo("contacts", Optional.of(1200L), Optional.of(T0), List.of(new ColumnInfo("id", "BIGINT"), new ColumnInfo("email", "VARCHAR"))),
                new StreamInfo("deals", Optional.empty(), Optional.empty(), List.of()))));
        data.models.add(new ModelInfo("source.demo.hubspot.contacts", "hubspot.contacts", "source", "source", Optional.of("\"raw_hubspot\".\"contacts\""),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty()));
        data.models.add(InMemoryProjectData.model("stg_contacts", "success", "hubspot.contacts"));
        data.models.add(InMemoryProjectData.model("contacts_to_users", "success", "stg_contacts"));
        data.models.add(InMemoryProjectData.model("team_spending", "error", "stg_contacts"));
        data.models.add(InMemoryProjectData.model("never_built", null, "contacts_to_users"));
        data.modelColumns.put("stg_contacts", List.of(new ColumnInfo("contact_id", "BIGINT"), new ColumnInfo("email", "VARCHAR")));
        data.rows.put("stg_contacts", 1199L);
        data.results.add(check("contacts_emails_valid", "contacts", "fail", T0));
        data.results.add(check("stg_contacts_unique", "stg_contacts", "pass", T0));
        data.results.add(check("c2u_rows", "contacts_to_users", "warn", T0));
        t = new TestServer(new FakePipelineService(), data, "port: 0");
        t.server.useItemHistory((kind, name, limit) -> {
            asked.add(kind + " " + name + " " + limit);
            return List.of(new ItemHistory.ItemRun(42, "revops", T0, "succeeded", OptionalLong.of(1200), Optional.of(Duration.ofSeconds(3))),
                    new ItemHistory.ItemRun(41, "revops", T0.minusSeconds(3600), "failed", OptionalLong.empty(), Optional.empty()));
        });
        t.loginAsAdmin();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    static CheckResult check(String name, String table, String status, Instant at) {
        return new CheckResult(name, "row_count", table, "", status, Optional.of(3.0), "> 1", "> 5", "[]", "", at);
    }

    @Test
    void connectionsLinkEachTableToItsPageWithColumnsFreshnessChecksAndTheRunsThatLoadedIt() {
        assertThat(t.get("/connections").body()).contains("<a class=\"table-link\" href=\"/tables/hubspot/contacts\">contacts</a>");
        String html = t.get("/tables/hubspot/contacts").body();
        assertThat(html).contains("<dd id=\"relation\">raw_hubspot.contacts</dd>").contains("<dd id=\"table-rows\">1,200</dd>")
                .containsPattern("<dd id=\"freshness\">[^<]+ ago</dd>");
        assertThat(html).contains("<tr class=\"column\" data-column=\"email\"><td>email</td><td>VARCHAR</td></tr>");
        assertThat(html).contains("<tr class=\"check check-fail\" data-check=\"contacts_emails_valid\"><td><a href=\"/quality/contacts_emails_valid\">")
                .doesNotContain("data-check=\"stg_contacts_unique\"");
        assertThat(html).contains("<tr class=\"item-run\" data-run-id=\"42\"><td><a href=\"/runs/42\">#42</a></td><td>revops</td>")
                .contains("<td class=\"rows\">1,200</td><td class=\"duration\">3s</td>").contains("<tr class=\"item-run\" data-run-id=\"41\">");
        assertThat(asked).containsExactly("stream hubspot/contacts " + CatalogPages.HISTORY_ROWS);
        assertThat(t.get("/tables/hubspot/nope").statusCode()).isEqualTo(404);
        assertThat(t.get("/tables/nope/contacts").body()).contains("no connection named nope");
    }

    @Test
    void aModelPageHasItsHistoryChecksColumnsSqlAndUpstreamAndDownstreamLinks() {
        String html = t.get("/models/stg_contacts").body();
        assertThat(html).contains("<ul id=\"upstream\"><li>hubspot.contacts</li></ul>")
                .contains("<ul id=\"downstream\"><li><a href=\"/models/contacts_to_users\">contacts_to_users</a></li><li><a href=\"/models/team_spending\">team_spending</a></li></ul>")
                .contains("<a id=\"focus-link\" href=\"/lineage?focus=stg_contacts&amp;depth=2\">");
        assertThat(html).contains("data-check=\"stg_contacts_unique\"").doesNotContain("data-check=\"contacts_emails_valid\"");
        assertThat(html).contains("<tr class=\"column\" data-column=\"contact_id\">").contains("<dd id=\"model-rows\">1,199</dd>")
                .contains("<dd id=\"materialization\">table</dd>").contains("id=\"sql-raw\">select 1 as &lt;x&gt;</pre>")
                .containsPattern("<dd id=\"freshness\">built [^<]+ ago</dd>");
        assertThat(html).contains("<a href=\"/runs/42\">#42</a>");
        assertThat(asked).containsExactly("model stg_contacts " + CatalogPages.HISTORY_ROWS);
        assertThat(t.get("/models/never_built").body()).contains("<dd id=\"freshness\">never built</dd>").contains("id=\"no-columns\"");
    }

    @Test
    void lineageIsInTheNavigationColouredByLatestStatusWithALegend() {
        String html = t.get("/lineage").body();
        assertThat(html).contains("<a href=\"/lineage\">Lineage</a>").contains("<ul id=\"lineage-legend\"");
        for (String s : List.of("pass", "warn", "fail", "error", "never run")) assertThat(html).contains("</span>" + s + "</li>");
        assertThat(node(html, "stg_contacts")).contains("st-pass");
        assertThat(node(html, "contacts_to_users")).as("built, but a check on it warns").contains("st-warn");
        assertThat(node(html, "team_spending")).contains("st-error");
        assertThat(node(html, "never_built")).contains("st-never");
        assertThat(node(html, "hubspot.contacts")).as("a source with a failing check").contains("st-fail").contains("kind-source");
        assertThat(html).contains("<title>model stg_contacts (pass)</title>").contains("<script src=\"/static/lineage.js\"></script>");
        assertThat(t.get("/static/lineage.js").body()).contains("zoom-in").contains("viewBox");
    }

    @Test
    void focusShowsOnlyTheNodesWithinTheDepthUpstreamAndDownstream() {
        String one = t.get("/lineage?focus=contacts_to_users&depth=1").body();
        assertThat(nodes(one)).containsExactlyInAnyOrder("stg_contacts", "contacts_to_users", "never_built");
        assertThat(node(one, "contacts_to_users")).contains(" focus");
        String two = t.get("/lineage?focus=contacts_to_users&depth=2").body();
        assertThat(nodes(two)).containsExactlyInAnyOrder("hubspot.contacts", "stg_contacts", "contacts_to_users", "never_built");
        assertThat(nodes(t.get("/lineage?focus=stg_contacts").body())).hasSize(5);
        assertThat(t.get("/lineage?focus=nope").statusCode()).isEqualTo(404);
        assertThat(t.get("/lineage?focus=stg_contacts&depth=0").statusCode()).isEqualTo(400);
        assertThat(t.get("/lineage?focus=stg_contacts&depth=x").statusCode()).isEqualTo(400);
    }

    @Test
    void aFiftyModelProjectLaysOutWithoutOverlapsAndKeepsFullNamesInTooltips() {
        data.models.clear();
        for (int i = 0; i < 50; i++) {
            String name = "mart_revenue_operations_model_number_" + i;
            List<String> deps = new ArrayList<>();
            if (i >= 5) deps.add("mart_revenue_operations_model_number_" + (i - 5));
            if (i >= 7) deps.add("mart_revenue_operations_model_number_" + (i - 7));
            data.models.add(InMemoryProjectData.model(name, i % 9 == 0 ? "error" : "success", deps.toArray(String[]::new)));
        }
        String html = t.get("/lineage").body();
        assertThat(nodes(html)).hasSize(50);
        Set<String> positions = new HashSet<>();
        Matcher m = Pattern.compile("transform=\"translate\\(([\\d.]+),([\\d.]+)\\)\"").matcher(html);
        while (m.find()) assertThat(positions.add(m.group(1) + "," + m.group(2))).as("two nodes at " + m.group()).isTrue();
        assertThat(positions).hasSize(50);
        assertThat(html).contains("<title>model mart_revenue_operations_model_number_42 (pass)</title>")
                .contains(">" + LineageSvg.label("mart_revenue_operations_model_number_42") + "</text>");
        assertThat(LineageSvg.label("mart_revenue_operations_model_number_42")).startsWith("mart_rev").contains("…").endsWith("number_42")
                .hasSize(LineageSvg.LABEL_CHARS);
        // names that share a long prefix stay apart on the graph
        assertThat(LineageSvg.label("mart_revenue_operations_model_number_41")).isNotEqualTo(LineageSvg.label("mart_revenue_operations_model_number_42"));
    }

    private static String node(String html, String name) {
        int at = html.indexOf("data-node=\"" + name + "\"");
        assertThat(at).as("node " + name).isPositive();
        return html.substring(html.lastIndexOf("<g ", at), html.indexOf("</g>", at));
    }

    private static List<String> nodes(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<g class=\"node [^\"]*\" data-node=\"([^\"]+)\"").matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
