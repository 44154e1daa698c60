package dev.tributary.scheduler.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.project.FileSecretStore;
import dev.tributary.scheduler.JdbcMetadataStore;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tenants in the metadata store (embedded H2 and PostgreSQL): installs, sealed tokens, install states, sync figures, fair order. */
class TenantStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String TOKEN = "na1-refresh-token-0123456789";

    @TempDir
    Path dir;

    private JdbcMetadataStore db;
    private String url;
    private String schema;

    private TenantStore open(String kind) {
        if (kind.equals("postgres")) {
            url = TestDatabases.postgresUrl();
            schema = TestDatabases.createPostgresSchema(url, "tenant_meta");
            db = JdbcMetadataStore.postgres(url, null, null, schema);
        } else {
            db = JdbcMetadataStore.h2(dir.resolve("metadata"));
        }
        return TenantStore.open(db, FileSecretStore.forProject(dir, Map.of(FileSecretStore.KEY_ENV, "test passphrase")));
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
        if (schema != null) TestDatabases.dropPostgresSchema(url, schema);
    }

    /** Issue 19: one of 1,000 installs (6.4/s, eight at once) answered 200 yet the run queued 999 tenants. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void manyConcurrentInstallsAreEachRecordedOrFailLoudly(String kind) throws Exception {
        TenantStore store = open(kind);
        int installs = 300;
        List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < installs; i++) {
                long hub = 5000 + i;
                answers.add(pool.submit(() -> store.recordInstall(new InstalledAccount(hub, "h" + hub, "u", 1, List.of("oauth")), TOKEN + hub, T0)));
            }
        }
        List<Long> answered = new java.util.ArrayList<>();
        for (int i = 0; i < installs; i++) {
            assertThat(answers.get(i).get()).as("install of hub " + (5000 + i) + " is a new tenant").isTrue(); // an error would throw here
            answered.add(5000L + i);
        }
        assertThat(store.list()).extracting(Tenant::hubId).containsExactlyInAnyOrderElementsOf(answered);
        assertThat(store.withStatus(TenantStatus.ACTIVE)).hasSize(installs);
        for (long hub : answered) assertThat(store.refreshToken(hub)).isEqualTo(TOKEN + hub);
    }

    /**
     * Two first installs of one hub at the same moment (a user clicking "install" twice; seen in the 1,000-tenant
     * benchmark through two sandbox portals sharing a hub id): both used to find no row to lock and INSERT, and the
     * second callback answered 500 with a duplicate key. Now the later one is a re-install: exactly one new tenant.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void twoFirstInstallsOfOneHubAtOnceMakeOneTenantAndNoError(String kind) throws Exception {
        TenantStore store = open(kind);
        for (int round = 0; round < 20; round++) {
            long hub = 9000 + round;
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                for (int i = 0; i < 2; i++) {
                    String token = TOKEN + hub + "-" + i;
                    answers.add(pool.submit(() -> {
                        together.await();
                        return store.recordInstall(new InstalledAccount(hub, "h" + hub, "u", 1, List.of("oauth")), token, T0);
                    }));
                }
            }
            int newTenants = 0;
            for (var answer : answers) if (answer.get()) newTenants++; // an error would throw here
            assertThat(newTenants).as("new tenants for hub " + hub).isEqualTo(1);
            assertThat(store.find(hub)).isPresent();
            assertThat(store.refreshToken(hub)).isIn(TOKEN + hub + "-0", TOKEN + hub + "-1");
        }
        assertThat(store.list()).hasSize(20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aSecondInstallOfAHubUpdatesItAndTokensAreSealedAtRest(String kind) throws Exception {
        TenantStore store = open(kind);
        assertThat(store.recordInstall(new InstalledAccount(101, "a.example", "ann@a.example", 7, List.of("oauth")), TOKEN, T0)).isTrue();
        store.setStatus(101, TenantStatus.NEEDS_REINSTALL, "refused", T0.plusSeconds(5));
        store.putSecret(101, "hubspot/oauth/x", "rotated");
        assertThat(store.recordInstall(new InstalledAccount(101, "a2.example", "bob@a.example", 8, List.of("oauth", "crm.objects.contacts.read")),
                TOKEN + "-2", T0.plusSeconds(60))).isFalse();
        Tenant t = store.find(101).orElseThrow();
        assertThat(t.name()).isEqualTo("a2.example");
        assertThat(t.user()).isEqualTo("bob@a.example");
        assertThat(t.scopes()).containsExactly("oauth", "crm.objects.contacts.read");
        assertThat(t.installedAt()).isEqualTo(T0);
        assertThat(t.status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(t.statusReason()).isEmpty();
        assertThat(store.refreshToken(101)).isEqualTo(TOKEN + "-2");
        assertThat(store.secret(101, "hubspot/oauth/x")).as("a rotated token of the old install is forgotten").isEmpty();
        assertThat(store.list()).hasSize(1);
        // at rest: no token text in any column
        String stored = db.transaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT refresh_token_sealed FROM " + db.table("tenants"))) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(stored).startsWith("aes256gcm:").doesNotContain("refresh-token");
        // another key cannot read it
        TenantStore otherKey = TenantStore.open(db, FileSecretStore.forProject(dir, Map.of(FileSecretStore.KEY_ENV, "another")));
        assertThatThrownBy(() -> otherKey.refreshToken(101)).hasMessageContaining("the key changed").hasMessageNotContaining(TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void installStatesAreSingleUseSignedAndExpire(String kind) {
        TenantStore store = open(kind);
        AppSettings app = app(Map.of());
        InstallState states = new InstallState(app, store);
        String state = states.issue(T0);
        states.consume(state, T0.plusSeconds(30));
        assertThatThrownBy(() -> states.consume(state, T0.plusSeconds(31))).hasMessageContaining("already used");

        String other = states.issue(T0);
        String[] parts = other.split("\\.");
        String longer = parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2];
        assertThatThrownBy(() -> states.consume(longer, T0)).hasMessageContaining("not signed by this server");
        InstallState forger = new InstallState(app(Map.of("client_secret", "someone-else")), store);
        assertThatThrownBy(() -> states.consume(forger.issue(T0), T0)).hasMessageContaining("not signed by this server");
        assertThatThrownBy(() -> states.consume(other, T0.plusSeconds(601))).hasMessageContaining("expired");
        assertThatThrownBy(() -> states.consume("", T0)).hasMessageContaining("without a state");
        assertThatThrownBy(() -> states.consume("a.b", T0)).hasMessageContaining("malformed");
    }

    @Test
    void syncFiguresAddUpAndAFairRunTakesFailedThenOldestFirst() {
        TenantStore store = open("h2");
        for (long hub : List.of(1L, 2L, 3L, 4L)) store.recordInstall(new InstalledAccount(hub, "h" + hub, "u", 1, List.of("oauth")), TOKEN + hub, T0);
        store.recordSync("crm", 1, T0.plusSeconds(10), 50, Optional.empty(), 12);
        store.recordSync("crm", 1, T0.plusSeconds(20), 5, Optional.empty(), 3);
        store.recordSync("crm", 2, T0.plusSeconds(30), 0, Optional.of("boom"), 1);
        store.recordSync("crm", 3, T0.plusSeconds(5), 7, Optional.empty(), 2);
        store.setStatus(4, TenantStatus.PAUSED, "paused", T0);
        Tenant one = store.find(1).orElseThrow();
        assertThat(one.totalRows()).isEqualTo(55);
        assertThat(one.apiCalls()).isEqualTo(15);
        assertThat(one.syncs().get(0).lastRows()).isEqualTo(5);
        assertThat(store.find(2).orElseThrow().errors()).isEqualTo(1);
        assertThat(store.withStatus(TenantStatus.ACTIVE)).extracting(Tenant::hubId).containsExactly(2L, 3L, 1L);
        assertThat(store.delete(1)).isTrue();
        assertThat(store.find(1)).isEmpty();
        assertThat(store.delete(1)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void workItemsAreClaimedOnceInFairOrderCappedSkippedTakenOverAndCancelled(String kind) throws Exception {
        TenantStore store = open(kind);
        for (long hub : List.of(1L, 2L, 3L, 4L, 5L, 6L)) store.recordInstall(new InstalledAccount(hub, "h" + hub, "u", 1, List.of("oauth")), TOKEN + hub, T0);
        store.recordSync("crm", 2, T0.plusSeconds(30), 0, Optional.of("boom"), 1);
        store.recordSync("crm", 1, T0.plusSeconds(10), 5, Optional.empty(), 1);
        List<Long> fair = store.withStatus(TenantStatus.ACTIVE).stream().map(Tenant::hubId).toList();
        assertThat(fair).containsExactly(2L, 3L, 4L, 5L, 6L, 1L);
        assertThat(store.enqueue(7, "crm", "crm", fair)).hasSize(6);
        assertThat(store.enqueue(7, "crm", "crm", fair)).as("a resumed step queues nothing twice").hasSize(6);
        store.setStatus(5, TenantStatus.PAUSED, "paused", T0);

        Duration stale = Duration.ofMinutes(5);
        List<TenantWork> a = store.claim("a", 2, 100, stale);
        assertThat(a).extracting(TenantWork::hubId).containsExactly(2L, 3L); // failed first, then never synced, capped at 2
        assertThat(a).allSatisfy(w -> assertThat(w.status()).isEqualTo(TenantWork.Status.RUNNING));
        // several workers claiming at once never get the same item; a claim may come back empty while the others hold
        // the rows' locks (seen once on H2), and a worker claims again at its next beat: rounds of four go on until the
        // three items are claimed, and none may be claimed twice
        List<TenantWork> rest = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int round = 0; round < 20 && rest.size() < 3; round++) {
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < 4; i++) {
                    String worker = "w" + i;
                    pool.submit(() -> rest.addAll(store.claim(worker, 1, 100, stale)));
                }
            }
        }
        assertThat(rest).extracting(TenantWork::hubId).containsExactlyInAnyOrder(4L, 6L, 1L); // hub 5 is paused: skipped
        assertThat(store.work(7, "crm")).filteredOn(w -> w.hubId() == 5).singleElement().extracting(TenantWork::status).isEqualTo(TenantWork.Status.SKIPPED);

        assertThat(store.finish(a.get(0).id(), "a", new TenantWork.Result(10, 3, Optional.empty(), false, false))).isTrue();
        // worker a stops beating: its other item goes to the next claimer, and a's late end is not recorded
        Thread.sleep(5); // the heartbeat must be in the past by the database's clock
        List<TenantWork> takeover = store.claim("b", 5, 100, Duration.ofNanos(1));
        assertThat(takeover).extracting(TenantWork::hubId).contains(3L);
        assertThat(takeover).filteredOn(w -> w.hubId() == 3).singleElement().satisfies(w -> {
            assertThat(w.worker()).contains("b");
            assertThat(w.claims()).isEqualTo(2);
        });
        assertThat(store.finish(a.get(1).id(), "a", new TenantWork.Result(1, 1, Optional.empty(), false, false))).isFalse();

        // a cancelled run: queued items end, running ones are asked to stop at their worker's next beat
        assertThat(store.enqueue(8, "crm", "crm", List.of(1L, 2L))).hasSize(2);
        List<TenantWork> eight = store.claim("c", 1, 100, stale);
        store.cancelRun(8);
        assertThat(store.heartbeat("c")).containsExactly(eight.get(0).id());
        assertThat(store.finish(eight.get(0).id(), "c", new TenantWork.Result(0, 0, Optional.of("cancelled"), false, false))).isTrue();
        assertThat(store.work(8, null)).extracting(TenantWork::status).containsOnly(TenantWork.Status.CANCELLED);
        assertThat(store.running(3, stale)).isEqualTo(1);
        assertThat(store.delete(3)).isTrue();
        assertThat(store.work(7, "crm")).extracting(TenantWork::hubId).doesNotContain(3L);
    }

    /**
     * A worker whose heartbeat is late (a loaded machine: its beat's transaction and its next claim more than the
     * take-over time apart) is still alive when it claims: it must not hand its own running items back to the queue and
     * claim them again, which had it sync the same tenant twice at once (seen in the 1,000-tenant benchmark: 23 items
     * claimed twice by the only worker). Another worker still takes them over.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aLateWorkerNeverReclaimsItsOwnRunningItemsButAnotherTakesThemOver(String kind) throws Exception {
        TenantStore store = open(kind);
        for (long hub : List.of(1L, 2L, 3L)) store.recordInstall(new InstalledAccount(hub, "h" + hub, "u", 1, List.of("oauth")), TOKEN + hub, T0);
        store.enqueue(9, "crm", "crm", List.of(1L, 2L, 3L));
        List<TenantWork> first = store.claim("w1", 2, 100, Duration.ofMinutes(5));
        assertThat(first).extracting(TenantWork::hubId).containsExactly(1L, 2L);
        Thread.sleep(5); // the heartbeats must be in the past by the database's clock
        List<TenantWork> again = store.claim("w1", 8, 100, Duration.ofNanos(1));
        assertThat(again).as("only the queued item, not its own running ones again").extracting(TenantWork::hubId).containsExactly(3L);
        assertThat(store.work(9, "crm")).allSatisfy(w -> {
            assertThat(w.status()).isEqualTo(TenantWork.Status.RUNNING);
            assertThat(w.worker()).contains("w1");
            assertThat(w.claims()).as("claims of hub %d", w.hubId()).isEqualTo(1);
        });
        assertThat(store.finish(first.get(0).id(), "w1", new TenantWork.Result(525, 13, Optional.empty(), false, false))).isTrue();

        Thread.sleep(5);
        List<TenantWork> takeover = store.claim("w2", 8, 100, Duration.ofNanos(1));
        assertThat(takeover).extracting(TenantWork::hubId).containsExactlyInAnyOrder(2L, 3L);
        assertThat(takeover).allSatisfy(w -> assertThat(w.claims()).isEqualTo(2));
        assertThat(store.finish(first.get(1).id(), "w1", new TenantWork.Result(1, 1, Optional.empty(), false, false))).isFalse();
    }

    /**
     * A run handed back by its worker cancels its running items; the resumed step queues them again and the next claim
     * syncs the rest. The item's records are what both claims committed (they counted only the last claim's: the
     * 200-tenant benchmark reported 700 records fewer than it wrote).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anItemsRecordsAddUpOverItsClaimsWhenAResumedRunQueuesItAgain(String kind) {
        TenantStore store = open(kind);
        store.recordInstall(new InstalledAccount(1, "h1", "u", 1, List.of("oauth")), TOKEN + 1, T0);
        store.enqueue(11, "crm", "crm", List.of(1L));
        TenantWork first = store.claim("w1", 8, 100, Duration.ofMinutes(5)).getFirst();
        store.cancelRun(11); // the run's step stopped with its worker
        assertThat(store.finish(first.id(), "w1", new TenantWork.Result(500, 7, Optional.of("contacts: cancelled"), false, false))).isTrue();
        assertThat(store.work(11, "crm")).singleElement().extracting(TenantWork::status).isEqualTo(TenantWork.Status.CANCELLED);

        store.enqueue(11, "crm", "crm", List.of(1L)); // the run resumed: its cancelled item is due again
        TenantWork second = store.claim("w1", 8, 100, Duration.ofMinutes(5)).getFirst();
        assertThat(second.claims()).isEqualTo(2);
        assertThat(store.finish(second.id(), "w1", new TenantWork.Result(25, 6, Optional.empty(), false, false))).isTrue();
        assertThat(store.work(11, "crm")).singleElement().satisfies(w -> {
            assertThat(w.status()).isEqualTo(TenantWork.Status.DONE);
            assertThat(w.records()).isEqualTo(525);
            assertThat(w.apiCalls()).isEqualTo(13);
        });
    }

    /**
     * max_concurrent_tenants holds over every serve process of a PostgreSQL store: three stores on one schema (as three
     * processes have), each claiming its full share at once, round after round, never run more than the limit together.
     */
    @Test
    void theTenantLimitHoldsAcrossThreeStoresOnOneSchema() throws Exception {
        TenantStore first = open("postgres");
        List<JdbcMetadataStore> others = List.of(JdbcMetadataStore.postgres(url, null, null, schema), JdbcMetadataStore.postgres(url, null, null, schema));
        try {
            FileSecretStore sealer = FileSecretStore.forProject(dir, Map.of(FileSecretStore.KEY_ENV, "test passphrase"));
            List<TenantStore> stores = List.of(first, TenantStore.open(others.get(0), sealer), TenantStore.open(others.get(1), sealer));
            List<Long> hubs = java.util.stream.LongStream.rangeClosed(1, 15).boxed().toList();
            for (long hub : hubs) first.recordInstall(new InstalledAccount(hub, "h" + hub, "u", 1, List.of("oauth")), TOKEN + hub, T0);
            first.enqueue(9, "crm", "crm", hubs);
            int limit = 3;
            Duration stale = Duration.ofMinutes(5);
            List<TenantWork> done = new java.util.ArrayList<>();
            for (int round = 0; round < 20 && done.size() < hubs.size(); round++) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<List<TenantWork>>> claims = new java.util.ArrayList<>();
                try (var pool = java.util.concurrent.Executors.newFixedThreadPool(3)) {
                    for (int i = 0; i < 3; i++) {
                        TenantStore store = stores.get(i);
                        String worker = "p" + i;
                        claims.add(pool.submit(() -> {
                            go.await();
                            return store.claim(worker, limit, limit, stale); // each process believes all its slots are free
                        }));
                    }
                    go.countDown();
                }
                List<TenantWork> claimed = new java.util.ArrayList<>();
                for (var f : claims) claimed.addAll(f.get());
                long running = first.work(9, "crm").stream().filter(w -> w.status() == TenantWork.Status.RUNNING).count();
                assertThat(running).as("items running over all three processes in round " + round).isLessThanOrEqualTo(limit);
                // the oldest running item ends; the next round's claims may fill only its slot
                first.work(9, "crm").stream().filter(w -> w.status() == TenantWork.Status.RUNNING).findFirst().ifPresent(w -> {
                    assertThat(first.finish(w.id(), w.worker().orElseThrow(), new TenantWork.Result(1, 1, Optional.empty(), false, false))).isTrue();
                    done.add(w);
                });
            }
            assertThat(first.work(9, "crm")).as("every item was claimed once in the end").allSatisfy(w -> assertThat(w.claims()).isLessThanOrEqualTo(1));
        } finally {
            others.forEach(JdbcMetadataStore::close);
        }
    }

    /**
     * Issue 19: the three-worker benchmark's step summary said "at most 10 at once" with max_concurrent_tenants 8, while
     * the store never had more than 8 RUNNING items. The summary counts the items' recorded start and end times; a
     * claim recorded as its items' start the time it read before counting the running items, so an item that ended
     * between that reading and the count (its finished_at is its transaction's start) ended, on record, after the start
     * of the item that took its slot. Here the claim is held between the two (its hand-back of a stale item waits for
     * that item's row lock) while the only running item ends: the item claimed into the freed slot must not start on
     * record before that end (it started 1 to 100 ms before it).
     */
    @Test
    void anItemClaimedIntoAFreedSlotNeverStartsOnRecordBeforeTheEndOfTheItemItReplaced() throws Exception {
        TenantStore store = open("postgres");
        for (long hub : List.of(1L, 2L, 3L)) store.recordInstall(new InstalledAccount(hub, "h" + hub, "u", 1, List.of("oauth")), TOKEN + hub, T0);
        store.enqueue(9, "crm", "crm", List.of(1L, 2L));
        TenantWork first = store.claim("w1", 1, 1, Duration.ofMinutes(5)).getFirst();
        // another worker's item whose heartbeat is long past: the next claim hands it back first
        long stale = store.enqueue(10, "crm", "crm", List.of(3L)).getFirst().id();
        String table = db.table("tenant_work");
        db.transaction(c -> {
            try (var s = c.createStatement()) {
                s.executeUpdate("UPDATE " + table + " SET status = 'RUNNING', claimed_by = 'w3', heartbeat_at = CURRENT_TIMESTAMP - INTERVAL '1 hour',"
                        + " started_at = CURRENT_TIMESTAMP - INTERVAL '1 hour' WHERE id = " + stale);
            }
            return null;
        });
        try (java.sql.Connection holder = java.sql.DriverManager.getConnection(url); var pool = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            holder.setAutoCommit(false);
            try (var s = holder.createStatement()) {
                s.executeQuery("SELECT id FROM " + table + " WHERE id = " + stale + " FOR UPDATE").close();
            }
            var claim = pool.submit(() -> store.claim("w2", 1, 1, Duration.ofMinutes(5)));
            awaitLockWait(table); // the claim has read its time and waits for the stale item's row
            assertThat(store.finish(first.id(), "w1", new TenantWork.Result(1, 1, Optional.empty(), false, false))).isTrue();
            holder.rollback();
            List<TenantWork> second = claim.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(second).as("the freed slot is taken").extracting(TenantWork::hubId).containsExactly(2L);
        }
        List<TenantWork> items = store.work(9, "crm");
        Instant ended = items.stream().filter(w -> w.hubId() == 1).findFirst().orElseThrow().finishedAt().orElseThrow();
        Instant started = items.stream().filter(w -> w.hubId() == 2).findFirst().orElseThrow().startedAt().orElseThrow();
        assertThat(started).as("start of the item that took the slot, against the end of the one that left it").isAfterOrEqualTo(ended);
    }

    /** Waits until a statement on {@code table} waits for a lock (the server's own view of its sessions). */
    private void awaitLockWait(String table) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); var s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock' AND query LIKE ?")) {
            s.setString(1, "%" + table + "%");
            while (true) {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) return;
                }
                if (System.nanoTime() > deadline) throw new AssertionError("no statement on " + table + " waited for a lock within 15 s");
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
        }
    }

    @Test
    void theAppSectionIsCheckedWithTheKeyNamed() {
        assertThat(AppSettings.parse(Config.of(new ObjectMapper().createObjectNode()))).isEmpty();
        AppSettings app = app(Map.of("optional_scopes", "crm.objects.deals.read"));
        assertThat(app.callbackPath()).isEqualTo("/oauth/callback");
        assertThat(app.toString()).doesNotContain("s3cret");
        for (var bad : Stream.of(
                Map.of("client_secret", ""), Map.of("redirect_url", "ftp://x/cb"), Map.of("redirect_url", "http://127.0.0.1:8080/tenants"),
                Map.of("scopes", ""), Map.of("max_concurrent_tenants", "0"), Map.of("colour", "blue")).toList()) {
            ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, () -> app(bad));
            assertThat(e).as(bad.toString()).isNotNull();
            assertThat(e.getMessage()).contains(bad.keySet().iterator().next()).contains("tributary.yml:1");
        }
    }

    private static AppSettings app(Map<String, String> overrides) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("client_id", "my-app").put("client_secret", "s3cret").put("scopes", "oauth crm.objects.contacts.read")
                .put("redirect_url", "http://127.0.0.1:8080/oauth/callback");
        overrides.forEach((k, v) -> {
            if (k.equals("max_concurrent_tenants")) n.put(k, Integer.parseInt(v));
            else n.put(k, v);
        });
        return AppSettings.parse(Config.of(n, "app", p -> "tributary.yml:1")).orElseThrow();
    }
}
