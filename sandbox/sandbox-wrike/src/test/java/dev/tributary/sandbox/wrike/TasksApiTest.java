package dev.tributary.sandbox.wrike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.wrike.data.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /tasks over real HTTP: envelope, ids and dates, fields=[...], exact token paging, the 1,000 cap, ranges, recycle bin, ids. */
class TasksApiTest {
    static WrikeSandbox wrike;
    static final WrikeHttp http = new WrikeHttp();

    @BeforeAll
    static void start() {
        wrike = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(3_000).rateLimitsEnabled(false).seed(7).build());
    }

    @AfterAll
    static void stop() {
        wrike.close();
    }

    WrikeHttp.Answer get(String path) {
        return http.api(wrike.apiBaseUrl(), wrike.permanentToken(), path);
    }

    @Test
    void envelopeIdsDatesAndOptionalFields() {
        JsonNode body = get("/tasks?pageSize=5").json();
        assertEquals("tasks", body.get("kind").asText());
        JsonNode t = body.get("data").get(0);
        assertTrue(t.get("id").asText().matches("[A-Z2-7]{16}"), t.toString());
        assertTrue(t.get("id").asText().startsWith(wrike.accountId()));
        assertEquals(wrike.accountId(), t.get("accountId").asText());
        assertTrue(t.get("updatedDate").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), t.toString());
        assertEquals("WsTask", t.get("scope").asText());
        assertFalse(t.has("responsibleIds"), "optional fields come only when asked for");
        assertFalse(t.has("customFields"));
        JsonNode full = get("/tasks?pageSize=5&fields=" + WrikeHttp.q("[\"responsibleIds\",\"parentIds\",\"superTaskIds\",\"customFields\",\"effortAllocation\"]")).json().get("data").get(0);
        assertTrue(full.get("responsibleIds").isArray());
        assertTrue(full.get("parentIds").get(0).asText().matches("[A-Z2-7]{16}"));
        assertTrue(full.get("customFields").get(0).has("value"));
        assertTrue(full.get("effortAllocation").has("mode"));
        WrikeHttp.Answer bad = get("/tasks?fields=" + WrikeHttp.q("[\"nonsense\"]"));
        assertEquals(400, bad.status());
        assertEquals("invalid_parameter", bad.json().get("error").asText());
        assertTrue(bad.json().get("errorDescription").asText().contains("fields"));
        WrikeHttp.Answer unknown = get("/tasks?colour=blue");
        assertEquals(400, unknown.status());
        assertEquals("invalid_request", unknown.json().get("error").asText());
    }

    @Test
    void plannedDatesAreLocalAndOrderIsUpdatedDateDescending() {
        JsonNode data = get("/tasks?pageSize=200").json().get("data");
        String prev = null;
        boolean sawPlanned = false;
        for (JsonNode t : data) {
            String u = t.get("updatedDate").asText();
            if (prev != null) assertTrue(prev.compareTo(u) >= 0, prev + " then " + u);
            prev = u;
            JsonNode d = t.get("dates");
            if (d.get("type").asText().equals("Planned")) {
                sawPlanned = true;
                assertTrue(d.get("start").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"), d.toString());
                assertTrue(d.get("duration").asInt() > 0);
            }
        }
        assertTrue(sawPlanned);
    }

    @Test
    void tokenPagingIsExactAcrossSharedTimestampsAndTheCapOnlyHitsUnpagedCalls() {
        int all;
        synchronized (wrike.workspace()) {
            all = wrike.workspace().liveTaskCount();
        }
        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode body = get("/tasks?subTasks=true&pageSize=250" + (token == null ? "" : "&nextPageToken=" + WrikeHttp.q(token))).json();
            assertEquals(all, body.get("responseSize").asInt());
            for (JsonNode t : body.get("data")) assertTrue(seen.add(t.get("id").asText()), "duplicate " + t.get("id"));
            token = body.hasNonNull("nextPageToken") ? body.get("nextPageToken").asText() : null;
            pages++;
        } while (token != null);
        assertEquals(all, seen.size());
        assertEquals((all + 249) / 250, pages);
        // many tasks share one timestamp (a bulk import): count them to be sure the paging crossed such a run
        Map<Long, Integer> perStamp = new HashMap<>();
        for (Task t : wrike.workspace().tasks.values()) perStamp.merge(t.updated, 1, Integer::sum);
        assertTrue(perStamp.values().stream().anyMatch(n -> n > 50), "the generator makes runs of equal updatedDate");

        JsonNode unpaged = get("/tasks?subTasks=true").json();
        assertEquals(1000, unpaged.get("data").size());
        assertFalse(unpaged.has("nextPageToken"));
        assertFalse(unpaged.has("responseSize"));

        WrikeHttp.Answer tooBig = get("/tasks?pageSize=1001");
        assertEquals(400, tooBig.status());
        assertEquals("invalid_parameter", tooBig.json().get("error").asText());
        JsonNode first = get("/tasks?pageSize=10").json();
        WrikeHttp.Answer otherFilters = get("/tasks?pageSize=10&status=Active&nextPageToken=" + WrikeHttp.q(first.get("nextPageToken").asText()));
        assertEquals(400, otherFilters.status());
        assertTrue(otherFilters.json().get("errorDescription").asText().contains("same filters"));
    }

    @Test
    void subtasksOnlyWhenAskedAndFolderTasks() {
        int withSub = get("/tasks?subTasks=true&pageSize=1").json().get("responseSize").asInt();
        int top = get("/tasks?pageSize=1").json().get("responseSize").asInt();
        assertTrue(top < withSub, top + " < " + withSub);
        String project = wrike.workspace().projectIds().get(0);
        JsonNode inProject = get("/folders/" + project + "/tasks?subTasks=true&fields=" + WrikeHttp.q("[\"parentIds\"]")).json();
        assertTrue(inProject.get("data").size() > 0);
        for (JsonNode t : inProject.get("data")) assertEquals(project, t.get("parentIds").get(0).asText());
        // the client folder holding that project reaches its tasks through descendants
        String client = wrike.workspace().folders.get(project).get("parentIds").toString().replaceAll("[\\[\\]]", "");
        assertTrue(get("/folders/" + client + "/tasks?subTasks=true").json().get("data").size() >= inProject.get("data").size());
        assertEquals(0, get("/folders/" + client + "/tasks?descendants=false").json().get("data").size());
    }

    @Test
    void updatedDateWindowsAreInclusiveAndValidated() {
        List<Task> sorted = new ArrayList<>(wrike.workspace().byUpdated.values());
        Task mid = sorted.get(sorted.size() / 2);
        String stamp = Instant.ofEpochMilli(mid.updated).toString().replace(".000", "");
        String range = "{\"start\":\"" + stamp + "\",\"end\":\"" + stamp + "\"}";
        JsonNode body = get("/tasks?subTasks=true&pageSize=1000&updatedDate=" + WrikeHttp.q(range)).json();
        long expected = sorted.stream().filter(t -> t.updated == mid.updated && !t.recycled).count();
        assertEquals(expected, body.get("responseSize").asLong());
        for (JsonNode t : body.get("data")) assertEquals(stamp, t.get("updatedDate").asText());
        WrikeHttp.Answer bad = get("/tasks?updatedDate=" + WrikeHttp.q("{\"start\":\"2025-01-02T00:00:00Z\",\"end\":\"2025-01-01T00:00:00Z\"}"));
        assertEquals(400, bad.status());
        assertEquals("invalid_parameter", bad.json().get("error").asText());
        assertEquals(400, get("/tasks?updatedDate=yesterday").status());
    }

    @Test
    void deletedTasksGoToTheRecycleBinAndVanishedOnesAre404() {
        String id = get("/tasks?pageSize=1&status=Active").json().get("data").get(0).get("id").asText();
        wrike.control().deleteTasks(List.of(id));
        JsonNode byId = get("/tasks/" + id).json().get("data").get(0);
        assertEquals("RbTask", byId.get("scope").asText());
        Set<String> live = new HashSet<>();
        String token = null;
        do {
            JsonNode b = get("/tasks?subTasks=true&pageSize=1000" + (token == null ? "" : "&nextPageToken=" + WrikeHttp.q(token))).json();
            b.get("data").forEach(t -> live.add(t.get("id").asText()));
            token = b.hasNonNull("nextPageToken") ? b.get("nextPageToken").asText() : null;
        } while (token != null);
        assertFalse(live.contains(id), "recycled tasks are not listed unless asked for");
        JsonNode bin = get("/tasks?deleted=true&subTasks=true").json().get("data");
        assertTrue(bin.findValuesAsText("id").contains(id));
        for (JsonNode t : bin) assertEquals("RbTask", t.get("scope").asText());

        String gone = get("/tasks?pageSize=1").json().get("data").get(0).get("id").asText();
        wrike.control().purgeTasks(List.of(gone));
        WrikeHttp.Answer notFound = get("/tasks/" + gone);
        assertEquals(404, notFound.status());
        assertEquals("resource_not_found", notFound.json().get("error").asText());
    }

    @Test
    void tasksByIdTakeUpToAHundredAndComeWhole() {
        JsonNode page = get("/tasks?pageSize=101").json().get("data");
        List<String> ids = new ArrayList<>();
        page.forEach(t -> ids.add(t.get("id").asText()));
        JsonNode hundred = get("/tasks/" + String.join(",", ids.subList(0, 100))).json();
        assertEquals(100, hundred.get("data").size());
        assertTrue(hundred.get("data").get(0).has("responsibleIds"), "single-task answers carry the optional fields");
        WrikeHttp.Answer over = get("/tasks/" + String.join(",", ids));
        assertEquals(400, over.status());
        assertTrue(over.json().get("errorDescription").asText().contains("100"));
        assertEquals(400, get("/tasks/not-an-id").status());
    }

    @Test
    void controlEditsStampUpdatedDateAndNewTasksAppear() {
        List<String> edited = wrike.control().updateTasks(3);
        assertEquals(3, edited.size());
        JsonNode top = get("/tasks?subTasks=true&pageSize=3").json().get("data");
        String now = get("/tasks/" + edited.get(0)).json().get("data").get(0).get("updatedDate").asText();
        assertNotNull(now);
        for (JsonNode t : top) assertEquals(now, t.get("updatedDate").asText());
        assertNull(wrike.workspace().task("IEAAAAAAKQAAAAAA"));
    }
}
