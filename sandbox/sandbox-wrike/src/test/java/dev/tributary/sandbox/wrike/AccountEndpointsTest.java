package dev.tributary.sandbox.wrike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Everything but tasks over real HTTP: account, contacts, spaces, folders and projects, workflows, custom fields, comments, time logs, attachments, approvals, dependencies. */
class AccountEndpointsTest {
    static WrikeSandbox wrike;
    static final WrikeHttp http = new WrikeHttp();

    @BeforeAll
    static void start() {
        wrike = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(1_500).users(9).rateLimitsEnabled(false).seed(11).build());
    }

    @AfterAll
    static void stop() {
        wrike.close();
    }

    JsonNode get(String path) {
        WrikeHttp.Answer a = http.api(wrike.apiBaseUrl(), wrike.permanentToken(), path);
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    @Test
    void accountAndContactsWithDeletedUsersOnlyWhenAsked() {
        JsonNode account = get("/account");
        assertEquals("accounts", account.get("kind").asText());
        assertEquals(wrike.accountId(), account.get("data").get(0).get("id").asText());
        assertTrue(wrike.accountId().matches("[A-Z2-7]{8}"));
        JsonNode live = get("/contacts").get("data");
        JsonNode all = get("/contacts?deleted=true").get("data");
        assertEquals(live.size() + 1, all.size(), "one generated user has left");
        boolean sawGroup = false;
        for (JsonNode c : all) {
            assertTrue(c.get("id").asText().matches("[A-Z2-7]{8}"), c.toString());
            if (c.get("type").asText().equals("Group")) sawGroup = true;
        }
        assertTrue(sawGroup);
        for (JsonNode c : live) assertFalse(c.get("deleted").asBoolean());
        String leaver = live.get(1).get("id").asText();
        wrike.control().deleteUser(leaver);
        JsonNode after = get("/contacts/" + leaver).get("data").get(0);
        assertTrue(after.get("deleted").asBoolean());
        assertEquals(live.size() - 1, get("/contacts").get("data").size());
    }

    @Test
    void spacesFoldersAndProjects() {
        JsonNode spaces = get("/spaces");
        assertEquals("spaces", spaces.get("kind").asText());
        assertTrue(spaces.get("data").size() >= 1);
        JsonNode tree = get("/folders");
        assertEquals("folderTree", tree.get("kind").asText());
        Set<String> scopes = new HashSet<>();
        for (JsonNode f : tree.get("data")) scopes.add(f.get("scope").asText());
        assertTrue(scopes.contains("WsRoot"));
        assertFalse(scopes.contains("RbRoot"), "the recycle bin shows only with deleted=true");
        JsonNode projects = get("/folders?project=true").get("data");
        assertEquals(wrike.workspace().projectIds().size(), projects.size());
        JsonNode p = projects.get(0).get("project");
        assertTrue(p.has("ownerIds") && p.has("status") && p.has("startDate") && p.has("createdDate"), p.toString());
        assertTrue(p.get("startDate").asText().matches("\\d{4}-\\d\\d-\\d\\d"));
        // projects inside client folders inside spaces
        String space = spaces.get("data").get(0).get("id").asText();
        JsonNode sub = get("/folders/" + space + "/folders").get("data");
        assertTrue(sub.size() > 1);
        boolean projectUnderSpace = false;
        for (JsonNode f : sub) if (f.has("project")) projectUnderSpace = true;
        assertTrue(projectUnderSpace);
        String pid = projects.get(0).get("id").asText();
        JsonNode full = get("/folders/" + pid).get("data").get(0);
        assertEquals("folders", get("/folders/" + pid).get("kind").asText());
        assertTrue(full.get("parentIds").size() == 1 && full.has("updatedDate") && full.has("project"));
        assertTrue(get("/folders?fields=" + WrikeHttp.q("[\"description\"]")).get("data").get(0).has("description"));
    }

    @Test
    void workflowsAndCustomFields() {
        JsonNode wf = get("/workflows").get("data");
        assertEquals(2, wf.size());
        Set<String> groups = new HashSet<>();
        for (JsonNode s : wf.get(0).get("customStatuses")) groups.add(s.get("group").asText());
        assertEquals(Set.of("Active", "Completed", "Deferred", "Cancelled"), groups);
        JsonNode cf = get("/customfields").get("data");
        Set<String> types = new HashSet<>();
        for (JsonNode f : cf) types.add(f.get("type").asText());
        assertTrue(types.containsAll(Set.of("Numeric", "Text", "DropDown", "Date", "Checkbox", "Currency")), types.toString());
    }

    @Test
    void datedCollectionsFilterByTheirDates() {
        JsonNode logs = get("/timelogs").get("data");
        assertTrue(logs.size() > 500, "about one log per two tasks: " + logs.size());
        JsonNode l = logs.get(0);
        assertTrue(l.get("trackedDate").asText().matches("\\d{4}-\\d\\d-\\d\\d"));
        assertTrue(l.get("hours").isNumber());
        String day = l.get("trackedDate").asText();
        JsonNode oneDay = get("/timelogs?trackedDate=" + WrikeHttp.q("{\"start\":\"" + day + "\",\"end\":\"" + day + "\"}")).get("data");
        assertTrue(oneDay.size() >= 1 && oneDay.size() < logs.size());
        for (JsonNode x : oneDay) assertEquals(day, x.get("trackedDate").asText());
        String stamp = l.get("updatedDate").asText();
        for (JsonNode x : get("/timelogs?updatedDate=" + WrikeHttp.q("{\"start\":\"" + stamp + "\"}")).get("data")) {
            assertTrue(x.get("updatedDate").asText().compareTo(stamp) >= 0);
        }
        assertTrue(get("/comments").get("data").size() > 100);
        assertTrue(get("/attachments").get("data").get(0).has("size"));
        JsonNode approvals = get("/approvals").get("data");
        assertTrue(approvals.get(0).get("decisions").isArray());
        JsonNode deps = get("/dependencies").get("data");
        assertTrue(deps.size() > 50);
        String id = deps.get(0).get("id").asText();
        assertEquals(id, get("/dependencies/" + id).get("data").get(0).get("id").asText());
        String succ = deps.get(0).get("successorId").asText();
        assertTrue(get("/tasks/" + succ + "/dependencies").get("data").findValuesAsText("id").contains(id));
        WrikeHttp.Answer bad = http.api(wrike.apiBaseUrl(), wrike.permanentToken(), "/timelogs?trackedDate=last-week");
        assertEquals(400, bad.status());
        assertEquals("invalid_parameter", bad.json().get("error").asText());
        WrikeHttp.Answer none = http.api(wrike.apiBaseUrl(), wrike.permanentToken(), "/nothing");
        assertEquals(404, none.status());
        assertEquals("method_not_found", none.json().get("error").asText());
    }

    @Test
    void sameSeedSameAccount() {
        try (WrikeSandbox again = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(1_500).users(9).rateLimitsEnabled(false).seed(11).build())) {
            assertEquals(wrike.accountId(), again.accountId());
            JsonNode a = http.api(again.apiBaseUrl(), again.permanentToken(), "/timelogs").json().get("data");
            assertEquals(get("/timelogs").get("data").get(3), a.get(3));
            assertEquals(wrike.permanentToken(), again.permanentToken());
        }
    }
}
