package dev.tributary.sandbox.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-tenant minute, day and concurrency limits, the app-wide minute limit, Xero's headers, and injected faults. */
class LimitsAndFaultsTest {
    XeroSandbox sandbox;
    XeroHttp http;
    String token;
    String tenant;

    @BeforeEach
    void start() {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(2).invoicesPerTenant(30).dailyLimit(100).clockFrozen(true)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        http = new XeroHttp(sandbox.baseUrl());
        token = XeroHttp.accessToken(sandbox);
        tenant = sandbox.tenantIds().get(0);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void sixtyCallsAMinutePerTenantThen429WithXerosHeaders() {
        for (int i = 0; i < 60; i++) {
            var a = http.api(token, tenant, "/Organisation");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.header("X-MinLimit-Remaining")).isEqualTo(Integer.toString(59 - i));
            assertThat(a.header("X-DayLimit-Remaining")).isEqualTo(Integer.toString(99 - i));
            assertThat(a.header("X-AppMinLimit-Remaining")).isNotNull();
        }
        var refused = http.api(token, tenant, "/Organisation");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("X-Rate-Limit-Problem")).isEqualTo("minute");
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertThat(refused.body()).startsWith("oauth_problem=rate%20limit%20exceeded");
        // the other tenant has its own budget
        assertThat(http.api(token, sandbox.tenantIds().get(1), "/Organisation").status()).isEqualTo(200);
        sandbox.control().advanceClock(Duration.ofSeconds(61));
        assertThat(http.api(token, tenant, "/Organisation").status()).isEqualTo(200);
        assertThat(sandbox.control().rateLimited("minute")).isEqualTo(1);
    }

    @Test
    void theDailyCapHolds() {
        for (int i = 0; i < 100; i++) {
            if (i % 60 == 59) sandbox.control().advanceClock(Duration.ofSeconds(61));
            assertThat(http.api(token, tenant, "/Organisation").status()).isEqualTo(200);
        }
        sandbox.control().advanceClock(Duration.ofSeconds(61));
        var refused = http.api(token, tenant, "/Organisation");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("X-Rate-Limit-Problem")).isEqualTo("day");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isGreaterThan(80_000);
        assertThat(refused.header("X-DayLimit-Remaining")).isEqualTo("0");
        sandbox.control().advanceClock(Duration.ofDays(1));
        token = XeroHttp.accessToken(sandbox); // the old access token expired meanwhile
        assertThat(http.api(token, tenant, "/Organisation").status()).isEqualTo(200);
    }

    @Test
    void moreThanFiveCallsInFlightAreRefused() throws Exception {
        sandbox.control().setLatency(400);
        List<Future<XeroHttp.Answer>> calls = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) calls.add(pool.submit(() -> http.api(token, tenant, "/Organisation")));
        }
        int ok = 0;
        int concurrent = 0;
        for (var f : calls) {
            var a = f.get();
            if (a.status() == 200) ok++;
            if (a.status() == 429 && "concurrent".equals(a.header("X-Rate-Limit-Problem"))) concurrent++;
        }
        assertThat(ok).isEqualTo(5);
        assertThat(concurrent).isEqualTo(3);
    }

    @Test
    void faultsStormsErrorsAndDroppedConnections() {
        sandbox.control().storm429(2);
        assertThat(http.api(token, tenant, "/Organisation").status()).isEqualTo(429);
        assertThat(http.api(token, tenant, "/Organisation").header("Retry-After")).isEqualTo("1");
        assertThat(http.api(token, tenant, "/Organisation").status()).isEqualTo(200);
        sandbox.control().setErrorRate(1.0);
        assertThat(http.api(token, tenant, "/Organisation").status()).isBetween(500, 504);
        sandbox.control().clearFaults();
        sandbox.control().dropConnections(1);
        assertThatThrownBy(() -> http.api(token, tenant, "/Invoices?page=1")).isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(http.api(token, tenant, "/Invoices?page=1").status()).isEqualTo(200);
    }
}
