package dev.tributary.sandbox.wrike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Permanent and OAuth tokens, the regional host, 401 bodies, the per-user pace (429 without headers), faults, the control key. */
class AuthLimitsAndFaultsTest {
    final WrikeHttp http = new WrikeHttp();

    static WrikeSandboxOptions.Builder small() {
        return WrikeSandboxOptions.builder().tasks(200).seed(3);
    }

    JsonNode refresh(WrikeSandbox w, String refreshToken) {
        WrikeHttp.Answer a = http.form(w.tokenUrl(), "client_id=" + w.clientId() + "&client_secret=" + w.clientSecret()
                + "&grant_type=refresh_token&refresh_token=" + WrikeHttp.q(refreshToken));
        assertEquals(200, a.status(), a.body());
        return a.json();
    }

    @Test
    void missingBadAndPermanentTokens() {
        try (WrikeSandbox w = WrikeSandbox.start(small().build())) {
            WrikeHttp.Answer none = http.api(w.apiBaseUrl(), null, "/account");
            assertEquals(401, none.status());
            assertEquals("not_authorized", none.json().get("error").asText());
            assertTrue(none.json().has("errorDescription"));
            assertEquals(401, http.api(w.apiBaseUrl(), "nope", "/account").status());
            assertEquals(200, http.api(w.apiBaseUrl(), w.permanentToken(), "/account").status());
            assertTrue(w.permanentToken().startsWith("eyJ"));
            // the seventh user is an external collaborator: no time logs for them
            String collaborator = w.workspace().contacts.get(6).get("id").toString();
            WrikeHttp.Answer forbidden = http.api(w.apiBaseUrl(), w.permanentToken(collaborator), "/timelogs");
            assertEquals(403, forbidden.status());
            assertEquals("not_allowed", forbidden.json().get("error").asText());
            assertEquals(200, http.api(w.apiBaseUrl(), w.permanentToken(collaborator), "/tasks").status());
        }
    }

    @Test
    void oauthCodeFlowRefreshReplacesTheRefreshTokenAndAccessTokensExpire() {
        try (WrikeSandbox w = WrikeSandbox.start(small().build())) {
            WrikeHttp.Answer consent = http.get(w.authorizeUrl(w.redirectUri(), "xyz"));
            assertEquals(302, consent.status());
            String location = consent.header("Location");
            assertTrue(location.startsWith(w.redirectUri()) && location.contains("state=xyz"), location);
            String code = URI.create(location).getQuery().replaceAll(".*code=([^&]+).*", "$1");
            WrikeHttp.Answer tokens = http.form(w.tokenUrl(), "client_id=" + w.clientId() + "&client_secret=" + w.clientSecret()
                    + "&grant_type=authorization_code&code=" + code);
            assertEquals(200, tokens.status(), tokens.body());
            JsonNode t = tokens.json();
            assertEquals("bearer", t.get("token_type").asText());
            assertEquals(3600, t.get("expires_in").asInt());
            assertEquals(w.accountHost(), t.get("host").asText());
            String api = "http://" + t.get("host").asText() + "/api/v4";
            assertEquals(200, http.api(api, t.get("access_token").asText(), "/account").status());

            JsonNode next = refresh(w, t.get("refresh_token").asText());
            assertNotEquals(t.get("refresh_token").asText(), next.get("refresh_token").asText());
            WrikeHttp.Answer reused = http.form(w.tokenUrl(), "client_id=" + w.clientId() + "&client_secret=" + w.clientSecret()
                    + "&grant_type=refresh_token&refresh_token=" + WrikeHttp.q(t.get("refresh_token").asText()));
            assertEquals(400, reused.status());
            assertEquals("invalid_grant", reused.json().get("error").asText());
            WrikeHttp.Answer badClient = http.form(w.tokenUrl(), "client_id=x&client_secret=y&grant_type=refresh_token&refresh_token=z");
            assertEquals(401, badClient.status());

            w.control().advanceClock(Duration.ofSeconds(3601));
            WrikeHttp.Answer expired = http.api(api, next.get("access_token").asText(), "/account");
            assertEquals(401, expired.status());
            assertEquals("not_authorized", expired.json().get("error").asText());
            assertTrue(expired.json().get("errorDescription").asText().contains("expired"));
            assertEquals(200, http.api(api, refresh(w, next.get("refresh_token").asText()).get("access_token").asText(), "/account").status());
        }
    }

    @Test
    void euAccountsLiveOnTheirOwnHostAndCanMove() {
        try (WrikeSandbox w = WrikeSandbox.start(small().euAccount(true).build())) {
            JsonNode t = refresh(w, w.consent());
            String euApi = "http://" + t.get("host").asText() + "/api/v4";
            assertNotEquals(w.baseUrl() + "/api/v4", euApi);
            String token = t.get("access_token").asText();
            assertEquals(200, http.api(euApi, token, "/account").status());
            WrikeHttp.Answer wrongHost = http.api(w.baseUrl() + "/api/v4", token, "/account");
            assertEquals(401, wrongHost.status());
            assertEquals("not_authorized", wrongHost.json().get("error").asText());

            assertEquals(200, http.control(w, "account/move", "{\"region\":\"us\"}").status());
            assertEquals(401, http.api(euApi, token, "/account").status());
            JsonNode moved = refresh(w, t.get("refresh_token").asText());
            assertEquals(w.baseUrl(), "http://" + moved.get("host").asText());
            assertEquals(200, http.api("http://" + moved.get("host").asText() + "/api/v4", moved.get("access_token").asText(), "/account").status());
        }
    }

    @Test
    void perUserPaceAnswers429WithoutHeaders() {
        try (WrikeSandbox w = WrikeSandbox.start(small().requestsPerMinute(120).clockStart(Instant.parse("2026-01-01T00:00:00Z")).clockFrozen(true).build())) {
            // 120/min is 2 per second; the clock is frozen so all calls fall in one second
            assertEquals(200, http.api(w.apiBaseUrl(), w.permanentToken(), "/account").status());
            assertEquals(200, http.api(w.apiBaseUrl(), w.permanentToken(), "/account").status());
            WrikeHttp.Answer limited = http.api(w.apiBaseUrl(), w.permanentToken(), "/account");
            assertEquals(429, limited.status());
            assertEquals("rate_limit_exceeded", limited.json().get("error").asText());
            assertNull(limited.header("Retry-After"));
            assertTrue(limited.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().contains("ratelimit")));
            // another user has a budget of their own
            String other = w.permanentToken(w.workspace().contacts.get(1).get("id").toString());
            assertEquals(200, http.api(w.apiBaseUrl(), other, "/account").status());
            w.control().advanceClock(Duration.ofSeconds(1));
            assertEquals(200, http.api(w.apiBaseUrl(), w.permanentToken(), "/account").status());
            assertEquals(1, w.control().count("GET /api/v4/account", 429));
        }
    }

    @Test
    void faultsAndTheControlKey() {
        try (WrikeSandbox w = WrikeSandbox.start(small().rateLimitsEnabled(false).build())) {
            assertEquals(200, http.control(w, "faults", "{\"storm429\":2}").status());
            assertEquals(429, http.api(w.apiBaseUrl(), w.permanentToken(), "/account").status());
            assertEquals(429, http.api(w.apiBaseUrl(), w.permanentToken(), "/account").status());
            assertEquals(200, http.api(w.apiBaseUrl(), w.permanentToken(), "/account").status());
            http.control(w, "faults", "{\"errorRate\":1}");
            WrikeHttp.Answer err = http.api(w.apiBaseUrl(), w.permanentToken(), "/account");
            assertTrue(err.status() >= 500, "" + err.status());
            assertEquals("server_error", err.json().get("error").asText());
            http.control(w, "faults", "{\"clear\":true,\"dropConnections\":1}");
            assertThrows(java.io.UncheckedIOException.class, () -> http.api(w.apiBaseUrl(), w.permanentToken(), "/tasks"));
            assertEquals(200, http.api(w.apiBaseUrl(), w.permanentToken(), "/tasks").status());
            WrikeHttp.Answer noKey = http.send(java.net.http.HttpRequest.newBuilder(URI.create(w.baseUrl() + "/_sandbox/info")).GET().build());
            assertEquals(401, noKey.status());
            JsonNode info = http.send(java.net.http.HttpRequest.newBuilder(URI.create(w.baseUrl() + "/_sandbox/info"))
                    .header("X-Sandbox-Control-Key", w.controlKey()).GET().build()).json();
            assertEquals(w.accountId(), info.get("accountId").asText());
            JsonNode created = http.control(w, "tasks/create", "{\"count\":3}").json();
            assertEquals(3, created.get("ids").size());
            assertEquals(400, http.control(w, "tasks/purge", "{}").status());
        }
    }

    @Test
    void optionsFromFlags() {
        WrikeSandboxOptions o = WrikeSandboxOptions.fromArgs("--tasks", "100_000", "--region=eu", "--rate-limit", "off", "--seed", "9");
        assertEquals(100_000, o.tasks());
        assertTrue(o.euAccount());
        assertTrue(!o.rateLimitsEnabled());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WrikeSandboxOptions.fromArgs("--region", "mars"));
        assertTrue(e.getMessage().contains("us or eu"));
        assertThrows(IllegalArgumentException.class, () -> WrikeSandboxOptions.fromArgs("--tasks", "many"));
    }

    @Test
    void aHundredThousandTaskAccount() {
        long t0 = System.nanoTime();
        try (WrikeSandbox w = WrikeSandbox.start(small().tasks(100_000).rateLimitsEnabled(false).build())) {
            JsonNode page = http.api(w.apiBaseUrl(), w.permanentToken(), "/tasks?subTasks=true&pageSize=1000&fields=" + WrikeHttp.q("[\"superTaskIds\"]")).json();
            assertEquals(100_000, page.get("responseSize").asInt());
            assertEquals(1000, page.get("data").size());
            assertTrue(w.workspace().projectIds().size() >= 1000);
            assertTrue(w.workspace().timelogs.size() > 50_000);
            System.out.println("100,000-task account: generated in " + w.startupMillis() + " ms, first page after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }
}
