package dev.tributary.sandbox.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Adding, editing, paying, voiding and purging documents over the HTTP control API while a client reads. */
class ControlApiTest {

    @Test
    void documentsChangeAsAClientWouldSeeThem() {
        try (XeroSandbox sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(1).invoicesPerTenant(40).rateLimitsEnabled(false)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build())) {
            XeroHttp http = new XeroHttp(sandbox.baseUrl());
            String token = XeroHttp.accessToken(sandbox);
            String tenant = sandbox.tenantIds().get(0);
            String key = sandbox.controlKey();
            assertThat(http.control("wrong", "info", "{}").status()).isEqualTo(401);
            int journalsBefore = sandbox.books(tenant).count(dev.tributary.sandbox.xero.data.Endpoint.JOURNALS);
            JsonNode added = http.control(key, "invoices/add", "{\"tenantId\":\"" + tenant + "\",\"count\":2}").json();
            String id = added.at("/ids/0").asText();
            JsonNode inv = http.api(token, tenant, "/Invoices/" + id).json().at("/Invoices/0");
            assertThat(inv.get("Status").asText()).isEqualTo("AUTHORISED");
            assertThat(inv.get("AmountDue").decimalValue()).isEqualByComparingTo(inv.get("Total").decimalValue());
            String paymentId = http.control(key, "invoices/pay", "{\"tenantId\":\"" + tenant + "\",\"id\":\"" + id + "\"}").json().get("paymentId").asText();
            inv = http.api(token, tenant, "/Invoices/" + id).json().at("/Invoices/0");
            assertThat(inv.get("Status").asText()).isEqualTo("PAID");
            assertThat(inv.get("AmountDue").decimalValue()).isZero();
            assertThat(inv.at("/Payments/0/PaymentID").asText()).isEqualTo(paymentId);
            JsonNode payment = http.api(token, tenant, "/Payments/" + paymentId).json().at("/Payments/0");
            assertThat(payment.get("Amount").decimalValue()).isEqualByComparingTo(inv.get("Total").decimalValue());
            String second = added.at("/ids/1").asText();
            assertThat(http.control(key, "invoices/void", "{\"tenantId\":\"" + tenant + "\",\"id\":\"" + second + "\"}").status()).isEqualTo(200);
            assertThat(http.api(token, tenant, "/Invoices/" + second).json().at("/Invoices/0/Status").asText()).isEqualTo("VOIDED");
            // two invoices posted, one payment, one reversal
            assertThat(sandbox.books(tenant).count(dev.tributary.sandbox.xero.data.Endpoint.JOURNALS)).isEqualTo(journalsBefore + 4);
            var refused = http.control(key, "invoices/void", "{\"tenantId\":\"" + tenant + "\",\"id\":\"" + id + "\"}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("error").asText()).contains("PAID");
            String draft = http.control(key, "invoices/add", "{\"count\":1,\"draft\":true}").json().at("/ids/0").asText();
            assertThat(http.api(token, tenant, "/Invoices/" + draft).json().at("/Invoices/0/Status").asText()).isEqualTo("DRAFT");
            assertThat(http.control(key, "documents/purge", "{\"collection\":\"invoices\",\"id\":\"" + draft + "\"}").status()).isEqualTo(200);
            assertThat(http.api(token, tenant, "/Invoices/" + draft).status()).isEqualTo(404);
            assertThat(http.api(token, tenant, "/Invoices?page=1&pageSize=1000").json().at("/pagination/itemCount").asInt()).isEqualTo(42);
            assertThat(http.get("/_sandbox/counters", java.util.Map.of("X-Sandbox-Control-Key", key)).json().get("requests").asLong()).isPositive();
        }
    }
}
