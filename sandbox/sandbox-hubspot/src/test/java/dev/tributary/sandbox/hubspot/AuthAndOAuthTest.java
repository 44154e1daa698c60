package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthAndOAuthTest {
    static HubSpotSandbox sandbox;
    static HubSpotHttp anonymous;

    @BeforeAll
    static void start() {
        sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(200).portals(2).rateLimitsEnabled(false)
                .accessTokenTtlSeconds(1800).clockStart(Instant.parse("2025-07-01T00:00:00Z")).clockFrozen(true).build());
        anonymous = new HubSpotHttp(sandbox.baseUrl(), null);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void missingAndUnknownTokensAre401InvalidAuthentication() {
        var missing = anonymous.get("/crm/v3/objects/contacts");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
        var unknown = anonymous.withToken("pat-na1-00000000-0000-0000-0000-000000000000").get("/crm/v3/objects/contacts");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
    }

    @Test
    void malformedTokenIsABare530() {
        var a = anonymous.withToken("not a token!").get("/crm/v3/objects/contacts");
        assertThat(a.status()).isEqualTo(530);
        assertThat(a.body()).isEmpty();
    }

    @Test
    void eachPortalHasItsOwnTokenAndData() {
        long first = sandbox.hubIds().get(0);
        long second = sandbox.hubIds().get(1);
        String a = anonymous.withToken(sandbox.privateAppToken(first)).get("/crm/v3/objects/contacts?limit=3&properties=email").body();
        String b = anonymous.withToken(sandbox.privateAppToken(second)).get("/crm/v3/objects/contacts?limit=3&properties=email").body();
        assertThat(a).isNotEqualTo(b);
    }

    static String installAndGetCode(long hubId, String state) throws Exception {
        String redirect = "http://localhost:3000/oauth-callback";
        var page = anonymous.get(URI.create(sandbox.authorizeUrl(redirect, "oauth crm.objects.contacts.read", state)).getRawPath()
                + "?" + URI.create(sandbox.authorizeUrl(redirect, "oauth crm.objects.contacts.read", state)).getRawQuery());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(Long.toString(sandbox.hubIds().get(0))).contains(Long.toString(sandbox.hubIds().get(1)));
        Matcher m = Pattern.compile("href=\"([^\"]*hub_id=" + hubId + "[^\"]*)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        var consent = anonymous.get(m.group(1).replace("&amp;", "&"));
        assertThat(consent.status()).isEqualTo(200);
        Matcher grant = Pattern.compile("id=\"grant\" href=\"([^\"]*)\"").matcher(consent.body());
        assertThat(grant.find()).isTrue();
        var chosen = anonymous.get(grant.group(1).replace("&amp;", "&"));
        assertThat(chosen.status()).isEqualTo(302);
        String location = chosen.header("Location");
        assertThat(location).startsWith(redirect + "?code=").contains("state=" + state);
        Matcher code = Pattern.compile("code=([^&]+)").matcher(location);
        assertThat(code.find()).isTrue();
        return java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8);
    }

    static String form(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (b.length() > 0) b.append('&');
            b.append(kv[i]).append('=').append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void authorizationCodeFlowRefreshAndExpiry() throws Exception {
        long hub = sandbox.hubIds().get(1);
        String code = installAndGetCode(hub, "xyz");
        var token = anonymous.postForm("/oauth/v1/token", form("grant_type", "authorization_code", "client_id", sandbox.oauthClientId(),
                "client_secret", sandbox.oauthClientSecret(), "redirect_uri", "http://localhost:3000/oauth-callback", "code", code));
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.json().get("token_type").asText()).isEqualTo("bearer");
        assertThat(token.json().get("expires_in").asInt()).isEqualTo(1800);
        String access = token.json().get("access_token").asText();
        String refresh = token.json().get("refresh_token").asText();

        var reuse = anonymous.postForm("/oauth/v1/token", form("grant_type", "authorization_code", "client_id", sandbox.oauthClientId(),
                "client_secret", sandbox.oauthClientSecret(), "redirect_uri", "http://localhost:3000/oauth-callback", "code", code));
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.json().get("status").asText()).isEqualTo("BAD_AUTH_CODE");

        JsonNode info = anonymous.get("/oauth/v1/access-tokens/" + access).json();
        assertThat(info.get("hub_id").asLong()).isEqualTo(hub);
        assertThat(info.get("user").asText()).contains("@");
        assertThat(info.get("scopes").toString()).contains("crm.objects.contacts.read");
        assertThat(info.get("expires_in").asInt()).isEqualTo(1800);
        assertThat(info.has("user_id")).isTrue();
        assertThat(info.has("app_id")).isTrue();

        HubSpotHttp oauth = anonymous.withToken(access);
        var ok = oauth.get("/crm/v3/objects/contacts?limit=1");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-HubSpot-RateLimit-Max")).isEqualTo("100");
        assertThat(ok.header("X-HubSpot-RateLimit-Daily")).isNull();

        sandbox.control().advanceClock(Duration.ofSeconds(1805));
        var expired = oauth.get("/crm/v3/objects/contacts?limit=1");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("category").asText()).isEqualTo("EXPIRED_AUTHENTICATION");
        assertThat(expired.json().get("message").asText()).isEqualTo("The OAuth token used to make this call expired 5 second(s) ago.");

        var refreshed = anonymous.postForm("/oauth/v1/token", form("grant_type", "refresh_token", "client_id", sandbox.oauthClientId(),
                "client_secret", sandbox.oauthClientSecret(), "refresh_token", refresh));
        assertThat(refreshed.status()).isEqualTo(200);
        String access2 = refreshed.json().get("access_token").asText();
        assertThat(access2).isNotEqualTo(access);
        assertThat(anonymous.withToken(access2).get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);

        assertThat(sandbox.control().expireAccessTokens()).isPositive();
        assertThat(anonymous.withToken(access2).get("/crm/v3/objects/contacts?limit=1").json().get("category").asText())
                .isEqualTo("EXPIRED_AUTHENTICATION");
    }

    @Test
    void badRefreshTokenAndBadClientAreRejected() {
        var bad = anonymous.postForm("/oauth/v1/token", form("grant_type", "refresh_token", "client_id", sandbox.oauthClientId(),
                "client_secret", sandbox.oauthClientSecret(), "refresh_token", "na1-nope"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("status").asText()).isEqualTo("BAD_REFRESH_TOKEN");
        assertThat(bad.json().get("message").asText()).isNotBlank();
        var client = anonymous.postForm("/oauth/v1/token", form("grant_type", "refresh_token", "client_id", "wrong",
                "client_secret", sandbox.oauthClientSecret(), "refresh_token", "x"));
        assertThat(client.json().get("status").asText()).isEqualTo("BAD_CLIENT_ID");
        assertThat(anonymous.get("/oauth/v1/access-tokens/CNnope").status()).isEqualTo(404);
    }
}
