package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObjectsApiTest {
    static HubSpotSandbox sandbox;
    static HubSpotHttp http;
    static long hub;

    @BeforeAll
    static void start() {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(3_000).rateLimitsEnabled(false)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).clockFrozen(true).build());
        hub = sandbox.hubIds().get(0);
        http = new HubSpotHttp(sandbox.baseUrl(), sandbox.privateAppToken(hub));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void listPagesThroughEveryLiveRecordOnceWithOpaqueAfterAndLink() {
        ObjectTable t = sandbox.portal(hub).table(ObjectType.CONTACTS);
        int live = 0;
        for (int i = 0; i < t.size(); i++) if (t.isLive(i)) live++;
        Set<String> ids = new HashSet<>();
        String after = null;
        long previous = 0;
        int pages = 0;
        do {
            var a = http.get("/crm/v3/objects/contacts?limit=100" + (after == null ? "" : "&after=" + after));
            assertThat(a.status()).isEqualTo(200);
            for (JsonNode r : a.json().get("results")) {
                long id = Long.parseLong(r.get("id").asText());
                assertThat(id).isGreaterThan(previous);
                previous = id;
                ids.add(r.get("id").asText());
                assertThat(r.get("archived").asBoolean()).isFalse();
                assertThat(r.get("updatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            }
            JsonNode next = a.json().path("paging").path("next");
            after = next.isMissingNode() ? null : next.get("after").asText();
            if (after != null) {
                assertThat(after).doesNotMatch("\\d+");
                assertThat(next.get("link").asText()).startsWith(sandbox.baseUrl() + "/crm/v3/objects/contacts?after=");
            }
            pages++;
        } while (after != null);
        assertThat(ids).hasSize(live);
        assertThat(pages).isEqualTo((live + 99) / 100);
    }

    @Test
    void limitDefaultsToTenAndIsCappedAtOneHundred() {
        assertThat(http.get("/crm/v3/objects/contacts").json().get("results")).hasSize(10);
        assertThat(http.get("/crm/v3/objects/contacts?limit=500").json().get("results")).hasSize(100);
    }

    @Test
    void defaultPropertiesWhenNoneAreRequested() {
        JsonNode props = http.get("/crm/v3/objects/contacts?limit=1").json().get("results").get(0).get("properties");
        List<String> names = new ArrayList<>();
        props.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname");
        JsonNode deal = http.get("/crm/v3/objects/deals?limit=1").json().get("results").get(0).get("properties");
        assertThat(deal.has("dealstage")).isTrue();
        assertThat(deal.has("hs_lastmodifieddate")).isTrue();
    }

    @Test
    void propertiesMayBeRepeatedOrCommaJoinedAndUnknownOnesAreIgnored() {
        String repeated = http.get("/crm/v3/objects/contacts?limit=5&properties=email&properties=company&properties=nope").body();
        String joined = http.get("/crm/v3/objects/contacts?limit=5&properties=email,company,nope").body();
        assertThat(repeated).isEqualTo(joined).contains("\"company\"").doesNotContain("\"nope\"");
    }

    @Test
    void typeIdsAndNamesAddressTheSameObjects() {
        assertThat(http.get("/crm/v3/objects/0-1?limit=3").json().get("results"))
                .isEqualTo(http.get("/crm/v3/objects/contacts?limit=3").json().get("results"));
        assertThat(http.get("/crm/v3/objects/0-3?limit=3").json().get("results"))
                .isEqualTo(http.get("/crm/v3/objects/deals?limit=3").json().get("results"));
        String typeId = ObjectType.SUBSCRIPTIONS.typeId(hub);
        String fqn = ObjectType.SUBSCRIPTIONS.fullyQualifiedName(hub);
        JsonNode byId = http.get("/crm/v3/objects/" + typeId + "?limit=3").json().get("results");
        assertThat(byId).hasSize(3);
        assertThat(http.get("/crm/v3/objects/" + fqn + "?limit=3").json().get("results")).isEqualTo(byId);
        assertThat(http.get("/crm/v3/objects/subscriptions?limit=3").json().get("results")).isEqualTo(byId);
        assertThat(http.get("/crm/v3/objects/0-7?limit=1").status()).isEqualTo(200);
        assertThat(http.get("/crm/v3/objects/0-8?limit=1").status()).isEqualTo(200);
        assertThat(http.get("/crm/v3/objects/0-5?limit=1").status()).isEqualTo(200);
    }

    @Test
    void getByIdAndByEmailAndNotFoundBody() {
        JsonNode first = http.get("/crm/v3/objects/contacts?limit=1&properties=email").json().get("results").get(0);
        String id = first.get("id").asText();
        assertThat(http.get("/crm/v3/objects/contacts/" + id).json().get("id").asText()).isEqualTo(id);
        String email = first.get("properties").get("email").asText();
        var byEmail = http.get("/crm/v3/objects/contacts/" + email + "?idProperty=email");
        assertThat(byEmail.json().get("id").asText()).isEqualTo(id);
        var missing = http.get("/crm/v3/objects/contacts/999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(missing.json().get("status").asText()).isEqualTo("error");
        assertThat(missing.json().has("correlationId")).isTrue();
    }

    @Test
    void archivedTrueListsOnlyArchivedRecordsWithArchivedAt() {
        var a = http.get("/crm/v3/objects/contacts?limit=100&archived=true");
        assertThat(a.json().get("results").size()).isPositive();
        for (JsonNode r : a.json().get("results")) {
            assertThat(r.get("archived").asBoolean()).isTrue();
            assertThat(r.get("archivedAt").asText()).endsWith("Z");
        }
    }

    @Test
    void readingAMergedAwayIdReturnsTheSurvivor() {
        ObjectTable t = sandbox.portal(hub).table(ObjectType.CONTACTS);
        int merged = -1;
        for (int i = 0; i < t.size() && merged < 0; i++) if (t.isMergedAway(i) && t.isLive(t.survivorOf(i))) merged = i;
        assertThat(merged).isNotNegative();
        String survivorId = Long.toString(t.id(t.survivorOf(merged)));
        JsonNode r = http.get("/crm/v3/objects/contacts/" + t.id(merged) + "?properties=hs_merged_object_ids").json();
        assertThat(r.get("id").asText()).isEqualTo(survivorId);
        assertThat(r.get("properties").get("hs_merged_object_ids").asText().split(";")).contains(Long.toString(t.id(merged)));
    }

    @Test
    void propertiesWithHistoryAreNewestFirstAndPagesShrinkToFifty() {
        var a = http.get("/crm/v3/objects/deals?limit=100&propertiesWithHistory=dealstage,amount");
        assertThat(a.json().get("results")).hasSize(50);
        JsonNode h = a.json().get("results").get(0).get("propertiesWithHistory").get("dealstage");
        assertThat(h.size()).isPositive();
        assertThat(h.get(0).has("sourceType")).isTrue();
        for (int k = 1; k < h.size(); k++) {
            assertThat(Instant.parse(h.get(k).get("timestamp").asText())).isBeforeOrEqualTo(Instant.parse(h.get(k - 1).get("timestamp").asText()));
        }
    }

    @Test
    void associationsParamListsCompanies() {
        var a = http.get("/crm/v3/objects/contacts?limit=100&associations=companies");
        boolean found = false;
        for (JsonNode r : a.json().get("results")) {
            JsonNode c = r.path("associations").path("companies").path("results");
            if (c.size() > 0) {
                found = true;
                assertThat(c.get(0).get("type").asText()).startsWith("contact_to_company");
            }
        }
        assertThat(found).isTrue();
    }

    @Test
    void batchReadAnswers207ForMissingIds() {
        JsonNode first = http.get("/crm/v3/objects/companies?limit=2").json().get("results");
        String body = "{\"inputs\":[{\"id\":\"" + first.get(0).get("id").asText() + "\"},{\"id\":\"" + first.get(1).get("id").asText()
                + "\"},{\"id\":\"12\"}],\"properties\":[\"name\",\"domain\"]}";
        var a = http.post("/crm/v3/objects/companies/batch/read", body);
        assertThat(a.status()).isEqualTo(207);
        assertThat(a.json().get("status").asText()).isEqualTo("COMPLETE");
        assertThat(a.json().get("results")).hasSize(2);
        assertThat(a.json().get("numErrors").asInt()).isEqualTo(1);
        assertThat(a.json().get("errors").get(0).get("context").get("ids").get(0).asText()).isEqualTo("12");
        var ok = http.post("/crm/v3/objects/companies/batch/read", "{\"inputs\":[{\"id\":\"" + first.get(0).get("id").asText() + "\"}]}");
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void createUpdateArchiveAndMergeBehaveAsHubSpot() {
        var created = http.post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"new.person@example.org\",\"firstname\":\"New\",\"lifecyclestage\":\"lead\"}}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(http.post("/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"new.person@example.org\"}}").status()).isEqualTo(409);
        assertThat(http.post("/crm/v3/objects/contacts", "{\"properties\":{\"no_such_property\":\"x\"}}").status()).isEqualTo(400);
        assertThat(http.post("/crm/v3/objects/contacts", "{\"properties\":{\"lifecyclestage\":\"not-an-option\"}}").status()).isEqualTo(400);

        sandbox.control().advanceClock(java.time.Duration.ofMinutes(1));
        var updated = http.patch("/crm/v3/objects/contacts/" + id, "{\"properties\":{\"lifecyclestage\":\"customer\"}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("properties").get("lifecyclestage").asText()).isEqualTo("customer");
        JsonNode history = http.get("/crm/v3/objects/contacts/" + id + "?propertiesWithHistory=lifecyclestage").json()
                .get("propertiesWithHistory").get("lifecyclestage");
        assertThat(history.get(0).get("value").asText()).isEqualTo("customer");
        assertThat(history.get(1).get("value").asText()).isEqualTo("lead");

        String modifiedBefore = http.get("/crm/v3/objects/contacts/" + id).json().get("properties").get("lastmodifieddate").asText();
        sandbox.control().advanceClock(java.time.Duration.ofMinutes(1));
        assertThat(http.delete("/crm/v3/objects/contacts/" + id).status()).isEqualTo(204);
        assertThat(http.get("/crm/v3/objects/contacts/" + id).status()).isEqualTo(404);
        JsonNode archived = http.get("/crm/v3/objects/contacts/" + id + "?archived=true").json();
        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(archived.get("properties").get("lastmodifieddate").asText()).isEqualTo(modifiedBefore);

        JsonNode two = http.get("/crm/v3/objects/companies?limit=2&after=" + ObjectsApiTestSupport.after(50)).json().get("results");
        String a = two.get(0).get("id").asText();
        String b = two.get(1).get("id").asText();
        var merged = http.post("/crm/v3/objects/companies/merge", "{\"primaryObjectId\":\"" + a + "\",\"objectIdToMerge\":\"" + b + "\"}");
        assertThat(merged.status()).isEqualTo(200);
        JsonNode survivor = http.get("/crm/v3/objects/companies/" + b + "?properties=hs_merged_object_ids").json();
        assertThat(survivor.get("id").asText()).isEqualTo(a);
        assertThat(survivor.get("properties").get("hs_merged_object_ids").asText()).contains(b);
    }

    @Test
    void batchWrites() {
        var created = http.post("/crm/v3/objects/deals/batch/create",
                "{\"inputs\":[{\"properties\":{\"dealname\":\"A\",\"amount\":\"10\"}},{\"properties\":{\"dealname\":\"B\"}}]}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("results")).hasSize(2);
        String a = created.json().get("results").get(0).get("id").asText();
        String b = created.json().get("results").get(1).get("id").asText();
        var updated = http.post("/crm/v3/objects/deals/batch/update", "{\"inputs\":[{\"id\":\"" + a + "\",\"properties\":{\"amount\":\"20\"}}]}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("results").get(0).get("properties").get("amount").asText()).isEqualTo("20");
        assertThat(http.post("/crm/v3/objects/deals/batch/archive", "{\"inputs\":[{\"id\":\"" + a + "\"},{\"id\":\"" + b + "\"}]}").status()).isEqualTo(204);
        assertThat(http.get("/crm/v3/objects/deals/" + a).status()).isEqualTo(404);
    }

    @Test
    void tooLongUrlIsAnswered414() {
        StringBuilder q = new StringBuilder("/crm/v3/objects/contacts?limit=1");
        for (var d : sandbox.portal(hub).catalog().properties(ObjectType.CONTACTS)) q.append("&properties=").append(d.name());
        assertThat(q.length()).isGreaterThan(8192);
        assertThat(http.get(q.toString()).status()).isEqualTo(414);
    }

    @Test
    void unknownRouteIs404() {
        assertThat(http.get("/crm/v3/nothing-here").status()).isEqualTo(404);
    }
}
