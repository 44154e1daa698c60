package dev.tributary.sandbox.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.xero.data.MsDate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Accounting API over real HTTP: connections, envelope, paging, If-Modified-Since, where/order, journals, errors. */
class AccountingApiTest {
    static XeroSandbox sandbox;
    static XeroHttp http;
    static String token;
    static String tenant;

    @BeforeAll
    static void start() {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(3).invoicesPerTenant(1_200).rateLimitsEnabled(false)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        http = new XeroHttp(sandbox.baseUrl());
        token = XeroHttp.accessToken(sandbox);
        tenant = sandbox.tenantIds().get(0);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void connectionsListEveryConsentedTenant() {
        var a = http.get("/connections", Map.of("Authorization", "Bearer " + token));
        assertThat(a.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode c : a.json()) {
            ids.add(c.get("tenantId").asText());
            assertThat(c.get("tenantType").asText()).isEqualTo("ORGANISATION");
            assertThat(c.get("tenantName").asText()).isNotBlank();
            assertThat(c.get("createdDateUtc").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}");
        }
        assertThat(ids).containsExactlyElementsOf(sandbox.tenantIds());
        // tenants have different books
        String other = sandbox.tenantIds().get(1);
        String a0 = http.api(token, tenant, "/Organisation").json().at("/Organisations/0/Name").asText();
        String a1 = http.api(token, other, "/Organisation").json().at("/Organisations/0/Name").asText();
        assertThat(a0).isNotEqualTo(a1);
    }

    @Test
    void invoicesPageWithThePaginationBlockAndMsDates() {
        var a = http.api(token, tenant, "/Invoices?page=1");
        assertThat(a.status()).isEqualTo(200);
        JsonNode body = a.json();
        assertThat(body.get("Status").asText()).isEqualTo("OK");
        assertThat(body.get("DateTimeUTC").asText()).matches("/Date\\(\\d+\\)/");
        assertThat(body.at("/pagination/pageSize").asInt()).isEqualTo(100);
        assertThat(body.at("/pagination/itemCount").asInt()).isEqualTo(1_200);
        assertThat(body.at("/pagination/pageCount").asInt()).isEqualTo(12);
        JsonNode inv = body.get("Invoices").get(0);
        assertThat(inv.get("UpdatedDateUTC").asText()).matches("/Date\\(\\d+\\+0000\\)/");
        assertThat(inv.get("Date").asText()).matches("/Date\\(\\d+\\+0000\\)/");
        assertThat(inv.get("DateString").asText()).matches("\\d{4}-\\d\\d-\\d\\dT00:00:00");
        // money is exact: lines add up to the subtotal, subtotal plus tax to the total
        BigDecimal lines = BigDecimal.ZERO;
        for (JsonNode l : inv.get("LineItems")) lines = lines.add(l.get("LineAmount").decimalValue());
        assertThat(lines).isEqualByComparingTo(inv.get("SubTotal").decimalValue());
        assertThat(inv.get("SubTotal").decimalValue().add(inv.get("TotalTax").decimalValue())).isEqualByComparingTo(inv.get("Total").decimalValue());
        // every page, pageSize up to 1000, no duplicates
        Set<String> ids = new HashSet<>();
        for (int p = 1; p <= 2; p++) {
            for (JsonNode i : http.api(token, tenant, "/Invoices?page=" + p + "&pageSize=1000").json().get("Invoices")) ids.add(i.get("InvoiceID").asText());
        }
        assertThat(ids).hasSize(1_200);
        var tooBig = http.api(token, tenant, "/Invoices?page=1&pageSize=1001");
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.json().get("Type").asText()).isEqualTo("ValidationException");
        assertThat(tooBig.body()).contains("pageSize");
        assertThat(http.api(token, tenant, "/Invoices?page=1&summaryOnly=true").json().at("/Invoices/0/LineItems").isMissingNode()).isTrue();
    }

    @Test
    void ifModifiedSinceReturnsOnlyLaterChanges() {
        List<String> changed = sandbox.control().mutate(tenant, dev.tributary.sandbox.xero.data.Endpoint.INVOICES, 7);
        String since = "2025-06-30T00:00:00.000Z";
        JsonNode body = http.apiSince(token, tenant, "/Invoices?page=1&order=UpdatedDateUTC%20ASC", since).json();
        List<String> ids = new ArrayList<>();
        for (JsonNode i : body.get("Invoices")) {
            ids.add(i.get("InvoiceID").asText());
            assertThat(MsDate.parse(i.get("UpdatedDateUTC").asText())).isGreaterThanOrEqualTo(Instant.parse(since).toEpochMilli());
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(changed);
        assertThat(http.apiSince(token, tenant, "/Invoices?page=1", "not a date").status()).isEqualTo(400);
        // an HTTP date works too
        assertThat(http.apiSince(token, tenant, "/Invoices?page=1", "Mon, 30 Jun 2025 00:00:00 GMT").json().get("Invoices")).hasSize(7);
    }

    @Test
    void whereAndOrderInTheirCommonForms() {
        JsonNode paid = http.api(token, tenant, "/Invoices?page=1&where=" + enc("Status==\"PAID\" AND Type==\"ACCREC\"") + "&order=" + enc("Total DESC")).json();
        BigDecimal last = null;
        for (JsonNode i : paid.get("Invoices")) {
            assertThat(i.get("Status").asText()).isEqualTo("PAID");
            assertThat(i.get("Type").asText()).isEqualTo("ACCREC");
            if (last != null) assertThat(i.get("Total").decimalValue()).isLessThanOrEqualTo(last);
            last = i.get("Total").decimalValue();
        }
        assertThat(paid.at("/pagination/itemCount").asInt()).isBetween(300, 1_000);
        String contact = paid.at("/Invoices/0/Contact/ContactID").asText();
        JsonNode byContact = http.api(token, tenant, "/Invoices?page=1&where=" + enc("Contact.ContactID==guid(\"" + contact + "\")")).json();
        assertThat(byContact.get("Invoices")).isNotEmpty().allMatch(i -> i.at("/Contact/ContactID").asText().equals(contact));
        JsonNode dated = http.api(token, tenant, "/Invoices?page=1&where=" + enc("Date>=DateTime(2025,01,01)")).json();
        assertThat(dated.get("Invoices")).isNotEmpty().allMatch(i -> i.get("DateString").asText().compareTo("2025-01-01") >= 0);
        assertThat(http.api(token, tenant, "/Invoices?where=" + enc("Total ~~ 3")).status()).isEqualTo(400);
        JsonNode statuses = http.api(token, tenant, "/Invoices?page=1&Statuses=VOIDED,DELETED").json();
        assertThat(statuses.get("Invoices")).isNotEmpty().allMatch(i -> Set.of("VOIDED", "DELETED").contains(i.get("Status").asText()));
    }

    @Test
    void everyCollectionAnswers() {
        for (String path : List.of("Accounts", "Contacts?page=1", "ContactGroups", "CreditNotes?page=1", "Payments?page=1", "Overpayments?page=1",
                "Prepayments?page=1", "BankTransactions?page=1", "BankTransfers", "ManualJournals?page=1", "Items", "TaxRates",
                "TrackingCategories", "Currencies", "Users", "PurchaseOrders?page=1", "Quotes?page=1", "Organisation")) {
            var a = http.api(token, tenant, "/" + path);
            assertThat(a.status()).as(path).isEqualTo(200);
            String key = path.replaceAll("\\?.*", "");
            if (key.equals("Organisation")) key = "Organisations";
            assertThat(a.json().get(key)).as(path).isNotEmpty();
        }
        JsonNode credit = http.api(token, tenant, "/CreditNotes?page=1&where=" + enc("Status==\"PAID\"")).json().at("/CreditNotes/0");
        assertThat(credit.at("/Allocations/0/Invoice/InvoiceID").asText()).isNotBlank();
        JsonNode payment = http.api(token, tenant, "/Payments?page=1").json().at("/Payments/0");
        String invoiceId = payment.at("/Invoice/InvoiceID").asText();
        JsonNode invoice = http.api(token, tenant, "/Invoices/" + invoiceId).json().at("/Invoices/0");
        assertThat(invoice.at("/Payments/0/PaymentID").asText()).isEqualTo(payment.get("PaymentID").asText());
        assertThat(http.api(token, tenant, "/Invoices/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void journalsPageByOffsetInNumberOrder() {
        int offset = 0;
        int seen = 0;
        int expected = sandbox.books(tenant).count(dev.tributary.sandbox.xero.data.Endpoint.JOURNALS);
        while (true) {
            JsonNode journals = http.api(token, tenant, "/Journals?offset=" + offset).json().get("Journals");
            if (journals.isEmpty()) break;
            assertThat(journals.size()).isLessThanOrEqualTo(100);
            for (JsonNode j : journals) {
                assertThat(j.get("JournalNumber").asInt()).isEqualTo(offset + 1);
                offset = j.get("JournalNumber").asInt();
                BigDecimal sum = BigDecimal.ZERO;
                for (JsonNode l : j.get("JournalLines")) sum = sum.add(l.get("GrossAmount").decimalValue());
                assertThat(sum).as("journal %s balances", offset).isEqualByComparingTo(BigDecimal.ZERO);
                seen++;
            }
        }
        assertThat(seen).isEqualTo(expected).isGreaterThan(1_000);
    }

    @Test
    void unknownTenantAndBadTokenAreRefusedAsXeroDoes() {
        var forbidden = http.api(token, java.util.UUID.randomUUID().toString(), "/Invoices");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("Detail").asText()).isEqualTo("AuthenticationUnsuccessful");
        assertThat(http.api(token, null, "/Invoices").status()).isEqualTo(403);
        var unauthorized = http.api("nope", tenant, "/Invoices");
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.json().get("Title").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void theSameSeedGivesTheSameBooks() {
        try (XeroSandbox again = XeroSandbox.start(XeroSandboxOptions.builder().tenants(1).invoicesPerTenant(1_200).rateLimitsEnabled(false).build())) {
            String t = again.tenantIds().get(0);
            assertThat(t).isEqualTo(tenant);
            String other = XeroHttp.accessToken(again);
            var mine = http.api(token, tenant, "/Invoices?page=7").json().get("Invoices");
            var theirs = new XeroHttp(again.baseUrl()).api(other, t, "/Invoices?page=7").json().get("Invoices");
            // documents nobody changed are identical
            for (int i = 0; i < mine.size(); i++) {
                if (mine.get(i).get("Reference").asText().startsWith("EDIT-")) continue;
                assertThat(mine.get(i)).isEqualTo(theirs.get(i));
            }
        }
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
