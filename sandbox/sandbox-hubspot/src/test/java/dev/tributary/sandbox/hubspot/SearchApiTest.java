package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchApiTest {
    static HubSpotSandbox sandbox;
    static HubSpotHttp http;
    static long hub;

    @BeforeAll
    static void start() {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(12_000).rateLimitsEnabled(false).searchLagSeconds(3)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).clockFrozen(true).build());
        hub = sandbox.hubIds().get(0);
        http = new HubSpotHttp(sandbox.baseUrl(), sandbox.privateAppToken(hub));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    static String filter(String property, String operator, String valueJson) {
        return "{\"propertyName\":\"" + property + "\",\"operator\":\"" + operator + "\"" + (valueJson == null ? "" : "," + valueJson) + "}";
    }

    static HubSpotHttp.Answer search(String type, String filters, String extra) {
        return http.post("/crm/v3/objects/" + type + "/search", "{\"filterGroups\":[{\"filters\":[" + filters + "]}]"
                + (extra == null ? "" : "," + extra) + "}");
    }

    /** Record ids compare as numbers (the fast path every paging reader hits), with the totals a scan of the table gives. */
    @Test
    void idFiltersCompareNumerically() {
        var t = sandbox.portal(hub).table(ObjectType.CONTACTS);
        long mid = t.id(t.size() / 2);
        long live = 0, above = 0, atOrAbove = 0, below = 0, atOrBelow = 0, between = 0;
        for (int i = 0; i < t.size(); i++) {
            if (!t.isLive(i)) continue;
            long id = t.id(i);
            live++;
            if (id > mid) above++;
            if (id >= mid) atOrAbove++;
            if (id < mid) below++;
            if (id <= mid) atOrBelow++;
            if (id >= mid - 500 && id <= mid + 500) between++;
        }
        boolean midLive = t.isLive(t.size() / 2);
        for (String property : List.of("hs_object_id", "id")) {
            assertThat(total(filter(property, "GT", "\"value\":\"" + mid + "\""))).isEqualTo(above);
            assertThat(total(filter(property, "GTE", "\"value\":\" " + mid + "\""))).isEqualTo(atOrAbove);
            assertThat(total(filter(property, "LT", "\"value\":\"" + mid + "\""))).isEqualTo(below);
            assertThat(total(filter(property, "LTE", "\"value\":\"" + mid + "\""))).isEqualTo(atOrBelow);
            assertThat(total(filter(property, "EQ", "\"value\":\"" + mid + "\""))).isEqualTo(midLive ? 1 : 0);
            assertThat(total(filter(property, "NEQ", "\"value\":\"" + mid + "\""))).isEqualTo(live - (midLive ? 1 : 0));
            assertThat(total(filter(property, "BETWEEN", "\"value\":\"" + (mid - 500) + "\",\"highValue\":\"" + (mid + 500) + "\""))).isEqualTo(between);
            // not a whole number: compared as a decimal, as before
            assertThat(total(filter(property, "GT", "\"value\":\"" + mid + ".5\""))).isEqualTo(above);
        }
        JsonNode page = search("contacts", filter("hs_object_id", "GT", "\"value\":\"" + mid + "\""),
                "\"sorts\":[{\"propertyName\":\"hs_object_id\",\"direction\":\"ASCENDING\"}],\"limit\":200").json();
        long previous = mid;
        for (JsonNode r : page.get("results")) {
            long id = Long.parseLong(r.get("id").asText());
            assertThat(id).isGreaterThan(previous);
            previous = id;
        }
        assertThat(page.get("results").size()).isEqualTo(200);
    }

    private static long total(String filter) {
        return search("contacts", filter, "\"limit\":1").json().get("total").asLong();
    }

    @Test
    void everyOperatorFilters() {
        long cut = Instant.parse("2022-01-01T00:00:00Z").toEpochMilli();
        int gte = search("contacts", filter("lastmodifieddate", "GTE", "\"value\":\"" + cut + "\""), "\"limit\":1").json().get("total").asInt();
        int lt = search("contacts", filter("lastmodifieddate", "LT", "\"value\":\"" + cut + "\""), "\"limit\":1").json().get("total").asInt();
        int all = http.post("/crm/v3/objects/contacts/search", "{\"limit\":1}").json().get("total").asInt();
        assertThat(gte + lt).isEqualTo(all);
        assertThat(gte).isPositive();
        assertThat(lt).isPositive();
        int isoGte = search("contacts", filter("lastmodifieddate", "GTE", "\"value\":\"2022-01-01T00:00:00Z\""), "\"limit\":1").json().get("total").asInt();
        assertThat(isoGte).isEqualTo(gte);

        int between = search("contacts", filter("createdate", "BETWEEN", "\"value\":\"" + cut + "\",\"highValue\":\"" + (cut + 86_400_000L * 30) + "\""), null)
                .json().get("total").asInt();
        assertThat(between).isPositive().isLessThan(all);

        int customers = search("contacts", filter("lifecyclestage", "EQ", "\"value\":\"customer\""), null).json().get("total").asInt();
        int notCustomers = search("contacts", filter("lifecyclestage", "NEQ", "\"value\":\"customer\""), null).json().get("total").asInt();
        assertThat(customers + notCustomers).isEqualTo(all);
        int in = search("contacts", filter("lifecyclestage", "IN", "\"values\":[\"customer\",\"lead\"]"), null).json().get("total").asInt();
        int lead = search("contacts", filter("lifecyclestage", "EQ", "\"value\":\"lead\""), null).json().get("total").asInt();
        assertThat(in).isEqualTo(customers + lead);
        int notIn = search("contacts", filter("lifecyclestage", "NOT_IN", "\"values\":[\"customer\",\"lead\"]"), null).json().get("total").asInt();
        assertThat(notIn).isEqualTo(all - in);

        int has = search("contacts", filter("email", "HAS_PROPERTY", null), null).json().get("total").asInt();
        int hasNot = search("contacts", filter("email", "NOT_HAS_PROPERTY", null), null).json().get("total").asInt();
        assertThat(has + hasNot).isEqualTo(all);
        assertThat(hasNot).isPositive();

        var gmail = search("contacts", filter("email", "CONTAINS_TOKEN", "\"value\":\"*@gmail.com\""), "\"properties\":[\"email\"],\"limit\":50");
        assertThat(gmail.json().get("total").asInt()).isPositive();
        for (JsonNode r : gmail.json().get("results")) assertThat(r.get("properties").get("email").asText()).endsWith("@gmail.com");
        int notGmail = search("contacts", filter("email", "NOT_CONTAINS_TOKEN", "\"value\":\"*@gmail.com\""), null).json().get("total").asInt();
        assertThat(notGmail + gmail.json().get("total").asInt()).isEqualTo(all);

        int amountGt = search("deals", filter("amount", "GT", "\"value\":\"10000\""), null).json().get("total").asInt();
        int amountLte = search("deals", filter("amount", "LTE", "\"value\":\"10000\""), null).json().get("total").asInt();
        int withAmount = search("deals", filter("amount", "HAS_PROPERTY", null), null).json().get("total").asInt();
        assertThat(amountGt + amountLte).isEqualTo(withAmount);
        int multi = search("contacts", filter("interests", "EQ", "\"value\":\"crm\""), null).json().get("total").asInt();
        assertThat(multi).isPositive();
    }

    @Test
    void groupsAreOrAndFiltersAreAnd() {
        String a = filter("lifecyclestage", "EQ", "\"value\":\"customer\"");
        String b = filter("lifecyclestage", "EQ", "\"value\":\"lead\"");
        int either = http.post("/crm/v3/objects/contacts/search", "{\"filterGroups\":[{\"filters\":[" + a + "]},{\"filters\":[" + b + "]}]}")
                .json().get("total").asInt();
        int both = http.post("/crm/v3/objects/contacts/search", "{\"filterGroups\":[{\"filters\":[" + a + "," + b + "]}]}")
                .json().get("total").asInt();
        assertThat(both).isZero();
        assertThat(either).isEqualTo(search("contacts", filter("lifecyclestage", "IN", "\"values\":[\"customer\",\"lead\"]"), null).json().get("total").asInt());
    }

    @Test
    void limitsOnGroupsFiltersSortsAndPageSize() {
        String f = filter("email", "HAS_PROPERTY", null);
        String sixGroups = "{\"filterGroups\":[" + String.join(",", java.util.Collections.nCopies(6, "{\"filters\":[" + f + "]}")) + "]}";
        assertThat(http.post("/crm/v3/objects/contacts/search", sixGroups).status()).isEqualTo(400);
        String fiveGroups = "{\"filterGroups\":[" + String.join(",", java.util.Collections.nCopies(5, "{\"filters\":[" + f + "]}")) + "]}";
        assertThat(http.post("/crm/v3/objects/contacts/search", fiveGroups).status()).isEqualTo(200);
        String sevenFilters = String.join(",", java.util.Collections.nCopies(7, f));
        assertThat(search("contacts", sevenFilters, null).status()).isEqualTo(400);
        String group6 = "{\"filters\":[" + String.join(",", java.util.Collections.nCopies(6, f)) + "]}";
        String group1 = "{\"filters\":[" + f + "]}";
        String nineteen = "{\"filterGroups\":[" + String.join(",", group6, group6, group6, group1) + "]}";
        var tooMany = http.post("/crm/v3/objects/contacts/search", nineteen);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(search("contacts", f, "\"sorts\":[\"createdate\",\"email\"]").status()).isEqualTo(400);
        assertThat(search("contacts", f, "\"limit\":201").status()).isEqualTo(400);
        assertThat(search("contacts", f, "\"limit\":200").json().get("results")).hasSize(200);
    }

    @Test
    void pagingBeyondTenThousandResultsIsA400() {
        var page = http.post("/crm/v3/objects/contacts/search", "{\"limit\":200,\"after\":\"9800\"}");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().get("total").asInt()).isGreaterThan(10_000);
        assertThat(page.json().get("paging").get("next").get("after").asText()).isEqualTo("10000");
        var beyond = http.post("/crm/v3/objects/contacts/search", "{\"limit\":200,\"after\":\"10000\"}");
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.json().get("status").asText()).isEqualTo("error");
        assertThat(beyond.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
    }

    @Test
    void sortsByOnePropertyEitherWay() {
        var asc = search("contacts", filter("email", "HAS_PROPERTY", null), "\"sorts\":[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"ASCENDING\"}],\"limit\":100");
        var desc = search("contacts", filter("email", "HAS_PROPERTY", null), "\"sorts\":[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"DESCENDING\"}],\"limit\":100");
        assertSorted(asc.json().get("results"), false);
        assertSorted(desc.json().get("results"), true);
        var byEmail = search("contacts", filter("email", "HAS_PROPERTY", null), "\"sorts\":[{\"propertyName\":\"email\",\"direction\":\"ASCENDING\"}],\"limit\":50,\"properties\":[\"email\"]");
        String prev = "";
        for (JsonNode r : byEmail.json().get("results")) {
            String e = r.get("properties").get("email").asText();
            assertThat(e.compareToIgnoreCase(prev)).isGreaterThanOrEqualTo(0);
            prev = e;
        }
    }

    private static void assertSorted(JsonNode results, boolean descending) {
        Instant prev = null;
        for (JsonNode r : results) {
            Instant t = Instant.parse(r.get("updatedAt").asText());
            if (prev != null) {
                if (descending) assertThat(t).isBeforeOrEqualTo(prev);
                else assertThat(t).isAfterOrEqualTo(prev);
            }
            prev = t;
        }
    }

    @Test
    void searchExcludesArchivedRecords() {
        List<String> ids = sandbox.control().archive(hub, ObjectType.TICKETS, 3);
        sandbox.control().advanceClock(Duration.ofSeconds(4));
        String in = "\"values\":[\"" + String.join("\",\"", ids) + "\"]";
        assertThat(search("tickets", filter("hs_object_id", "IN", in), null).json().get("total").asInt()).isZero();
    }

    @Test
    void changesReachSearchOnlyAfterTheIndexLag() {
        long before = sandbox.clock().millis();
        List<String> changed = sandbox.control().mutate(hub, ObjectType.COMPANIES, 5);
        String f = filter("hs_lastmodifieddate", "GTE", "\"value\":\"" + before + "\"");
        assertThat(search("companies", f, null).json().get("total").asInt()).isZero();
        sandbox.control().advanceClock(Duration.ofSeconds(1));
        assertThat(search("companies", f, null).json().get("total").asInt()).isZero();
        sandbox.control().advanceClock(Duration.ofSeconds(3));
        var after = search("companies", f, "\"limit\":10");
        assertThat(after.json().get("total").asInt()).isEqualTo(5);
        List<String> found = new java.util.ArrayList<>();
        for (JsonNode r : after.json().get("results")) found.add(r.get("id").asText());
        assertThat(found).containsExactlyInAnyOrderElementsOf(changed);
    }

    @Test
    void mutationsUnderAFrozenClockShareOneTimestampBeyondTheSearchCap() {
        // the trap: more than 10,000 records with one modified time cannot be paged by a timestamp filter alone
        long at = sandbox.clock().millis();
        sandbox.control().mutate(hub, ObjectType.CONTACTS, 10_050);
        sandbox.control().advanceClock(Duration.ofSeconds(5));
        var eq = search("contacts", filter("lastmodifieddate", "EQ", "\"value\":\"" + at + "\""), "\"limit\":1");
        assertThat(eq.json().get("total").asInt()).isGreaterThan(10_000);
    }
}
