package dev.tributary.sandbox.hubspot;

import static dev.tributary.sandbox.hubspot.AuthAndOAuthTest.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The installable app with many portals: v3 tokens and introspection, optional scopes, uninstall, per-account limits. */
class InstallableAppTest {
    static final String REDIRECT = "http://127.0.0.1:9/callback";
    static HubSpotSandbox sandbox;
    static HubSpotHttp anonymous;

    @BeforeAll
    static void start() {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(20).portals(1200).oauthAppTenSecondLimit(100)
                .appClientId("my-app").appClientSecret("my-secret").clockStart(Instant.parse("2025-07-01T00:00:00Z")).clockFrozen(true).build());
        anonymous = new HubSpotHttp(sandbox.baseUrl(), null);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    /** Follows the install flow for one portal as a browser would and returns the code. */
    static String code(long hub, String scope, String optionalScope) {
        String query = "client_id=my-app&redirect_uri=" + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8)
                + "&scope=" + scope + "&optional_scope=" + optionalScope + "&state=s1";
        var consent = anonymous.get("/oauth/authorize/consent?hub_id=" + hub + "&" + query);
        assertThat(consent.status()).isEqualTo(200);
        var granted = anonymous.get("/oauth/authorize/choose?hub_id=" + hub + "&" + query);
        assertThat(granted.status()).isEqualTo(302);
        String location = granted.header("Location");
        assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=s1");
        return java.net.URLDecoder.decode(location.substring(location.indexOf("code=") + 5, location.indexOf("&state")), java.nio.charset.StandardCharsets.UTF_8);
    }

    static JsonNode exchangeV3(String code) {
        var answer = anonymous.postForm("/oauth/v3/token", form("grant_type", "authorization_code", "client_id", "my-app",
                "client_secret", "my-secret", "redirect_uri", REDIRECT, "code", code));
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void aThousandPortalsAreListedAndGeneratedOnlyWhenUsed() {
        assertThat(sandbox.hubIds()).hasSize(1200);
        var page = anonymous.get("/oauth/authorize?client_id=my-app&redirect_uri=" + REDIRECT + "&scope=oauth");
        assertThat(page.body()).contains("account-" + sandbox.hubIds().get(1199));
        JsonNode info = anonymous.control("GET", "info", null, sandbox.controlKey()).json();
        assertThat(info.get("portalCount").asInt()).isEqualTo(1200);
        assertThat(info.get("portals").size()).isLessThan(1200);
    }

    @Test
    void v3TokenNamesTheAccountAndIntrospectionAgrees() {
        long hub = sandbox.hubIds().get(700);
        JsonNode token = exchangeV3(code(hub, "oauth+crm.objects.contacts.read", "crm.objects.deals.read"));
        assertThat(token.get("hub_id").asLong()).isEqualTo(hub);
        assertThat(token.get("expires_in").asInt()).isEqualTo(1800);
        assertThat(token.get("token_use").asText()).isEqualTo("access_token");
        assertThat(token.get("scopes").toString()).contains("crm.objects.contacts.read").contains("crm.objects.deals.read");
        assertThat(token.get("user_id").asLong()).isPositive();

        JsonNode introspected = anonymous.postForm("/oauth/v3/introspect", form("token", token.get("access_token").asText(),
                "client_id", "my-app", "client_secret", "my-secret")).json();
        assertThat(introspected.get("active").asBoolean()).isTrue();
        assertThat(introspected.get("hub_id").asLong()).isEqualTo(hub);
        JsonNode unknown = anonymous.postForm("/oauth/v3/introspect", form("token", "CNnothing-of-the-kind-at-all-here",
                "client_id", "my-app", "client_secret", "my-secret")).json();
        assertThat(unknown.get("active").asBoolean()).isFalse();
        var wrongSecret = anonymous.postForm("/oauth/v3/introspect", form("token", "x", "client_id", "my-app", "client_secret", "nope"));
        assertThat(wrongSecret.status()).isEqualTo(400);
        assertThat(wrongSecret.json().get("error").asText()).isEqualTo("invalid_client");
        // the data is the portal's own, through the app's token
        assertThat(anonymous.withToken(token.get("access_token").asText()).get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
    }

    @Test
    void uninstallEndsEveryTokenOfThatAccountOnly() {
        long gone = sandbox.hubIds().get(5);
        long stays = sandbox.hubIds().get(6);
        JsonNode a = exchangeV3(code(gone, "oauth", ""));
        JsonNode b = exchangeV3(code(stays, "oauth", ""));
        assertThat(anonymous.withToken(a.get("access_token").asText()).delete("/appinstalls/v3/external-install").status()).isEqualTo(204);

        var refused = anonymous.postForm("/oauth/v3/token", form("grant_type", "refresh_token", "client_id", "my-app",
                "client_secret", "my-secret", "refresh_token", a.get("refresh_token").asText()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(anonymous.withToken(a.get("access_token").asText()).get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(401);

        var other = anonymous.postForm("/oauth/v1/token", form("grant_type", "refresh_token", "client_id", "my-app",
                "client_secret", "my-secret", "refresh_token", b.get("refresh_token").asText()));
        assertThat(other.status()).isEqualTo(200);
        // installing again works
        assertThat(exchangeV3(code(gone, "oauth", "")).get("hub_id").asLong()).isEqualTo(gone);
    }

    @Test
    void eachAccountHasItsOwnHundredCallsPerTenSeconds() {
        List<String> tokens = List.of(exchangeV3(code(sandbox.hubIds().get(900), "oauth", "")).get("access_token").asText(),
                exchangeV3(code(sandbox.hubIds().get(901), "oauth", "")).get("access_token").asText());
        for (int i = 0; i < 100; i++) {
            var ok = anonymous.withToken(tokens.get(0)).get("/crm/v3/owners");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("X-HubSpot-RateLimit-Max")).isEqualTo("100");
        }
        assertThat(anonymous.withToken(tokens.get(0)).get("/crm/v3/owners").status()).isEqualTo(429);
        assertThat(anonymous.withToken(tokens.get(1)).get("/crm/v3/owners").status()).isEqualTo(200);
    }
}
