package dev.tributary.source.singer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.engine.SyncResult;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real python3 tap process per test, through the engine into DuckDB. */
class SingerSourceTest {
    @TempDir
    Path dir;

    @Test
    void discoversOnceThenUsesTheCacheUntilTheSettingsChange() throws Exception {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("good"));
        StreamDescriptor users = h.source.discover(h.config(settings)).stream("users").orElseThrow();
        h.source.discover(h.config(settings));
        assertThat(h.spyFile("discoveries.txt").lines()).hasSize(1);
        assertThat(dir.resolve(".tributary/singer/crm.catalog.json")).exists();

        Schema s = users.schema();
        assertThat(s.primaryKey()).containsExactly("id");
        assertThat(users.cursorField()).contains("updated_at");
        assertThat(users.supports(SyncMode.INCREMENTAL)).isTrue();
        assertThat(s.field("updated_at").orElseThrow().type()).isEqualTo(DataType.TIMESTAMP_TZ);
        assertThat(s.field("born").orElseThrow().type()).isEqualTo(DataType.DATE);
        assertThat(s.field("wakes").orElseThrow().type()).isEqualTo(DataType.TEXT);
        assertThat(s.field("balance").orElseThrow().type()).isEqualTo(DataType.DECIMAL);
        assertThat(s.field("email").orElseThrow().type()).isEqualTo(DataType.TEXT);
        assertThat(s.field("tags").orElseThrow().type()).isEqualTo(DataType.JSON);
        assertThat(s.field("profile").orElseThrow().type()).isEqualTo(DataType.JSON);

        ((ObjectNode) settings.get("config")).put("count", 99); // changed settings: discover again
        h.source.discover(h.config(settings));
        assertThat(h.spyFile("discoveries.txt").lines()).hasSize(2);
        settings.put("discovery", "always");
        h.source.discover(h.config(settings));
        assertThat(h.spyFile("discoveries.txt").lines()).hasSize(3);
    }

    @Test
    void theCachedCatalogGivesNoWayToTestGuessesOfASecret() throws Exception {
        // the cache's fingerprint used to be a plain SHA-256 of the settings, secrets included: a weak password could be
        // found offline by hashing guesses. It is keyed now, with a random owner-only key of the project's.
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("good"));
        ((ObjectNode) settings.get("config")).put("password", "hunter2");
        h.source.discover(h.config(settings));
        String cached = Files.readString(dir.resolve(".tributary/singer/crm.catalog.json"));
        String fingerprint = dev.tributary.singer.SingerMessage.JSON.readTree(cached).get("fingerprint").asText();
        java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
        java.util.List<String> command = new java.util.ArrayList<>();
        settings.get("command").forEach(c -> command.add(c.asText()));
        d.update(String.join("\u0000", command).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        d.update((byte) 0);
        d.update(settings.get("config").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(fingerprint).isNotEqualTo(java.util.HexFormat.of().formatHex(d.digest())).hasSize(64);
        assertThat(cached).doesNotContain("hunter2");
        Path key = dir.resolve(".tributary/singer/" + SingerCatalog.FINGERPRINT_KEY);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        // the same settings still find the cache; another password discovers again
        h.source.discover(h.config(settings));
        assertThat(h.spyFile("discoveries.txt").lines()).hasSize(1);
        ((ObjectNode) settings.get("config")).put("password", "hunter3");
        h.source.discover(h.config(settings));
        assertThat(h.spyFile("discoveries.txt").lines()).hasSize(2);
    }

    @Test
    void loadsAWellBehavedTapAndResumesFromItsCommittedState() throws Exception {
        TapHarness h = new TapHarness(dir);
        ObjectNode tap = TapHarness.tap("good").put("count", 10).put("state_every", 3);
        ObjectNode settings = h.settings(tap);
        ConfiguredStream users = h.stream(settings, "users", SyncMode.INCREMENTAL, WriteMode.MERGE);

        SyncResult first = h.sync(settings, users);
        assertThat(first.ok()).as(String.valueOf(first.streams())).isTrue();
        assertThat(first.records()).isEqualTo(10);
        // the tap got its settings in a private file that is gone now, and a catalog selecting users only
        assertThat(h.spyFile("config_mode.txt")).isEqualTo("0o600");
        assertThat(Path.of(h.spyFile("config_path.txt"))).doesNotExist();
        JsonNode catalog = h.spyJson("catalog.json");
        for (JsonNode s : catalog.get("streams")) {
            JsonNode root = rootMetadata(s);
            assertThat(root.get("selected").asBoolean()).isEqualTo(s.get("tap_stream_id").asText().equals("users"));
            if (s.get("tap_stream_id").asText().equals("users")) {
                assertThat(root.get("replication-method").asText()).isEqualTo("INCREMENTAL");
                assertThat(root.get("replication-key").asText()).isEqualTo("updated_at");
            }
        }
        assertThat(h.spyFile("argv.txt")).doesNotContain("--state");
        assertThat(h.committedState("users").orElseThrow().value().toString()).isEqualTo("{\"bookmarks\":{\"users\":{\"id\":10}}}");

        List<Map<String, Object>> rows = h.query("SELECT * FROM crm.users ORDER BY id");
        assertThat(rows).hasSize(10);
        Map<String, Object> two = rows.get(1);
        assertThat(two.get("huge")).isEqualTo(new BigDecimal("123456789012345678901236").setScale(9)); // beyond 64 bits: decimal
        assertThat(two.get("balance")).isEqualTo(new BigDecimal("2.100000000"));
        assertThat(two.get("born").toString()).isEqualTo("1990-01-03");
        assertThat(two.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(two.get("profile").toString()).contains("Zürich");
        assertThat(two.get("sdc_extracted_at")).as("time_extracted, in a column named as the warehouse normalises it").isNotNull();
        assertThat(h.columnTypes("crm", "users")).containsEntry("updated_at", "TIMESTAMP WITH TIME ZONE").containsEntry("huge", "DECIMAL(38,9)");

        SyncResult second = h.sync(settings, users);
        assertThat(second.ok()).as(String.valueOf(second.streams())).isTrue();
        assertThat(h.spyJson("state.json").toString()).isEqualTo("{\"bookmarks\":{\"users\":{\"id\":10}}}");
        assertThat(h.query("SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM crm.users").get(0))
                .containsEntry("n", 20L).containsEntry("lo", 1L).containsEntry("hi", 20L);
    }

    @Test
    void selectsOnlyTheChosenPropertiesInTheCatalogItSends() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("good").put("count", 2));
        settings.putObject("streams").putObject("users").putArray("properties").add("name");
        ConfiguredStream users = h.stream(settings, "users", SyncMode.FULL_REFRESH, WriteMode.OVERWRITE);
        assertThat(users.schema().fieldNames()).containsExactlyInAnyOrder("id", "name", "updated_at");

        assertThat(h.sync(settings, users).ok()).isTrue();
        JsonNode catalog = h.spyJson("catalog.json");
        JsonNode s = catalog.get("streams").get(0).get("tap_stream_id").asText().equals("users") ? catalog.get("streams").get(0) : catalog.get("streams").get(1);
        assertThat(rootMetadata(s).get("replication-method").asText()).isEqualTo("FULL_TABLE");
        assertThat(propertyMetadata(s, "email").get("selected").asBoolean()).isFalse();
        assertThat(propertyMetadata(s, "name").get("selected").asBoolean()).isTrue();
        assertThat(h.columnTypes("crm", "users")).containsKeys("id", "name").doesNotContainKeys("email", "balance");
    }

    @Test
    void aTapThatDiesCommitsUpToItsLastStateAndTheNextRunResumesThere() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("die").put("count", 10).put("state_every", 3).put("die_after", 5));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.INCREMENTAL, WriteMode.APPEND);

        SyncResult failed = h.sync(settings, users);
        assertThat(failed.ok()).isFalse();
        String error = failed.streams().get(0).error().orElseThrow();
        assertThat(error).contains("exited with code 3").contains("tap_test: giving up").contains("tap_test.py stdout line");
        assertThat(h.committedState("users").orElseThrow().value().toString()).isEqualTo("{\"bookmarks\":{\"users\":{\"id\":3}}}");
        assertThat(h.query("SELECT count(*) AS n FROM crm.users").get(0)).containsEntry("n", 3L);

        ((ObjectNode) settings.get("config")).put("mode", "good").put("count", 7);
        assertThat(h.sync(settings, users).ok()).isTrue();
        assertThat(h.spyJson("state.json").toString()).isEqualTo("{\"bookmarks\":{\"users\":{\"id\":3}}}");
        // append: no gap and no duplicate across the crash
        assertThat(h.query("SELECT count(*) AS n, count(DISTINCT id) AS ids, max(id) AS hi FROM crm.users").get(0))
                .containsEntry("n", 10L).containsEntry("ids", 10L).containsEntry("hi", 10L);
    }

    @Test
    void aTapThatHangsIsEndedAfterTheSilenceTimeout() throws Exception {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("hang").put("count", 10).put("state_every", 2).put("hang_after", 5));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.INCREMENTAL, WriteMode.MERGE);
        settings.put("silence_timeout_seconds", 10); // well above python3's start and the tap's pauses on a loaded machine

        SyncResult failed = h.sync(settings, users);
        assertThat(failed.ok()).isFalse();
        assertThat(failed.streams().get(0).error().orElseThrow()).contains("wrote nothing for 10 s").contains("[crm][tap_test.py]");
        assertThat(h.committedState("users").orElseThrow().value().toString()).isEqualTo("{\"bookmarks\":{\"users\":{\"id\":4}}}");
        assertThat(h.query("SELECT count(*) AS n FROM crm.users").get(0)).containsEntry("n", 4L);
        assertThat(Path.of(h.spyFile("config_path.txt"))).doesNotExist();
    }

    @Test
    void aTapKilledFromOutsideCommitsUpToItsLastStateAndTheNextRunResumesThere() throws Exception {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("hang").put("count", 10).put("state_every", 2).put("hang_after", 5));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.INCREMENTAL, WriteMode.APPEND);
        java.util.concurrent.CompletableFuture<SyncResult> running = java.util.concurrent.CompletableFuture.supplyAsync(() -> h.sync(settings, users));
        Path hanging = dir.resolve("spy/hanging.txt");
        for (int i = 0; i < 600 && !(Files.exists(hanging) && !Files.readString(hanging).isBlank()); i++) Thread.sleep(100); // waiting for the tap, not timing it
        long pid = Long.parseLong(Files.readString(hanging).trim());
        assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue(); // as kill -9 would

        SyncResult killed = running.get(120, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(killed.ok()).isFalse();
        assertThat(killed.streams().get(0).error().orElseThrow()).contains("exited with code 137");
        assertThat(h.committedState("users").orElseThrow().value().toString()).isEqualTo("{\"bookmarks\":{\"users\":{\"id\":4}}}");

        ((ObjectNode) settings.get("config")).put("mode", "good").put("count", 6);
        assertThat(h.sync(settings, users).ok()).isTrue();
        assertThat(h.query("SELECT count(*) AS n, count(DISTINCT id) AS ids, max(id) AS hi FROM crm.users").get(0))
                .containsEntry("n", 10L).containsEntry("ids", 10L).containsEntry("hi", 10L);
    }

    @Test
    void aSchemaChangeMidStreamAddsAndWidensColumns() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("schema_change").put("count", 6).put("state_every", 2));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.INCREMENTAL, WriteMode.MERGE);
        SyncResult r = h.sync(settings, users);
        assertThat(r.ok()).as(String.valueOf(r.streams())).isTrue();
        assertThat(h.columnTypes("crm", "users")).containsEntry("score", "DOUBLE").containsEntry("huge", "VARCHAR");
        List<Map<String, Object>> rows = h.query("SELECT id, score, huge FROM crm.users ORDER BY id");
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0).get("score")).isNull();
        assertThat(rows.get(0).get("huge")).isEqualTo("1");
        assertThat(rows.get(5).get("score")).isEqualTo(1.5);
        assertThat(rows.get(5).get("huge")).isEqualTo("text 6");
    }

    @Test
    void readsRecordsFromGzippedBatchFiles() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("batch").put("count", 7).put("state_every", 3).put("batch_dir", dir.resolve("batches").toString()));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.INCREMENTAL, WriteMode.MERGE);
        SyncResult r = h.sync(settings, users);
        assertThat(r.ok()).as(String.valueOf(r.streams())).isTrue();
        assertThat(h.query("SELECT count(*) AS n, max(id) AS hi FROM crm.users").get(0)).containsEntry("n", 7L).containsEntry("hi", 7L);
        assertThat(h.committedState("users").orElseThrow().value().toString()).isEqualTo("{\"bookmarks\":{\"users\":{\"id\":7}}}");
    }

    @Test
    void aRecordBeforeItsSchemaFailsNamingTheLine() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("record_before_schema").put("count", 3));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.INCREMENTAL, WriteMode.MERGE);
        SyncResult r = h.sync(settings, users);
        assertThat(r.ok()).isFalse();
        assertThat(r.streams().get(0).error().orElseThrow()).contains("tap_test.py stdout line 1").contains("before its SCHEMA");
        assertThat(h.committedState("users")).isEmpty();
    }

    @Test
    void activateVersionOnAMergeStreamSoftDeletesRowsTheNewVersionLacks() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("version").put("count", 5).put("version", 1));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.FULL_REFRESH, WriteMode.MERGE);
        assertThat(h.sync(settings, users).ok()).isTrue();
        ((ObjectNode) settings.get("config")).put("count", 3).put("version", 2);
        SyncResult r = h.sync(settings, users);
        assertThat(r.ok()).as(String.valueOf(r.streams())).isTrue();
        List<Map<String, Object>> rows = h.query("SELECT id, _tributary_deleted_at IS NOT NULL AS deleted FROM crm.users ORDER BY id");
        assertThat(rows).extracting(m -> m.get("deleted")).containsExactly(false, false, false, true, true);
    }

    @Test
    void aVersionSentOnlyAtTheEndDeletesOnlyRowsItsRecordsLacked() {
        // pipelinewise tap-postgres/tap-mysql after their first full-table sync: records carry "version", the
        // ACTIVATE_VERSION comes only after them. It used to open the pass at the end and delete every row.
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("version").put("count", 5).put("version", 1));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.FULL_REFRESH, WriteMode.MERGE);
        assertThat(h.sync(settings, users).ok()).isTrue();
        ObjectNode tap = (ObjectNode) settings.get("config");
        tap.put("version", 2).put("start_marker", false).put("record_version", true);
        settings.put("batch_size", 2); // records go out before the closing ACTIVATE_VERSION arrives
        SyncResult same = h.sync(settings, users);
        assertThat(same.ok()).as(String.valueOf(same.streams())).isTrue();
        assertThat(h.query("SELECT count(*) AS n FROM crm.users WHERE _tributary_deleted_at IS NULL").get(0)).containsEntry("n", 5L);

        tap.put("version", 3).put("count", 3);
        SyncResult fewer = h.sync(settings, users);
        assertThat(fewer.ok()).as(String.valueOf(fewer.streams())).isTrue();
        List<Map<String, Object>> rows = h.query("SELECT id, _tributary_deleted_at IS NOT NULL AS deleted FROM crm.users ORDER BY id");
        assertThat(rows).extracting(m -> m.get("deleted")).containsExactly(false, false, false, true, true);
    }

    @Test
    void anEndMarkerAfterRecordsWithoutVersionDeletesNothing() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("version").put("count", 5).put("version", 1));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.FULL_REFRESH, WriteMode.MERGE);
        assertThat(h.sync(settings, users).ok()).isTrue();
        ((ObjectNode) settings.get("config")).put("version", 2).put("count", 3).put("start_marker", false);
        SyncResult r = h.sync(settings, users);
        assertThat(r.ok()).as(String.valueOf(r.streams())).isTrue();
        assertThat(h.query("SELECT count(*) AS n FROM crm.users WHERE _tributary_deleted_at IS NULL").get(0)).containsEntry("n", 5L);
    }

    @Test
    void versionedRecordsOfAnIncrementalStreamPileNoKeysUp() {
        // pipelinewise incremental streams tag every record with a version no marker ever ends
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("good").put("count", 3).put("version", 7).put("record_version", true));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.INCREMENTAL, WriteMode.MERGE);
        assertThat(h.sync(settings, users).ok()).isTrue();
        assertThat(h.sync(settings, users).ok()).isTrue();
        assertThat(h.query("SELECT count(*) AS n FROM crm.users WHERE _tributary_deleted_at IS NULL").get(0)).containsEntry("n", 6L);
        assertThat(h.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = '_tributary_reconcile_keys'").get(0))
                .containsEntry("n", 0L);
    }

    @Test
    void recordsBetweenTheLastStateAndTheClosingVersionAreCommittedWithThatState() {
        // STATE at 3, records 4 and 5, then ACTIVATE_VERSION and the end: the pass-ending batch has no checkpoint
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("version").put("count", 5).put("state_every", 3).put("version", 1)
                .put("final_state", false));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.INCREMENTAL, WriteMode.MERGE);
        SyncResult r = h.sync(settings, users);
        assertThat(r.ok()).as(String.valueOf(r.streams())).isTrue();
        assertThat(h.query("SELECT count(*) AS n FROM crm.users WHERE _tributary_deleted_at IS NULL").get(0)).containsEntry("n", 5L);
        assertThat(h.committedState("users").orElseThrow().value().toString()).isEqualTo("{\"bookmarks\":{\"users\":{\"id\":3}}}");
    }

    @Test
    void theTapsSettingsAreMaskedInWhatItWritesToStderrAndInErrors() {
        String password = "pa\"ss-w0rd!";
        String token = "tok-123456789";
        TapHarness h = new TapHarness(dir);
        ObjectNode tap = TapHarness.tap("good").put("count", 2).put("password", password).put("user", "bob");
        ObjectNode nested = tap.putObject("nested").put("token", token);
        nested.putArray("list").add("another-secret-in-a-list");
        ObjectNode settings = h.settings(tap);
        ConfiguredStream users = h.stream(settings, "users", SyncMode.FULL_REFRESH, WriteMode.OVERWRITE);
        tap = (ObjectNode) settings.get("config");
        tap.put("leak_secrets", true);
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.tributary.source.singer");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) { logged.add(r.getMessage()); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        logger.addHandler(handler);
        try {
            SyncResult r = h.sync(settings, users);
            assertThat(r.ok()).isFalse();
            String error = r.streams().get(0).error().orElseThrow();
            assertThat(error).contains("RuntimeError: login refused for password=****").contains("token ****")
                    .doesNotContain(password).doesNotContain("w0rd").doesNotContain(token).doesNotContain("secret-in-a-list");
            assertThat(String.join("\n", logged)).contains("tap_test: connecting with").contains("Traceback")
                    .doesNotContain(password).doesNotContain("w0rd").doesNotContain(token)
                    .contains("bob"); // shorter than 6 characters: not masked
            tap.put("leak_secrets", false).put("leak_stdout", true);
            SyncResult parse = h.sync(settings, users);
            assertThat(parse.ok()).isFalse();
            assertThat(parse.streams().get(0).error().orElseThrow()).contains("tap_test.py stdout line 1").contains("debug: config is ****")
                    .doesNotContain("w0rd");
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void aMistypedReplicationKeyIsAnErrorNamingTheSetting() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("good"));
        settings.putObject("streams").putObject("users").put("replication_key", "updated_att");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.source.discover(h.config(settings)))
                .hasMessageContaining("connections.crm.config.streams.users.replication_key")
                .hasMessageContaining("has no property 'updated_att'").hasMessageContaining("did you mean 'updated_at'?");
        ((ObjectNode) settings.get("streams").get("users")).put("replication_key", "updated_at");
        assertThat(h.source.discover(h.config(settings)).stream("users").orElseThrow().cursorField()).contains("updated_at");
    }

    @Test
    void settingsLeftBehindByAKilledRunAreRemovedWhenATapStarts() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Process gone = new ProcessBuilder("python3", "-c", "pass").start();
        gone.waitFor();
        Path stale = Files.createDirectory(tmp.resolve("tributary-singer-" + gone.pid() + "-test" + System.nanoTime()));
        Files.writeString(stale.resolve("config.json"), "{\"password\":\"left behind\"}");
        Path live = Files.createDirectory(tmp.resolve("tributary-singer-" + ProcessHandle.current().pid() + "-test" + System.nanoTime()));
        Path foreign = Files.createDirectory(tmp.resolve("tributary-singer-notapid-test" + System.nanoTime()));
        try {
            TapHarness h = new TapHarness(dir);
            h.source.discover(h.config(h.settings(TapHarness.tap("good"))));
            assertThat(stale).as("the folder of a process that is gone").doesNotExist();
            assertThat(live).as("a running process's folder").exists();
            assertThat(foreign).as("a folder not named by a process").exists();
        } finally {
            Files.deleteIfExists(live);
            Files.deleteIfExists(foreign);
            if (Files.exists(stale)) {
                Files.deleteIfExists(stale.resolve("config.json"));
                Files.deleteIfExists(stale);
            }
        }
    }

    @Test
    void aMissingCommandIsAnErrorNamingTheKeyWhenATapMustRun() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("good"));
        settings.remove("command");
        h.source.validate(h.config(settings)); // a connection only `tributary target` loads into runs no tap
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.source.discover(h.config(settings)))
                .hasMessageContaining("connections.crm.config.command").hasMessageContaining("is required to run the tap");
    }

    @Test
    void aCommandThatCannotStartSaysWhich() {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("good"));
        settings.putArray("command").add(dir.resolve("no-such-tap").toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.source.discover(h.config(settings)))
                .hasMessageContaining("cannot start the tap").hasMessageContaining("no-such-tap");
        assertThat(Files.exists(dir.resolve(".tributary/singer/crm.catalog.json"))).isFalse();
    }

    @Test
    void aReaderThatDoesNotReadHoldsTheTapBackThroughThePipe() throws Exception {
        TapHarness h = new TapHarness(dir);
        ObjectNode settings = h.settings(TapHarness.tap("flood").put("count", 1_000_000));
        ConfiguredStream users = h.stream(settings, "users", SyncMode.FULL_REFRESH, WriteMode.OVERWRITE);
        settings.put("batch_size", 10);
        try (dev.tributary.spi.StreamReader reader = h.source.read(h.config(settings), users, java.util.Optional.empty())) {
            assertThat(reader.next()).hasValueSatisfying(b -> assertThat(b.records()).hasSize(10));
            // the tap writes on until the pipe is full, then blocks: its progress stops far below a million
            long last = -1;
            for (int stable = 0, polls = 0; stable < 5 && polls < 300; polls++) {
                Thread.sleep(200); // polling the tap's progress file, not timing anything
                long now = Files.exists(dir.resolve("spy/progress.txt")) ? Long.parseLong(h.spyFile("progress.txt").trim()) : 0;
                stable = now == last ? stable + 1 : 0;
                last = now;
            }
            assertThat(last).isLessThan(50_000);
        }
        assertThat(Path.of(h.spyFile("config_path.txt"))).as("closing the reader ends the tap and removes its settings").doesNotExist();
    }

    static JsonNode rootMetadata(JsonNode s) {
        for (JsonNode m : s.get("metadata")) if (m.get("breadcrumb").isEmpty()) return m.get("metadata");
        throw new AssertionError("no root metadata in " + s);
    }

    static JsonNode propertyMetadata(JsonNode s, String property) {
        for (JsonNode m : s.get("metadata")) {
            if (m.get("breadcrumb").size() == 2 && m.get("breadcrumb").get(1).asText().equals(property)) return m.get("metadata");
        }
        throw new AssertionError("no metadata for " + property);
    }
}
