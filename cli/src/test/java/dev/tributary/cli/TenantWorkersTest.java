package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant syncs as work items of their run: claimed by two serve workers on one PostgreSQL store (capped together by
 * max_concurrent_tenants, each item claimed once, grouped under the run); one account's 429 storm holds only its own
 * slot; a tenant removed while it syncs is stopped first and leaves no tables or state behind.
 */
class TenantWorkersTest {
    @TempDir
    Path dir;

    private String url;
    private String prefix;
    private String meta;

    @AfterEach
    void tearDown() throws Exception {
        if (prefix == null) return;
        List<String> schemas = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select schema_name from information_schema.schemata where schema_name like '" + prefix + "%'")) {
            while (rs.next()) schemas.add(rs.getString(1));
        }
        for (String schema : schemas) TestDatabases.dropPostgresSchema(url, schema);
        if (meta != null) TestDatabases.dropPostgresSchema(url, meta);
    }

    private String destination() {
        url = TestDatabases.postgresUrl();
        prefix = "ten_" + Long.toHexString(System.nanoTime() & 0xffffff) + "_";
        return "type: postgres\nurl: \"" + url + "\"\nschema_prefix: " + prefix;
    }

    @Test
    void tenantsOfOneRunOnTwoWorkersCappedTogetherEachClaimedOnce() throws Exception {
        String destination = destination();
        meta = prefix + "meta";
        String server = "server:\n  metadata: {url: \"" + url + "\", schema: " + meta + "}\n";
        try (TenantServe t = new TenantServe(dir, 8, 60, 2, destination, server, "--worker-id", "ten-a", "--heartbeat", "300ms", "--worker-timeout", "3s");
             TenantServe.Serve b = t.startWorker("--worker-id", "ten-b", "--heartbeat", "300ms", "--worker-timeout", "3s", "--no-scheduler")) {
            List<Long> hubs = t.hubspot.hubIds().subList(0, 8);
            for (long hub : hubs) t.install(hub);
            t.hubspot.control().setLatency(Duration.ofMillis(150)); // each tenant's sync outlasts a worker's poll, so both get a share
            long run = t.trigger();
            JsonNode done = t.awaitRun(run);
            String log = t.log(run);
            assertThat(done.get("status").asText()).as(log + t.out).isEqualTo("succeeded");
            assertThat(log).contains("8 tenants, 8 ok, 0 failed");

            JsonNode items = t.api("GET", "/runs/" + run + "/tenants");
            assertThat(items).hasSize(8);
            Map<String, List<JsonNode>> byWorker = new HashMap<>();
            for (JsonNode item : items) {
                assertThat(item.get("status").asText()).isEqualTo("done");
                assertThat(item.get("claims").asInt()).as("claimed once").isEqualTo(1);
                assertThat(item.get("runId").asLong()).isEqualTo(run);
                byWorker.computeIfAbsent(item.get("worker").asText().replaceAll("/.*", ""), k -> new ArrayList<>()).add(item);
            }
            // under one cap for both, the worker that looks first may fill every slot: which workers took part is not asserted
            assertThat(byWorker.keySet()).as("workers that synced tenants of the run").isNotEmpty().isSubsetOf("ten-a", "ten-b");
            List<JsonNode> all = new ArrayList<>();
            items.forEach(all::add);
            assertThat(peak(all)).as("tenants at once over both workers (max_concurrent_tenants holds over all)").isLessThanOrEqualTo(2);
            List<Long> synced = new ArrayList<>();
            for (JsonNode item : items) synced.add(item.get("hubId").asLong());
            assertThat(synced).containsExactlyInAnyOrderElementsOf(hubs);
            // each tenant's rows are its own, whichever worker synced it
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (long hub : hubs) {
                    try (ResultSet rs = s.executeQuery("select count(*), count(*) filter (where _tributary_tenant <> '" + hub + "') from " + prefix + "crm_"
                            + hub + ".contacts")) {
                        rs.next();
                        assertThat(rs.getLong(1)).isEqualTo(t.hubspot.portal(hub).table(ObjectType.CONTACTS).size());
                        assertThat(rs.getLong(2)).isZero();
                    }
                }
            }
            t.hubspot.control().setLatency(Duration.ZERO);
        }
    }

    @Test
    void oneAccountsStormOf429sHoldsOnlyItsOwnSlot() throws Exception {
        try (TenantServe t = new TenantServe(dir, 6, 40, 2, destination(), "")) {
            List<Long> hubs = t.hubspot.hubIds().subList(0, 6);
            for (long hub : hubs) t.install(hub);
            long stormed = hubs.get(0);
            t.hubspot.control().storm429(stormed, 100_000); // until the test ends it
            long run = t.trigger();
            // every other tenant's sync ends while the stormed one still waits out its 429s
            JsonNode items = awaitItems(t, run, all -> all.stream().filter(i -> i.get("hubId").asLong() != stormed)
                    .allMatch(i -> i.get("status").asText().equals("done")));
            assertThat(item(items, stormed).get("status").asText()).isEqualTo("running");
            assertThat(t.hubspot.control().stormed429(stormed)).isPositive();
            for (long hub : hubs.subList(1, hubs.size())) assertThat(t.hubspot.control().stormed429(hub)).as("429s of hub " + hub).isZero();
            t.hubspot.control().clearFaults();
            JsonNode done = t.awaitRun(run);
            assertThat(done.get("status").asText()).as(t.log(run)).isEqualTo("succeeded");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from " + prefix + "crm_" + stormed + ".contacts")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(t.hubspot.portal(stormed).table(ObjectType.CONTACTS).size());
            }
            // no account above HubSpot's limit
            assertThat(t.hubspot.peakTenSecondUse().values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(100));
        }
    }

    @Test
    void aTenantRemovedWhileItSyncsIsStoppedAndLeavesNothingBehind() throws Exception {
        try (TenantServe t = new TenantServe(dir, 3, 300, 2, destination(), "")) {
            List<Long> hubs = t.hubspot.hubIds().subList(0, 3);
            for (long hub : hubs) t.install(hub);
            JsonNode first = t.runPipeline();
            assertThat(first.get("status").asText()).isEqualTo("succeeded");
            long removed = hubs.get(1);
            t.hubspot.control().mutate(removed, ObjectType.CONTACTS, 150);
            t.hubspot.control().setLatency(Duration.ofMillis(700)); // its next sync takes a while: several pages, each slow
            long run = t.trigger();
            awaitItems(t, run, all -> all.stream().anyMatch(i -> i.get("hubId").asLong() == removed && i.get("status").asText().equals("running")));

            JsonNode gone = t.api("DELETE", "/tenants/" + removed);
            assertThat(gone.get("result").asText()).contains("removed");
            t.hubspot.control().setLatency(Duration.ZERO);
            JsonNode done = t.awaitRun(run);
            List<Long> itemHubs = new ArrayList<>();
            t.api("GET", "/runs/" + run + "/tenants").forEach(i -> itemHubs.add(i.get("hubId").asLong()));
            assertThat(itemHubs).as("the removed tenant's work is forgotten with it").containsExactlyInAnyOrder(hubs.get(0), hubs.get(2));
            assertThat(t.apiResponse("GET", "/tenants/" + removed).statusCode()).isEqualTo(404);
            // nothing recreated after the drop: no schema, no state row; the others keep theirs
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select count(*) from information_schema.schemata where schema_name = '" + prefix + "crm_" + removed + "'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("schema of the removed tenant").isZero();
                }
                Set<String> states = new HashSet<>();
                try (ResultSet rs = s.executeQuery("select distinct connection from " + prefix + "tributary._tributary_state")) {
                    while (rs.next()) states.add(rs.getString(1));
                }
                assertThat(states).doesNotContain("crm_" + removed).contains("crm_" + hubs.get(0), "crm_" + hubs.get(2));
            }
            assertThat(t.api("GET", "/tenants").toString()).doesNotContain(Long.toString(removed));
            assertThat(done.get("status").asText()).isIn("succeeded", "failed");
        }
    }

    /**
     * A tenant removed while its sync waits out a storm of 429s inside the HTTP client: the removal's cancel ends those
     * waits, so the sync stops at once and the removal goes through (it used to wait three worker timeouts for the
     * waits to end, then answer 409 "remove it again" with nothing removed).
     */
    @Test
    void aTenantRemovedDuringItsStormOf429sStopsAtOnceAndIsRemoved() throws Exception {
        try (TenantServe t = new TenantServe(dir, 3, 40, 2, destination(), "")) {
            List<Long> hubs = t.hubspot.hubIds().subList(0, 3);
            for (long hub : hubs) t.install(hub);
            long stormed = hubs.get(0);
            t.hubspot.control().storm429(stormed, 100_000); // until the test ends it
            long run = t.trigger();
            awaitItems(t, run, all -> t.hubspot.control().stormed429(stormed) > 0 && all.stream().filter(i -> i.get("hubId").asLong() != stormed)
                    .allMatch(i -> i.get("status").asText().equals("done")));
            java.net.http.HttpResponse<String> gone = t.apiResponse("DELETE", "/tenants/" + stormed);
            assertThat(gone.statusCode()).as(gone.body() + t.out).isEqualTo(200);
            assertThat(gone.body()).contains("removed");
            t.hubspot.control().clearFaults();
            JsonNode done = t.awaitRun(run);
            assertThat(done.get("status").asText()).isIn("succeeded", "failed");
            assertThat(t.apiResponse("GET", "/tenants/" + stormed).statusCode()).isEqualTo(404);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from information_schema.schemata where schema_name = '" + prefix + "crm_" + stormed + "'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("schema of the removed tenant").isZero();
            }
        }
    }

    private static JsonNode item(JsonNode items, long hub) {
        for (JsonNode i : items) if (i.get("hubId").asLong() == hub) return i;
        throw new AssertionError("no item of hub " + hub + " in " + items);
    }

    private static JsonNode awaitItems(TenantServe t, long run, Predicate<List<JsonNode>> condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = t.api("GET", "/runs/" + run + "/tenants");
            List<JsonNode> list = new ArrayList<>();
            items.forEach(list::add);
            if (!list.isEmpty() && condition.test(list)) return items;
            Thread.sleep(100); // polls the items: their progress is what is waited for
        }
        throw new AssertionError("the run's tenant items never got there: " + t.api("GET", "/runs/" + run + "/tenants") + "\n" + t.out);
    }

    /** The most items of one worker running at one moment, from their start and end times. */
    private static int peak(List<JsonNode> items) {
        List<long[]> edges = new ArrayList<>();
        for (JsonNode i : items) {
            edges.add(new long[] {micros(i.get("startedAt").asText()), 1});
            edges.add(new long[] {micros(i.get("finishedAt").asText()), -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int peak = 0;
        for (long[] e : edges) peak = Math.max(peak, now += (int) e[1]);
        return peak;
    }

    private static long micros(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
    }
}
