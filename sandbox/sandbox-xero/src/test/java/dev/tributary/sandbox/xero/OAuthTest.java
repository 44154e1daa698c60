package dev.tributary.sandbox.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Xero's identity service: consent, code grant, single-use rotating refresh tokens with grace, expiry, client credentials. */
class OAuthTest {
    XeroSandbox sandbox;
    XeroHttp http;

    @BeforeEach
    void start() {
        sandbox = XeroSandbox.start(XeroSandboxOptions.builder().tenants(2).invoicesPerTenant(50).clockFrozen(true)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build());
        http = new XeroHttp(sandbox.baseUrl());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private XeroHttp.Answer refresh(String token) {
        return http.token(sandbox.clientId(), sandbox.clientSecret(), "grant_type=refresh_token&refresh_token=" + token);
    }

    @Test
    void consentPageCodeGrantAndConnections() {
        String redirect = sandbox.redirectUri();
        var page = http.get("/identity/connect/authorize?response_type=code&client_id=" + sandbox.clientId() + "&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&scope=offline_access&state=xyz", Map.of());
        assertThat(page.status()).isEqualTo(200);
        Matcher link = Pattern.compile("href=\"(/identity/connect/authorize/consent\\?[^\"]+)\">" + Pattern.quote(sandbox.books(sandbox.tenantIds().get(1)).name()))
                .matcher(page.body());
        assertThat(link.find()).isTrue();
        var consent = http.get(link.group(1).replace("&amp;", "&"), Map.of());
        assertThat(consent.status()).isEqualTo(302);
        String location = consent.header("Location");
        assertThat(location).startsWith(redirect).contains("state=xyz");
        Matcher code = Pattern.compile("code=([^&]+)").matcher(location);
        assertThat(code.find()).isTrue();
        var tokens = http.token(sandbox.clientId(), sandbox.clientSecret(), "grant_type=authorization_code&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&code=" + URLDecoder.decode(code.group(1), StandardCharsets.UTF_8));
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.json().get("expires_in").asInt()).isEqualTo(1800);
        assertThat(tokens.json().get("token_type").asText()).isEqualTo("Bearer");
        String access = tokens.json().get("access_token").asText();
        var connections = http.get("/connections", Map.of("Authorization", "Bearer " + access)).json();
        assertThat(connections).hasSize(1);
        assertThat(connections.get(0).get("tenantId").asText()).isEqualTo(sandbox.tenantIds().get(1));
        // only the consented tenant is reachable
        assertThat(http.api(access, sandbox.tenantIds().get(0), "/Invoices").status()).isEqualTo(403);
        assertThat(http.api(access, sandbox.tenantIds().get(1), "/Invoices").status()).isEqualTo(200);
        // a code is single-use
        var again = http.token(sandbox.clientId(), sandbox.clientSecret(), "grant_type=authorization_code&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&code=" + URLDecoder.decode(code.group(1), StandardCharsets.UTF_8));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("error").asText()).isEqualTo("invalid_grant");
        // disconnecting the tenant removes it from /connections
        String connectionId = connections.get(0).get("id").asText();
        var deleted = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + "/connections/" + connectionId))
                .header("Authorization", "Bearer " + access).DELETE().build());
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(http.get("/connections", Map.of("Authorization", "Bearer " + access)).json()).isEmpty();
    }

    @Test
    void refreshTokensAreSingleUseWithAThirtyMinuteGrace() {
        String first = sandbox.consent(sandbox.tenantIds());
        var a = refresh(first);
        assertThat(a.status()).isEqualTo(200);
        String second = a.json().get("refresh_token").asText();
        assertThat(second).isNotEqualTo(first);
        // the answer was lost: the old token, inside the grace period, gives the same successor again
        sandbox.control().advanceClock(Duration.ofMinutes(29));
        var retry = refresh(first);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("refresh_token").asText()).isEqualTo(second);
        // once the successor is used, the old one is dead even within the grace period
        var b = refresh(second);
        assertThat(b.status()).isEqualTo(200);
        var stale = refresh(first);
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.json().get("error").asText()).isEqualTo("invalid_grant");
        // and after the grace period a used token is refused
        String third = b.json().get("refresh_token").asText();
        sandbox.control().advanceClock(Duration.ofMinutes(31));
        assertThat(refresh(second).status()).isEqualTo(400);
        assertThat(refresh(third).status()).isEqualTo(200);
    }

    @Test
    void unusedRefreshTokensExpireAfterSixtyDaysAndAccessTokensAfterThirtyMinutes() {
        String token = sandbox.consent(sandbox.tenantIds());
        var a = refresh(token);
        String access = a.json().get("access_token").asText();
        String next = a.json().get("refresh_token").asText();
        String tenant = sandbox.tenantIds().get(0);
        sandbox.control().advanceClock(Duration.ofMinutes(29));
        assertThat(http.api(access, tenant, "/Organisation").status()).isEqualTo(200);
        sandbox.control().advanceClock(Duration.ofMinutes(2));
        var expired = http.api(access, tenant, "/Organisation");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("Detail").asText()).startsWith("TokenExpired");
        assertThat(expired.header("WWW-Authenticate")).contains("invalid_token");
        sandbox.control().advanceClock(Duration.ofDays(61));
        var old = refresh(next);
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void revocationAndBadClients() {
        String token = sandbox.consent(sandbox.tenantIds());
        assertThat(http.token(sandbox.clientId(), "wrong", "grant_type=refresh_token&refresh_token=" + token).json().get("error").asText())
                .isEqualTo("invalid_client");
        var formCredentials = http.post("/connect/token", null, "grant_type=refresh_token&refresh_token=" + token + "&client_id="
                + sandbox.clientId() + "&client_secret=" + sandbox.clientSecret());
        assertThat(formCredentials.status()).as("Xero wants the credentials in HTTP Basic").isEqualTo(400);
        assertThat(formCredentials.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(http.post("/connect/revocation", sandbox.clientId() + ":" + sandbox.clientSecret(), "token=" + token).status()).isEqualTo(200);
        assertThat(refresh(token).json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void clientCredentialsReachTheCustomConnectionsTenant() {
        var a = http.token(sandbox.customClientId(), sandbox.customClientSecret(), "grant_type=client_credentials");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().has("refresh_token")).isFalse();
        String access = a.json().get("access_token").asText();
        var connections = http.get("/connections", Map.of("Authorization", "Bearer " + access)).json();
        assertThat(connections).hasSize(1);
        assertThat(http.api(access, null, "/Organisation").json().at("/Organisations/0/OrganisationID").asText()).isEqualTo(sandbox.tenantIds().get(0));
        assertThat(http.api(access, sandbox.tenantIds().get(1), "/Organisation").status()).isEqualTo(403);
        assertThat(http.token(sandbox.clientId(), sandbox.clientSecret(), "grant_type=client_credentials").json().get("error").asText())
                .isEqualTo("unauthorized_client");
    }

    @Test
    void aLostTokenAnswerRotatesTheTokenButTheClientNeverHearsOfIt() {
        String first = sandbox.consent(sandbox.tenantIds());
        sandbox.control().loseTokenAnswers(1);
        assertThatThrownBy(() -> refresh(first)).isInstanceOf(java.io.UncheckedIOException.class);
        // the retry with the old token, inside the grace period, recovers the successor
        var retry = refresh(first);
        assertThat(retry.status()).isEqualTo(200);
        String second = retry.json().get("refresh_token").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(refresh(second).status()).isEqualTo(200);
    }
}
