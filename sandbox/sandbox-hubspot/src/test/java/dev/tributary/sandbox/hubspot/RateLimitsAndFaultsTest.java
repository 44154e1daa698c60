package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitsAndFaultsTest {
    HubSpotSandbox sandbox;
    HubSpotHttp http;

    @BeforeEach
    void start() {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(300).dailyLimit(1_000)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).clockFrozen(true).build());
        http = new HubSpotHttp(sandbox.baseUrl(), sandbox.privateAppToken());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void tenSecondWindowRefusesTheHundredAndFirstCallAndRecovers() {
        for (int i = 1; i <= 100; i++) {
            var a = http.get("/crm/v3/objects/contacts?limit=1");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.header("X-HubSpot-RateLimit-Remaining")).isEqualTo(Integer.toString(100 - i));
            assertThat(a.header("X-HubSpot-RateLimit-Max")).isEqualTo("100");
            assertThat(a.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
            assertThat(a.header("X-HubSpot-RateLimit-Daily")).isEqualTo("1000");
            assertThat(a.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo(Integer.toString(1000 - i));
            assertThat(a.header("X-HubSpot-RateLimit-Secondly")).isEqualTo("10");
        }
        var limited = http.get("/crm/v3/objects/contacts?limit=1");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(limited.json().get("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(limited.json().get("message").asText()).isEqualTo("You have reached your ten_secondly_rolling limit.");
        assertThat(limited.json().has("correlationId")).isTrue();
        assertThat(limited.json().has("requestId")).isTrue();
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(http.get("/crm/v3/objects/contacts?limit=1").header("Retry-After")).isNull(); // not always sent
        sandbox.control().advanceClock(Duration.ofSeconds(10));
        assertThat(http.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
        assertThat(sandbox.control().counters().rateLimited()).isEqualTo(2);
    }

    @Test
    void searchHasItsOwnPerSecondLimitAndNoRateLimitHeaders() {
        for (int i = 0; i < 5; i++) {
            var a = http.post("/crm/v3/objects/contacts/search", "{\"limit\":1}");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.header("X-HubSpot-RateLimit-Max")).isNull();
        }
        var limited = http.post("/crm/v3/objects/contacts/search", "{\"limit\":1}");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("policyName").asText()).isEqualTo("SECONDLY");
        assertThat(http.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
        sandbox.control().advanceClock(Duration.ofSeconds(1));
        assertThat(http.post("/crm/v3/objects/contacts/search", "{\"limit\":1}").status()).isEqualTo(200);
    }

    @Test
    void dailyLimitIsEnforcedForPrivateApps() {
        sandbox.close();
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(50).dailyLimit(3)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).clockFrozen(true).build());
        http = new HubSpotHttp(sandbox.baseUrl(), sandbox.privateAppToken());
        for (int i = 0; i < 3; i++) assertThat(http.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
        var limited = http.get("/crm/v3/objects/contacts?limit=1");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("policyName").asText()).isEqualTo("DAILY");
        sandbox.control().advanceClock(Duration.ofDays(1));
        assertThat(http.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
    }

    @Test
    void stormAlternatesRetryAfterAndThenStops() {
        sandbox.control().storm429(2);
        var first = http.get("/crm/v3/objects/contacts?limit=1");
        var second = http.get("/crm/v3/objects/contacts?limit=1");
        assertThat(first.status()).isEqualTo(429);
        assertThat(second.status()).isEqualTo(429);
        assertThat(first.header("Retry-After")).isEqualTo("1");
        assertThat(second.header("Retry-After")).isNull();
        assertThat(http.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
    }

    @Test
    void errorRateGivesServerErrors() {
        sandbox.control().setRateLimitsEnabled(false);
        sandbox.control().setErrorRate(1.0);
        var a = http.get("/crm/v3/objects/contacts?limit=1");
        assertThat(a.status()).isIn(500, 502, 503, 504);
        assertThat(a.json().get("status").asText()).isEqualTo("error");
        sandbox.control().clearFaults();
        assertThat(http.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
    }

    @Test
    void droppedConnectionSendsHeadersAndPartOfTheBody() {
        sandbox.control().dropConnections(1);
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/crm/v3/objects/contacts?limit=100"))
                .header("Authorization", "Bearer " + sandbox.privateAppToken()).timeout(Duration.ofSeconds(30)).build();
        // Cut off mid-body, not left hanging: a timeout would also be an IOException, so it is ruled out.
        assertThatThrownBy(() -> HubSpotHttp.sendRaw(request)).isInstanceOf(IOException.class)
                .isNotInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(http.get("/crm/v3/objects/contacts?limit=100").status()).isEqualTo(200);
    }

    @Test
    void countersRecordRoutesStatusesAndBytes() {
        http.get("/crm/v3/objects/contacts?limit=1");
        http.get("/crm/v3/objects/contacts/1");
        var c = sandbox.control().counters();
        assertThat(c.byRouteAndStatus()).containsEntry("GET /crm/v3/objects/contacts 200", 1L)
                .containsEntry("GET /crm/v3/objects/contacts/{id} 404", 1L);
        assertThat(c.bytesOut()).isPositive();
        assertThat(c.requests()).isEqualTo(2);
    }
}
