package dev.tributary.source.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.RateLimitStopException;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.hubspot.data.ObjectTable;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Full and incremental reads against an embedded sandbox: counts, request budgets, deletes, merges, faults, limits. */
class HubspotSyncTest {
    private HubSpotSandbox sandbox;

    private HubSpotSandbox start(SandboxOptions.Builder options) {
        sandbox = HubSpotSandbox.start(options.build());
        return sandbox;
    }

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
    }

    private long hub() {
        return sandbox.hubIds().get(0);
    }

    private Set<String> liveIds(ObjectType type) {
        ObjectTable t = sandbox.portal(hub()).table(type);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < t.size(); i++) if (t.isLive(i)) ids.add(Long.toString(t.id(i)));
        return ids;
    }

    private static Set<String> liveIdsRead(SandboxSupport.Read read) {
        Set<String> out = new HashSet<>();
        for (Record r : read.records()) if (!r.isDeleted()) out.add((String) r.value(0));
        return out;
    }

    private void pastSafetyLag() {
        sandbox.control().advanceClock(Duration.ofSeconds(HubspotConfig.DEFAULT_SAFETY_LAG_SECONDS + 5));
    }

    @Test
    void fullSyncReadsEveryLiveRecordWithinTwoRequestsPerHundredAndNever414() {
        start(SandboxOptions.builder().contacts(3000));
        HubspotSource source = SandboxSupport.source(sandbox);
        Config config = SandboxSupport.config(SandboxSupport.settings(sandbox));
        for (String name : List.of("contacts", "companies", "deals")) {
            ObjectType type = ObjectType.valueOf(name.toUpperCase());
            ConfiguredStream stream = SandboxSupport.stream(source, config, name, SyncMode.INCREMENTAL);
            sandbox.control().counters().reset();
            SandboxSupport.Read read = SandboxSupport.read(source, config, stream, Optional.empty());
            long requests = sandbox.control().counters().requests();
            Set<String> live = liveIdsRead(read);
            assertThat(live).as(name).isEqualTo(liveIds(type));
            assertThat(read.ids()).as("no duplicates in " + name).doesNotHaveDuplicates();
            long total = sandbox.portal(hub()).table(type).size();
            // the read itself; discovery (schemas, property definitions) is cached by the account's client
            assertThat(requests).as(name + ": requests for " + total + " records").isLessThanOrEqualTo(2 * ((total + 99) / 100));
            assertThat(sandbox.control().counters().withStatus(414)).isZero();
        }
        // every property definition became a column (contacts have hundreds), and the request still fit
        ConfiguredStream contacts = SandboxSupport.stream(source, config, "contacts", SyncMode.INCREMENTAL);
        assertThat(contacts.schema().fields().size()).isGreaterThan(400);
    }

    @Test
    void incrementalReadsOnlyChangedRecordsWithinTheRequestBudget() {
        start(SandboxOptions.builder().contacts(3000));
        HubspotSource source = SandboxSupport.source(sandbox);
        Config config = SandboxSupport.config(SandboxSupport.settings(sandbox));
        ConfiguredStream stream = SandboxSupport.stream(source, config, "contacts", SyncMode.INCREMENTAL);
        SandboxSupport.Read first = SandboxSupport.read(source, config, stream, Optional.empty());
        int k = 450;
        Set<String> changed = new HashSet<>(sandbox.control().mutate(hub(), ObjectType.CONTACTS, k));
        pastSafetyLag();
        sandbox.control().counters().reset();
        SandboxSupport.Read second = SandboxSupport.read(source, config, stream, first.lastState());
        long requests = sandbox.control().counters().requests();
        assertThat(liveIdsRead(second)).isEqualTo(changed);
        // ceil(k/200) searches + the archived listing + discovery (schemas, 3 property-definition calls)
        long archivedPages = (sandbox.portal(hub()).table(ObjectType.CONTACTS).archivedCount() + 99) / 100;
        assertThat(requests).isLessThanOrEqualTo((k + 199) / 200 + archivedPages + 4);

        // nothing changed: nothing read
        pastSafetyLag();
        assertThat(SandboxSupport.read(source, config, stream, second.lastState()).records()).isEmpty();
    }

    @Test
    void moreThanTenThousandRecordsSharingOneTimestampNeitherLoopNorGetLost() {
        start(SandboxOptions.builder().contacts(25_000));
        HubspotSource source = SandboxSupport.source(sandbox);
        ObjectNode settings = SandboxSupport.settings(sandbox);
        settings.putObject("properties").putArray("contacts").add("email").add("lastmodifieddate");
        Config config = SandboxSupport.config(settings);
        ConfiguredStream stream = SandboxSupport.stream(source, config, "contacts", SyncMode.INCREMENTAL);
        SandboxSupport.Read read = SandboxSupport.read(source, config, stream, Optional.empty());
        assertThat(read.ids()).doesNotHaveDuplicates();
        assertThat(liveIdsRead(read)).isEqualTo(liveIds(ObjectType.CONTACTS));
        // the bulk cluster really is one timestamp shared by more than 10,000 records
        int modified = stream.schema().indexOf("lastmodifieddate");
        var byTime = new java.util.HashMap<Object, Integer>();
        for (Record r : read.records()) if (!r.isDeleted()) byTime.merge(r.value(modified), 1, Integer::sum);
        assertThat(byTime.values().stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(10_000);

        // a window that starts just before the cluster and stops after it still reads it all, by id
        ObjectNode windowed = settings.deepCopy();
        Object clusterTime = byTime.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
        windowed.put("start_date", ((java.time.Instant) clusterTime).minusMillis(1).toString());
        SandboxSupport.Read window = SandboxSupport.read(source, SandboxSupport.config(windowed),
                SandboxSupport.stream(source, SandboxSupport.config(windowed), "contacts", SyncMode.INCREMENTAL), Optional.empty());
        assertThat(window.ids()).doesNotHaveDuplicates();
        long inCluster = window.records().stream().filter(r -> clusterTime.equals(r.value(modified))).count();
        assertThat(inCluster).isEqualTo(byTime.get(clusterTime).longValue());
    }

    @Test
    void archivedRecordsBecomeSoftDeletesAndMergedRecordsPointAtTheirSurvivor() {
        start(SandboxOptions.builder().contacts(1000));
        HubspotSource source = SandboxSupport.source(sandbox);
        Config config = SandboxSupport.config(SandboxSupport.settings(sandbox));
        ConfiguredStream stream = SandboxSupport.stream(source, config, "contacts", SyncMode.INCREMENTAL);
        SandboxSupport.Read first = SandboxSupport.read(source, config, stream, Optional.empty());
        // the generated portal already holds merged contacts: the first sync marks them
        int mergedCol = stream.schema().indexOf(ObjectRows.MERGED_INTO);
        assertThat(first.records()).anyMatch(r -> r.isDeleted() && r.value(mergedCol) != null);

        List<String> archived = sandbox.control().archive(hub(), ObjectType.CONTACTS, 3);
        List<String> live = new ArrayList<>(liveIds(ObjectType.CONTACTS));
        live.removeAll(archived);
        String primary = live.get(0), mergedAway = live.get(1);
        sandbox.control().merge(hub(), ObjectType.CONTACTS, primary, mergedAway);
        // past archived_every (1h by default), so this sync reads the archived listing
        sandbox.control().advanceClock(HubspotConfig.DEFAULT_ARCHIVED_EVERY.plusSeconds(HubspotConfig.DEFAULT_SAFETY_LAG_SECONDS));
        SandboxSupport.Read second = SandboxSupport.read(source, config, stream, first.lastState());

        Set<String> deleted = new HashSet<>();
        for (Record r : second.records()) if (r.isDeleted() && r.value(mergedCol) == null) deleted.add((String) r.value(0));
        assertThat(deleted).containsExactlyInAnyOrderElementsOf(archived);
        assertThat(second.records()).anyMatch(r -> r.value(0).equals(primary) && !r.isDeleted());
        assertThat(second.records()).anyMatch(r -> r.value(0).equals(mergedAway) && r.isDeleted() && primary.equals(r.value(mergedCol)));
    }

    @Test
    void stormsOf429AndDroppedConnectionsLoseNothing() {
        start(SandboxOptions.builder().contacts(2000));
        HubspotSource source = SandboxSupport.source(sandbox);
        Config config = SandboxSupport.config(SandboxSupport.settings(sandbox));
        ConfiguredStream stream = SandboxSupport.stream(source, config, "contacts", SyncMode.FULL_REFRESH);
        SandboxSupport.Read clean = SandboxSupport.read(source, config, stream, Optional.empty());
        sandbox.control().storm429(15);
        sandbox.control().dropConnections(4);
        sandbox.control().setErrorRate(0.05);
        SandboxSupport.Read faulty = SandboxSupport.read(source, config, stream, Optional.empty());
        sandbox.control().clearFaults();
        assertThat(new HashSet<>(faulty.records())).isEqualTo(new HashSet<>(clean.records()));
        assertThat(faulty.records()).hasSameSizeAs(clean.records());
        assertThat(sandbox.control().counters().rateLimited()).isGreaterThanOrEqualTo(15);
    }

    @Test
    void oauthTokensAreRefreshedWhenTheyExpireMidSync() throws Exception {
        start(SandboxOptions.builder().contacts(1000));
        HubspotSource source = SandboxSupport.source(sandbox);
        ObjectNode settings = SandboxSupport.JSON.createObjectNode();
        settings.put("base_url", sandbox.baseUrl());
        settings.put("client_id", sandbox.oauthClientId());
        settings.put("client_secret", sandbox.oauthClientSecret());
        settings.put("refresh_token", SandboxSupport.refreshToken(sandbox));
        Config config = SandboxSupport.config(settings);
        assertThat(source.check(config).message()).contains("(hub id) " + hub());
        ConfiguredStream stream = SandboxSupport.stream(source, config, "contacts", SyncMode.FULL_REFRESH);
        List<Record> records = new ArrayList<>();
        try (StreamReader reader = source.read(config, stream, Optional.empty())) {
            int batches = 0;
            for (Optional<RecordBatch> b = reader.next(); b.isPresent(); b = reader.next()) {
                records.addAll(b.get().records());
                if (++batches == 2) sandbox.control().expireAccessTokens();
                if (batches == 3) sandbox.control().advanceClock(Duration.ofMinutes(40));
            }
        }
        Set<String> live = new HashSet<>();
        for (Record r : records) if (!r.isDeleted()) live.add((String) r.value(0));
        assertThat(live).isEqualTo(liveIds(ObjectType.CONTACTS));
        assertThat(sandbox.control().counters().withStatus(401)).isLessThanOrEqualTo(1);
    }

    @Test
    void theDailyLimitStopsWithAClearMessageAndAResumableCheckpoint() {
        // discovery takes 22 counted calls; history is read with batch calls, which count against the daily limit (search does not)
        start(SandboxOptions.builder().contacts(2000).dailyLimit(28));
        HubspotSource source = SandboxSupport.source(sandbox);
        Config config = SandboxSupport.config(SandboxSupport.settings(sandbox));
        ConfiguredStream stream = SandboxSupport.stream(source, config, "deal_property_history", SyncMode.INCREMENTAL);
        List<Record> before = new ArrayList<>();
        StreamState[] last = new StreamState[1];
        assertThatThrownBy(() -> {
            try (StreamReader reader = source.read(config, stream, Optional.empty())) {
                for (Optional<RecordBatch> b = reader.next(); b.isPresent(); b = reader.next()) {
                    before.addAll(b.get().records());
                    last[0] = b.get().checkpoint().orElseThrow();
                }
            }
        }).isInstanceOf(RateLimitStopException.class).hasMessageContaining("daily").hasMessageContaining("resumes");
        assertThat(last[0]).as("pages read before the limit were checkpointed").isNotNull();
        assertThat(before).isNotEmpty();
        // the next day: resume from the checkpoint, and the two parts make exactly the whole
        sandbox.control().advanceClock(Duration.ofDays(1));
        SandboxSupport.Read rest = SandboxSupport.read(source, config, stream, Optional.of(last[0]));
        List<Record> all = new ArrayList<>(before);
        all.addAll(rest.records());
        sandbox.control().setRateLimitsEnabled(false);
        SandboxSupport.Read clean = SandboxSupport.read(source, config, stream, Optional.empty());
        assertThat(all).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(clean.records()));
    }

    @Test
    void emptyStringsAreNullAndValuesThatDoNotFitAreKeptAsText() {
        start(SandboxOptions.builder().contacts(1000));
        HubspotSource source = SandboxSupport.source(sandbox);
        Config config = SandboxSupport.config(SandboxSupport.settings(sandbox));
        ConfiguredStream stream = SandboxSupport.stream(source, config, "contacts", SyncMode.FULL_REFRESH);
        SandboxSupport.Read read = SandboxSupport.read(source, config, stream, Optional.empty());
        var schema = read.lastBatch().schema();
        int spend = schema.indexOf("annual_spend"), invalid = schema.indexOf(ObjectRows.INVALID), interests = schema.indexOf("interests__values");
        assertThat(schema.field("annual_spend").orElseThrow().type()).isEqualTo(dev.tributary.spi.DataType.DECIMAL);
        assertThat(read.records()).anyMatch(r -> r.value(spend) == null && r.value(invalid) instanceof JsonText j && j.json().contains("annual_spend"));
        assertThat(read.records()).anyMatch(r -> r.value(spend) instanceof java.math.BigDecimal);
        assertThat(read.records()).anyMatch(r -> r.value(interests) instanceof JsonText j && j.json().startsWith("["));
        assertThat(read.records()).noneMatch(r -> java.util.Arrays.asList(r.values()).contains(""));
    }

    @Test
    void associationsHistoryAndReferenceStreams() {
        start(SandboxOptions.builder().contacts(1000));
        HubspotSource source = SandboxSupport.source(sandbox);
        Config config = SandboxSupport.config(SandboxSupport.settings(sandbox));
        var catalog = source.discover(config);
        assertThat(catalog.streams().stream().map(s -> s.id().name())).contains("contacts", "companies", "deals", "tickets", "line_items",
                "products", "subscriptions", "owners", "deal_pipelines", "deal_pipeline_stages", "ticket_pipelines", "properties",
                "contact_company", "deal_company", "deal_contact", "ticket_contact", "ticket_company", "line_item_deal",
                "deal_property_history", "deal_stage_history");
        for (String name : List.of("contact_company", "deal_property_history", "deal_stage_history", "owners", "deal_pipeline_stages", "properties")) {
            SandboxSupport.Read read = SandboxSupport.read(source, config, SandboxSupport.stream(source, config, name,
                    catalog.stream(name).orElseThrow().supports(SyncMode.INCREMENTAL) ? SyncMode.INCREMENTAL : SyncMode.FULL_REFRESH), Optional.empty());
            assertThat(read.records()).as(name).isNotEmpty();
        }
        // contact_company: every live contact's company, with type and category
        SandboxSupport.Read links = SandboxSupport.read(source, config, SandboxSupport.stream(source, config, "contact_company",
                SyncMode.INCREMENTAL), Optional.empty());
        assertThat(links.records()).allMatch(r -> r.value(2) != null && r.value(3) != null);
    }

    @Test
    void unknownSettingsAreErrorsWithADidYouMean() {
        start(SandboxOptions.builder().contacts(100));
        ObjectNode settings = SandboxSupport.settings(sandbox);
        settings.put("max_concurency", 2);
        assertThatThrownBy(() -> SandboxSupport.source(sandbox).discover(SandboxSupport.config(settings)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_concurency").hasMessageContaining("did you mean 'max_concurrency'");
        ObjectNode noToken = SandboxSupport.JSON.createObjectNode().put("base_url", sandbox.baseUrl());
        assertThatThrownBy(() -> SandboxSupport.source(sandbox).discover(SandboxSupport.config(noToken)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("access_token");
        ObjectNode badToken = SandboxSupport.settings(sandbox).put("access_token", "pat-na1-00000000-0000-0000-0000-000000000000");
        var check = SandboxSupport.source(sandbox).check(SandboxSupport.config(badToken));
        assertThat(check.ok()).isFalse();
        assertThat(check.message()).contains("401").doesNotContain("pat-na1-00000000");
    }
}
