package dev.tributary.source.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.destination.duckdb.DuckDbDestination;
import dev.tributary.engine.SyncEngine;
import dev.tributary.engine.SyncJob;
import dev.tributary.engine.SyncOptions;
import dev.tributary.engine.SyncResult;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.hubspot.data.AssociationLink;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.spi.Completion;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deletions that only a reconciliation finds, end to end: the sandbox, the source, the engine and a DuckDB file. A
 * record deleted for good (so absent from the archive too) is marked deleted by the periodic pass over every id;
 * an association that is gone when its record's associations are re-read is marked deleted; the archived listing
 * is read at most every {@code archived_every}.
 */
class HubspotDeletionsTest {
    @TempDir
    Path dir;
    private HubSpotSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private long hub() {
        return sandbox.hubIds().get(0);
    }

    private Config duckdb() {
        return Config.of(JsonNodeFactory.instance.objectNode().put("path", dir.resolve("warehouse.duckdb").toString()));
    }

    /** Discovers the streams first, so the requests counted after this are the sync's own. */
    private static List<ConfiguredStream> streams(HubspotSource source, Config config, String... names) {
        List<ConfiguredStream> selected = new ArrayList<>();
        for (String s : names) selected.add(SandboxSupport.stream(source, config, s, SyncMode.INCREMENTAL));
        return selected;
    }

    private SyncResult sync(HubspotSource source, Config config, List<ConfiguredStream> selected) {
        DuckDbDestination destination = new DuckDbDestination();
        try (DestinationSession session = destination.open(duckdb())) {
            SyncResult result = new SyncEngine(SyncOptions.defaults(), e -> {}).run(new SyncJob("hubspot", source, config, session, selected));
            assertThat(result.ok()).as(result.toString()).isTrue();
            return result;
        }
    }

    /** {@code key -> deleted?} of every row of a table of the warehouse. */
    private Map<String, Boolean> rows(String table, String keySql) throws Exception {
        Map<String, Boolean> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + keySql + ", _tributary_deleted_at IS NOT NULL FROM hubspot." + table)) {
            while (rs.next()) out.put(rs.getString(1), rs.getBoolean(2));
        }
        return out;
    }

    private Set<String> liveIds() {
        ObjectTable t = sandbox.portal(hub()).table(ObjectType.CONTACTS);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < t.size(); i++) if (t.isLive(i)) ids.add(Long.toString(t.id(i)));
        return ids;
    }

    private void pastSafetyLag() {
        sandbox.control().advanceClock(Duration.ofSeconds(HubspotConfig.DEFAULT_SAFETY_LAG_SECONDS + 5));
    }

    @Test
    void aRecordDeletedForGoodIsMarkedByTheNextReconciliation() throws Exception {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(1000).build());
        HubspotSource source = SandboxSupport.source(sandbox);
        ObjectNode settings = SandboxSupport.settings(sandbox);
        settings.put("reconcile_every", "1d");
        settings.putObject("properties").putArray("contacts").add("email");
        Config config = SandboxSupport.config(settings);
        sync(source, config, streams(source, config, "contacts"));
        List<String> live = new ArrayList<>(liveIds());
        String gone = live.get(7), alsoGone = live.get(500);
        assertThat(sandbox.control().hardDelete(hub(), ObjectType.CONTACTS, gone)).isTrue();
        assertThat(sandbox.control().hardDelete(hub(), ObjectType.CONTACTS, alsoGone)).isTrue();

        // Before a day has passed, no pass runs: nothing tells the warehouse that the records are gone.
        pastSafetyLag();
        sync(source, config, streams(source, config, "contacts"));
        assertThat(rows("contacts", "id")).containsEntry(gone, false).containsEntry(alsoGone, false);

        sandbox.control().advanceClock(Duration.ofDays(1));
        List<ConfiguredStream> contacts = streams(source, config, "contacts");
        sandbox.control().counters().reset();
        sync(source, config, contacts);
        long requests = sandbox.control().counters().requests();
        Map<String, Boolean> after = rows("contacts", "id");
        assertThat(after).containsEntry(gone, true).containsEntry(alsoGone, true);
        Set<String> liveInWarehouse = new HashSet<>();
        after.forEach((id, deleted) -> { if (!deleted) liveInWarehouse.add(id); });
        assertThat(liveInWarehouse).isEqualTo(liveIds());
        // ids only, 200 per search: the pass costs ceil(live / 200) calls, plus the window's search and archived pages
        long archivedPages = (sandbox.portal(hub()).table(ObjectType.CONTACTS).archivedCount() + 99) / 100;
        assertThat(requests).isLessThanOrEqualTo((liveIds().size() + 199) / 200 + 1 + archivedPages);

        // The pass is remembered: the next sync does not list every id again.
        pastSafetyLag();
        sandbox.control().counters().reset();
        sync(source, config, contacts);
        assertThat(sandbox.control().counters().requests()).as("one search, no listing").isEqualTo(1);
    }

    @Test
    void aPassStoppedMidwayDeletesNothingAndTheNextSyncFinishesItExactly() throws Exception {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(3000).build());
        HubspotSource source = SandboxSupport.source(sandbox);
        ObjectNode settings = SandboxSupport.settings(sandbox);
        settings.put("reconcile_every", "1d");
        settings.putObject("properties").putArray("contacts").add("email");
        Config config = SandboxSupport.config(settings);
        sync(source, config, streams(source, config, "contacts"));
        long deletedAfterFirstSync = rows("contacts", "id").values().stream().filter(d -> d).count();
        List<String> live = new ArrayList<>(liveIds());
        live.sort(java.util.Comparator.comparingLong(Long::parseLong));
        String lowId = live.get(3), highId = live.get(live.size() - 4);
        sandbox.control().hardDelete(hub(), ObjectType.CONTACTS, lowId);
        sandbox.control().hardDelete(hub(), ObjectType.CONTACTS, highId);
        sandbox.control().advanceClock(Duration.ofDays(1));

        // Commit every page, and stop the run after a few commits: the pass (15 pages here) is cut midway.
        List<ConfiguredStream> contacts = streams(source, config, "contacts");
        java.util.concurrent.atomic.AtomicReference<SyncEngine> engine = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
        engine.set(new SyncEngine(SyncOptions.defaults().withCheckpointPolicy(dev.tributary.engine.CheckpointPolicy.everyBatch()), e -> {
            if (e instanceof dev.tributary.engine.RunEvent.Checkpointed && commits.incrementAndGet() == 6) engine.get().cancel();
        }));
        try (DestinationSession session = new DuckDbDestination().open(duckdb())) {
            SyncResult stopped = engine.get().run(new SyncJob("hubspot", source, config, session, contacts));
            assertThat(stopped.streams().get(0).status()).isEqualTo(dev.tributary.engine.StreamResult.Status.CANCELLED);
        }
        assertThat(rows("contacts", "id")).as("a pass cut midway deletes nothing").containsEntry(lowId, false).containsEntry(highId, false);
        assertThat(rows("contacts", "id").values().stream().filter(d -> d).count()).as("only the merged/archived rows of the first sync")
                .isEqualTo(deletedAfterFirstSync);

        // The next sync resumes the pass where its last commit left it (not from the first id) and ends it.
        sandbox.control().counters().reset();
        sync(source, config, contacts);
        long resumedRequests = sandbox.control().counters().requests();
        assertThat(resumedRequests).isLessThan((liveIds().size() + 199) / 200);
        Map<String, Boolean> after = rows("contacts", "id");
        assertThat(after).containsEntry(lowId, true).containsEntry(highId, true);
        Set<String> liveInWarehouse = new HashSet<>();
        after.forEach((id, deleted) -> { if (!deleted) liveInWarehouse.add(id); });
        assertThat(liveInWarehouse).isEqualTo(liveIds());
    }

    @Test
    void aKilledPassResumesFromItsCheckpointAndEndsWithTheSameKeys() {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(1000).build());
        HubspotSource source = SandboxSupport.source(sandbox);
        ObjectNode settings = SandboxSupport.settings(sandbox);
        settings.put("reconcile_every", "1h");
        settings.putObject("properties").putArray("contacts").add("email");
        Config config = SandboxSupport.config(settings);
        ConfiguredStream stream = SandboxSupport.stream(source, config, "contacts", SyncMode.INCREMENTAL);
        Optional<StreamState> done = SandboxSupport.read(source, config, stream, Optional.empty()).lastState();
        sandbox.control().advanceClock(Duration.ofHours(2));

        // Read up to the second page of the pass, then "die": resume from that checkpoint.
        Set<String> seen = new HashSet<>();
        Optional<StreamState> killedAt = Optional.empty();
        String pass = null;
        try (StreamReader r = source.read(config, stream, done)) {
            int passPages = 0;
            for (Optional<RecordBatch> b = r.next(); b.isPresent() && passPages < 2; b = r.next()) {
                for (Completion c : b.get().completions()) {
                    Completion.KeysSeen k = (Completion.KeysSeen) c;
                    assertThat(k.endsPass()).isFalse();
                    pass = k.passId();
                    k.keys().forEach(key -> seen.add((String) key.get(0)));
                    passPages++;
                }
                killedAt = b.get().checkpoint();
            }
        }
        assertThat(pass).isNotNull();
        int ends = 0;
        try (StreamReader r = source.read(config, stream, killedAt)) {
            for (Optional<RecordBatch> b = r.next(); b.isPresent(); b = r.next()) {
                for (Completion c : b.get().completions()) {
                    Completion.KeysSeen k = (Completion.KeysSeen) c;
                    assertThat(k.passId()).as("the resumed read continues the same pass").isEqualTo(pass);
                    for (List<Object> key : k.keys()) assertThat(seen.add((String) key.get(0))).as("no key twice").isTrue();
                    if (k.endsPass()) ends++;
                }
            }
        }
        assertThat(ends).isEqualTo(1);
        assertThat(seen).isEqualTo(liveIds());
    }

    @Test
    void anAssociationGoneWhenItsRecordIsReReadIsMarkedDeleted() throws Exception {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(1000).build());
        HubspotSource source = SandboxSupport.source(sandbox);
        Config config = SandboxSupport.config(SandboxSupport.settings(sandbox));
        sync(source, config, streams(source, config, "contact_company"));
        ObjectTable contacts = sandbox.portal(hub()).table(ObjectType.CONTACTS);
        ObjectTable companies = sandbox.portal(hub()).table(ObjectType.COMPANIES);
        AssociationLink link = sandbox.portal(hub()).link(ObjectType.CONTACTS, ObjectType.COMPANIES).orElseThrow();
        int contact = -1;
        for (int i = 0; i < contacts.size() && contact < 0; i++) {
            int[] to = link.targets(ObjectType.CONTACTS, i);
            if (contacts.isLive(i) && to.length == 1 && companies.isLive(to[0])) contact = i;
        }
        String contactId = Long.toString(contacts.id(contact));
        String companyId = Long.toString(companies.id(link.targets(ObjectType.CONTACTS, contact)[0]));
        Map<String, Boolean> before = rows("contact_company", "from_id || '->' || to_id");
        assertThat(before).containsEntry(contactId + "->" + companyId, false);

        // The company goes; the contact changes, so its associations are read again and the pair is no longer there.
        assertThat(sandbox.control().archive(hub(), ObjectType.COMPANIES, companyId)).isTrue();
        contacts.update(contact, Map.of("firstname", "Moved"), sandbox.clock().now().toEpochMilli(), 0, "API");
        pastSafetyLag();
        sync(source, config, streams(source, config, "contact_company"));
        Map<String, Boolean> after = rows("contact_company", "from_id || '->' || to_id");
        assertThat(after).containsEntry(contactId + "->" + companyId, true);
        long deleted = after.values().stream().filter(d -> d).count();
        assertThat(deleted).as("only the pair that went").isEqualTo(1);
        assertThat(after).hasSameSizeAs(before);
    }

    @Test
    void theArchivedListingIsReadAtMostEveryIntervalAndCatchesUpWithEverythingArchivedSince() throws Exception {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(3000).build());
        HubspotSource source = SandboxSupport.source(sandbox);
        ObjectNode settings = SandboxSupport.settings(sandbox);
        settings.putObject("properties").putArray("contacts").add("email");
        Config config = SandboxSupport.config(settings);
        List<ConfiguredStream> contacts = streams(source, config, "contacts");
        sync(source, config, contacts);
        List<String> archived = sandbox.control().archive(hub(), ObjectType.CONTACTS, 3);
        long archivedPages = (sandbox.portal(hub()).table(ObjectType.CONTACTS).archivedCount() + 99) / 100;

        pastSafetyLag();
        sandbox.control().counters().reset();
        sync(source, config, contacts);
        assertThat(sandbox.control().counters().byRouteAndStatus()).as("within the hour: one search, no archived listing")
                .containsOnlyKeys("POST /crm/v3/objects/contacts/search 200").containsValue(1L);
        Map<String, Boolean> rows = rows("contacts", "id");
        for (String id : archived) assertThat(rows).containsEntry(id, false);

        sandbox.control().advanceClock(Duration.ofHours(1));
        contacts = streams(source, config, "contacts");
        sandbox.control().counters().reset();
        sync(source, config, contacts);
        assertThat(sandbox.control().counters().byRouteAndStatus()).containsEntry("GET /crm/v3/objects/contacts 200", archivedPages)
                .containsEntry("POST /crm/v3/objects/contacts/search 200", 1L).hasSize(2);
        rows = rows("contacts", "id");
        for (String id : archived) assertThat(rows).containsEntry(id, true);
    }
}
