package dev.tributary.source.wrike;

import static dev.tributary.source.wrike.WrikeSupport.config;
import static dev.tributary.source.wrike.WrikeSupport.oauth;
import static dev.tributary.source.wrike.WrikeSupport.permanent;
import static dev.tributary.source.wrike.WrikeSupport.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.Sleeper;
import dev.tributary.sandbox.wrike.WrikeSandbox;
import dev.tributary.sandbox.wrike.WrikeSandboxOptions;
import dev.tributary.spi.Config;
import dev.tributary.spi.SecretStore;
import dev.tributary.spi.SyncMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** OAuth (stored refresh tokens, expiry, the regional host, a host switch), 429 storms and the pace at Wrike's real rate. */
class WrikeAuthAndLimitsTest {
    /** A secret store that records every write in order. */
    static final class RecordingStore implements SecretStore {
        final Map<String, String> values = new ConcurrentHashMap<>();
        final List<String> writes = new ArrayList<>();

        @Override
        public Optional<String> read(String name) { return Optional.ofNullable(values.get(name)); }

        @Override
        public synchronized void write(String name, String value) {
            values.put(name, value);
            writes.add(value);
        }
    }

    static WrikeSource source(WrikeSandbox w, SecretStore store) {
        Sleeper advance = d -> w.control().advanceClock(d);
        WrikeSource s = new WrikeSource(WrikeSupport.clockOf(w), advance);
        s.useSecrets(store);
        return s;
    }

    @Test
    void oauthStoresEachNewRefreshTokenAndSurvivesExpiryAndRevocationIsLoud() throws Exception {
        try (WrikeSandbox w = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(300).seed(8).rateLimitsEnabled(false).build())) {
            RecordingStore store = new RecordingStore();
            WrikeSource s = source(w, store);
            ObjectNode settings = oauth(w);
            Config c = config(settings);
            assertTrue(s.check(c).ok(), s.check(c).message());
            assertEquals(1, store.writes.size(), "the refresh token Wrike answered with is stored");
            JsonNode stored = WrikeSupport.JSON.readTree(store.writes.get(0));
            assertNotEquals(settings.get("refresh_token").asText(), stored.get("refresh_token").asText());
            assertEquals(w.accountHost(), stored.get("host").asText());
            // the configured token is spent; a new source (a new run) starts from the stored one
            WrikeSource again = source(w, store);
            w.control().expireAccessTokens();
            assertEquals(300, read(again, c, "tasks", SyncMode.FULL_REFRESH, Optional.empty()).records().size());
            assertTrue(store.writes.size() >= 2);
            // mid-run expiry: the 401 refreshes once and the read goes on
            w.control().expireAccessTokens();
            assertEquals(300, read(again, c, "tasks", SyncMode.FULL_REFRESH, Optional.empty()).records().size());
            for (String v : store.writes) assertTrue(!v.contains(w.clientSecret()), "only the refresh token and host are stored");

            w.control().revokeAllGrants();
            w.control().expireAccessTokens();
            RuntimeException e = assertThrows(RuntimeException.class, () -> read(again, c, "tasks", SyncMode.FULL_REFRESH, Optional.empty()));
            assertTrue(e.getMessage().contains("connect the app to Wrike again"), e.getMessage());
        }
    }

    @Test
    void theHostFromTheTokenAnswerIsUsedAndAHostSwitchIsFollowed() {
        try (WrikeSandbox w = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(400).seed(9).euAccount(true).rateLimitsEnabled(false).build())) {
            WrikeSource s = source(w, new RecordingStore());
            Config c = config(oauth(w)); // base_url names the US host; the account is in the EU
            var stream = WrikeSupport.stream(s, c, "tasks", SyncMode.INCREMENTAL);
            ObjectNode small = oauth(w).put("page_size", 100);
            Config cs = config(small);
            var part = WrikeSupport.read(s, cs, WrikeSupport.stream(s, cs, "tasks", SyncMode.INCREMENTAL), Optional.empty(), 2);
            assertEquals(200, part.records().size());
            assertTrue(w.control().count("GET /api/v4/tasks", 200) >= 2);
            w.control().moveAccount(false); // the account moves to the US data centre mid-sync
            var rest = WrikeSupport.read(s, cs, WrikeSupport.stream(s, cs, "tasks", SyncMode.INCREMENTAL), part.lastState(), Integer.MAX_VALUE);
            assertEquals(400, part.records().size() + rest.records().size());
            assertTrue(w.control().count("GET /api/v4/tasks", 401) >= 1, "the old host refused once");
            assertTrue(s.check(c).message().contains(w.baseUrl().replace("http://", "")), s.check(c).message());
            assertTrue(stream != null);
        }
    }

    @Test
    void a429StormIsWaitedOutWithBackoff() {
        try (WrikeSandbox w = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(500).seed(10).rateLimitsEnabled(false).build())) {
            WrikeSource s = source(w, SecretStore.inMemory());
            Config c = config(permanent(w).put("page_size", 100));
            w.control().storm429(12);
            assertEquals(500, read(s, c, "tasks", SyncMode.FULL_REFRESH, Optional.empty()).records().size());
            assertEquals(12, w.control().count("GET /api/v4/tasks", 429));
        }
    }

    @Test
    void anEndless429IsReportedNotLoopedForever() {
        try (WrikeSandbox w = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(50).seed(10).rateLimitsEnabled(false).build())) {
            WrikeSource s = source(w, SecretStore.inMemory());
            Config c = config(permanent(w));
            w.control().storm429(10_000);
            RuntimeException e = assertThrows(RuntimeException.class, () -> read(s, c, "tasks", SyncMode.FULL_REFRESH, Optional.empty()));
            assertTrue(e.getMessage().contains("429"), e.getMessage());
        }
    }

    @Test
    void thePacerKeepsUnderWrikesRealLimitAcrossStreams() {
        try (WrikeSandbox w = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(3_000).seed(12).clockFrozen(true).build())) {
            // the sandbox enforces 400/min per user (7 in any second) on its frozen clock; the source's waits move that clock
            WrikeSource s = source(w, SecretStore.inMemory());
            Config c = config(permanent(w).put("page_size", 50));
            long t0 = w.clock().millis();
            int rows = 0;
            for (String name : List.of("tasks", "task_responsibles", "task_parents")) {
                rows += read(s, c, name, SyncMode.FULL_REFRESH, Optional.empty()).records().size();
            }
            long requests = w.control().requests();
            double minutes = (w.clock().millis() - t0) / 60_000.0;
            assertEquals(0, w.control().count("GET /api/v4/tasks", 429), "no 429: the bucket paces below the limit");
            // n calls paced 150 ms apart span n - 1 intervals
            assertTrue((requests - 1) / minutes <= 400.5, "requests per (sandbox) minute: " + (requests - 1) / minutes);
            assertTrue(rows > 3_000);
        }
    }
}
