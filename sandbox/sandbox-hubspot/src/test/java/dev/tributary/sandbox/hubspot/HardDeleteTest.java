package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A hard-deleted record (live or archived) leaves lists, the archive, reads, search and associations at once. */
class HardDeleteTest {
    private HubSpotSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private static Set<String> listAll(HubSpotHttp http, boolean archived) {
        Set<String> ids = new HashSet<>();
        String after = null;
        do {
            var a = http.get("/crm/v3/objects/contacts?limit=100&archived=" + archived + (after == null ? "" : "&after=" + after));
            assertThat(a.status()).isEqualTo(200);
            for (JsonNode r : a.json().get("results")) ids.add(r.get("id").asText());
            JsonNode next = a.json().path("paging").path("next");
            after = next.isMissingNode() ? null : next.get("after").asText();
        } while (after != null);
        return ids;
    }

    @Test
    void aHardDeletedRecordIsNowhere() {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(1_000).rateLimitsEnabled(false)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        long hub = sandbox.hubIds().get(0);
        HubSpotHttp http = new HubSpotHttp(sandbox.baseUrl(), sandbox.privateAppToken(hub));
        ObjectTable t = sandbox.portal(hub).table(ObjectType.CONTACTS);
        String live = null, archived = null;
        for (int i = 0; i < t.size() && (live == null || archived == null); i++) {
            if (live == null && t.isLive(i) && t.mergedObjectIds(i).isEmpty()) live = Long.toString(t.id(i));
            if (archived == null && t.isArchived(i)) archived = Long.toString(t.id(i));
        }
        assertThat(listAll(http, false)).contains(live);
        assertThat(listAll(http, true)).contains(archived);

        assertThat(sandbox.control().hardDelete(hub, ObjectType.CONTACTS, live)).isTrue();
        var overHttp = http.control("POST", "hard-delete", "{\"objectType\":\"contacts\",\"id\":\"" + archived + "\"}", sandbox.controlKey());
        assertThat(overHttp.status()).isEqualTo(200);
        assertThat(overHttp.json().get("deleted").asBoolean()).isTrue();
        assertThat(sandbox.control().hardDelete(hub, ObjectType.CONTACTS, live)).as("already gone").isFalse();

        assertThat(listAll(http, false)).doesNotContain(live, archived);
        assertThat(listAll(http, true)).doesNotContain(live, archived);
        assertThat(http.get("/crm/v3/objects/contacts/" + live).status()).isEqualTo(404);
        assertThat(http.get("/crm/v3/objects/contacts/" + archived + "?archived=true").status()).isEqualTo(404);
        var search = http.post("/crm/v3/objects/contacts/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_object_id\","
                + "\"operator\":\"EQ\",\"value\":\"" + live + "\"}]}],\"limit\":10}");
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.json().get("total").asInt()).isZero();
        assertThat(t.isLive(t.indexOf(live))).isFalse();
    }
}
