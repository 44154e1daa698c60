package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.hubspot.data.AssociationLink;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AssociationsAndMetadataTest {
    static HubSpotSandbox sandbox;
    static HubSpotHttp http;
    static long hub;

    @BeforeAll
    static void start() {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(5_000).rateLimitsEnabled(false)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).clockFrozen(true).build());
        hub = sandbox.hubIds().get(0);
        http = new HubSpotHttp(sandbox.baseUrl(), sandbox.privateAppToken(hub));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static int biggestCompany() {
        AssociationLink link = sandbox.portal(hub).link(ObjectType.COMPANIES, ObjectType.CONTACTS).orElseThrow();
        ObjectTable companies = sandbox.portal(hub).table(ObjectType.COMPANIES);
        int best = 0;
        for (int c = 0; c < companies.size(); c++) {
            if (companies.isLive(c) && link.targetCount(ObjectType.COMPANIES, c) > link.targetCount(ObjectType.COMPANIES, best)) best = c;
        }
        return best;
    }

    private static int liveContacts(int company) {
        AssociationLink link = sandbox.portal(hub).link(ObjectType.COMPANIES, ObjectType.CONTACTS).orElseThrow();
        ObjectTable contacts = sandbox.portal(hub).table(ObjectType.CONTACTS);
        int n = 0;
        for (int c : link.targets(ObjectType.COMPANIES, company)) if (contacts.isLive(c)) n++;
        return n;
    }

    @Test
    void batchReadPagesPerInputUntilEveryAssociationIsRead() {
        int big = biggestCompany();
        int expected = liveContacts(big);
        assertThat(expected).isGreaterThan(500);
        String bigId = Long.toString(sandbox.portal(hub).table(ObjectType.COMPANIES).id(big));
        String smallId = Long.toString(sandbox.portal(hub).table(ObjectType.COMPANIES).id(big == 0 ? 1 : 0) + 37);
        Set<Long> seen = new HashSet<>();
        String after = null;
        int rounds = 0;
        do {
            String input = "{\"id\":\"" + bigId + "\"" + (after == null ? "" : ",\"after\":\"" + after + "\"") + "}";
            var a = http.post("/crm/v4/associations/companies/contacts/batch/read", "{\"inputs\":[" + input + ",{\"id\":\"" + smallId + "\"}]}");
            assertThat(a.status()).isIn(200, 207);
            JsonNode mine = null;
            for (JsonNode r : a.json().get("results")) if (r.get("from").get("id").asText().equals(bigId)) mine = r;
            assertThat(mine).isNotNull();
            assertThat(mine.get("to").size()).isLessThanOrEqualTo(500);
            for (JsonNode to : mine.get("to")) {
                assertThat(to.get("toObjectId").isNumber()).isTrue();
                assertThat(to.get("associationTypes").get(0).get("category").asText()).isIn("HUBSPOT_DEFINED", "USER_DEFINED");
                seen.add(to.get("toObjectId").asLong());
            }
            JsonNode next = mine.path("paging").path("next");
            after = next.isMissingNode() ? null : next.get("after").asText();
            rounds++;
        } while (after != null && rounds < 100);
        assertThat(seen).hasSize(expected);
        assertThat(rounds).isGreaterThan(1);
    }

    @Test
    void singleRecordEndpointPagesToo() {
        int big = biggestCompany();
        String id = Long.toString(sandbox.portal(hub).table(ObjectType.COMPANIES).id(big));
        Set<Long> seen = new HashSet<>();
        String after = null;
        do {
            var a = http.get("/crm/v4/objects/companies/" + id + "/associations/contacts?limit=200" + (after == null ? "" : "&after=" + after));
            assertThat(a.status()).isEqualTo(200);
            for (JsonNode r : a.json().get("results")) seen.add(r.get("toObjectId").asLong());
            JsonNode next = a.json().path("paging").path("next");
            after = next.isMissingNode() ? null : next.get("after").asText();
        } while (after != null);
        assertThat(seen).hasSize(liveContacts(big));
    }

    @Test
    void associationTypesCarryLabelsAndCategories() {
        var labels = http.get("/crm/v4/associations/contacts/companies/labels");
        assertThat(labels.body()).contains("\"typeId\":1").contains("\"typeId\":279").contains("USER_DEFINED").contains("Billing contact");
        String custom = ObjectType.SUBSCRIPTIONS.typeId(hub);
        var subs = http.get("/crm/v3/objects/" + custom + "?limit=5");
        String subId = subs.json().get("results").get(0).get("id").asText();
        var a = http.post("/crm/v4/associations/" + custom + "/contacts/batch/read", "{\"inputs\":[{\"id\":\"" + subId + "\"}]}");
        assertThat(a.json().get("results").get(0).get("to")).hasSize(1);
    }

    @Test
    void propertiesApiHidesSensitivePropertiesUnlessAsked() {
        JsonNode normal = http.get("/crm/v3/properties/contacts").json().get("results");
        assertThat(normal.size()).isGreaterThan(400);
        Set<String> names = new HashSet<>();
        for (JsonNode p : normal) names.add(p.get("name").asText());
        assertThat(names).contains("email", "annual_spend", "interests").doesNotContain("date_of_birth", "national_id_number");
        JsonNode sensitive = http.get("/crm/v3/properties/contacts?dataSensitivity=sensitive").json().get("results");
        assertThat(sensitive.toString()).contains("date_of_birth").contains("\"dataSensitivity\":\"sensitive\"");
        JsonNode high = http.get("/crm/v3/properties/0-1?dataSensitivity=highly_sensitive").json().get("results");
        assertThat(high.toString()).contains("national_id_number");
        JsonNode lifecycle = http.get("/crm/v3/properties/contacts/lifecyclestage").json();
        assertThat(lifecycle.get("type").asText()).isEqualTo("enumeration");
        assertThat(lifecycle.get("options").size()).isPositive();
        assertThat(lifecycle.get("hubspotDefined").asBoolean()).isTrue();
        assertThat(lifecycle.has("calculated")).isTrue();
        assertThat(http.get("/crm/v3/properties/contacts/annual_spend").json().get("hubspotDefined").asBoolean()).isFalse();
    }

    @Test
    void accountInfoNamesThePortalOfTheToken() {
        JsonNode details = http.get("/account-info/v3/details").json();
        assertThat(details.get("portalId").asLong()).isEqualTo(hub);
        assertThat(new HubSpotHttp(sandbox.baseUrl(), "pat-na1-not-a-token").get("/account-info/v3/details").status()).as("needs a token").isIn(401, 530);
    }

    @Test
    void schemasOwnersAndPipelines() {
        JsonNode schemas = http.get("/crm/v3/schemas").json().get("results");
        assertThat(schemas).hasSize(1);
        assertThat(schemas.get(0).get("objectTypeId").asText()).isEqualTo(ObjectType.SUBSCRIPTIONS.typeId(hub)).startsWith("2-");
        assertThat(schemas.get(0).get("fullyQualifiedName").asText()).isEqualTo("p" + hub + "_subscriptions");
        JsonNode owners = http.get("/crm/v3/owners?limit=2").json();
        assertThat(owners.get("results")).hasSize(2);
        assertThat(owners.get("results").get(0).get("teams").get(0).has("name")).isTrue();
        assertThat(owners.get("paging").get("next").get("after").asText()).isNotBlank();
        assertThat(http.get("/crm/v3/owners?archived=true").json().get("results").size()).isPositive();
        JsonNode deals = http.get("/crm/v3/pipelines/deals").json().get("results");
        assertThat(deals).hasSize(2);
        assertThat(deals.get(0).get("stages").get(0).get("metadata").get("probability").asText()).isEqualTo("0.2");
        JsonNode tickets = http.get("/crm/v3/pipelines/tickets").json().get("results");
        assertThat(tickets.get(0).get("stages").get(3).get("metadata").get("isClosed").asText()).isEqualTo("true");
    }

    @Test
    void controlApiNeedsItsKeyAndMutates() {
        var refused = http.control("GET", "info", null, "wrong");
        assertThat(refused.status()).isEqualTo(401);
        var info = http.control("GET", "info", null, sandbox.controlKey());
        assertThat(info.json().get("portals").get(0).get("hubId").asLong()).isEqualTo(hub);
        var mutated = http.control("POST", "mutate", "{\"objectType\":\"deals\",\"count\":3}", sandbox.controlKey());
        assertThat(mutated.json().get("ids")).hasSize(3);
        String id = mutated.json().get("ids").get(0).asText();
        String now = http.control("POST", "clock", "{\"advanceSeconds\":0}", sandbox.controlKey()).json().get("now").asText();
        JsonNode deal = http.get("/crm/v3/objects/deals/" + id).json();
        assertThat(Instant.parse(deal.get("properties").get("hs_lastmodifieddate").asText())).isEqualTo(Instant.parse(now));
        var counters = http.control("GET", "counters", null, sandbox.controlKey());
        assertThat(counters.json().get("requests").asLong()).isPositive();
    }
}
