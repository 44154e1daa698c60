package dev.tributary.sandbox.sheets;

import static dev.tributary.sandbox.sheets.TestHttp.enc;
import static dev.tributary.sandbox.sheets.TestHttp.get;
import static dev.tributary.sandbox.sheets.TestHttp.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Service-account JWTs, refresh tokens, API keys, sharing, quotas and faults, over real HTTP. */
class AuthAndQuotaTest {
    private static final String JWT_GRANT = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=";
    private SheetsSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(50).build());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private String cell(String bearer) {
        return sandbox.baseUrl() + "/v4/spreadsheets/" + sandbox.leadsSpreadsheetId() + "/values/A1";
    }

    private TestHttp.Reply exchange(String assertion) {
        return postForm(sandbox.tokenUri(), JWT_GRANT + assertion);
    }

    @Test
    void serviceAccountKeyFileExchangesASignedAssertion() throws Exception {
        JsonNode key = TestHttp.JSON.readTree(sandbox.serviceAccountKeyJson());
        assertThat(key.get("type").asText()).isEqualTo("service_account");
        assertThat(key.get("token_uri").asText()).isEqualTo(sandbox.baseUrl() + "/token");
        assertThat(key.get("private_key").asText()).startsWith("-----BEGIN PRIVATE KEY-----");
        long now = Instant.now().getEpochSecond();
        TestHttp.Reply ok = exchange(TestHttp.jwt(sandbox.serviceAccountKeyJson(), TestHttp.SCOPES, null, now, now + 3600));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(ok.json().get("expires_in").asInt()).isEqualTo(3599);
        String token = ok.json().get("access_token").asText();
        assertThat(get(cell(token), token).json().at("/values/0/0").asText()).isEqualTo("Company");
        // Google's own token URL as aud is accepted too (client libraries put it there)
        assertThat(exchange(TestHttp.jwt(sandbox.serviceAccountKeyJson(), TestHttp.SCOPES, "https://oauth2.googleapis.com/token", now, now + 600)).status()).isEqualTo(200);
        // the key file is also served to scripts by the control API
        assertThat(TestHttp.control(sandbox, "GET", "service-account-key", null).json().get("client_email").asText()).isEqualTo(sandbox.serviceAccountEmail());
    }

    @Test
    void badAssertionsAreRefusedAsGoogleDoes() throws Exception {
        long now = Instant.now().getEpochSecond();
        var otherKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        TestHttp.Reply wrongSig = exchange(TestHttp.jwt(otherKey, sandbox.serviceAccountEmail(), TestHttp.SCOPES, sandbox.tokenUri(), now, now + 600));
        assertThat(wrongSig.status()).isEqualTo(400);
        assertThat(wrongSig.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(wrongSig.json().get("error_description").asText()).isEqualTo("Invalid JWT Signature.");
        TestHttp.Reply expired = exchange(TestHttp.jwt(sandbox.serviceAccountKeyJson(), TestHttp.SCOPES, null, now - 7200, now - 3600));
        assertThat(expired.json().get("error_description").asText()).startsWith("Invalid JWT: Token must be a short-lived token");
        TestHttp.Reply tooLong = exchange(TestHttp.jwt(sandbox.serviceAccountKeyJson(), TestHttp.SCOPES, null, now, now + 7200));
        assertThat(tooLong.status()).isEqualTo(400);
        TestHttp.Reply scope = exchange(TestHttp.jwt(sandbox.serviceAccountKeyJson(), "https://www.googleapis.com/auth/gmail.send", null, now, now + 600));
        assertThat(scope.json().get("error").asText()).isEqualTo("invalid_scope");
        TestHttp.Reply aud = exchange(TestHttp.jwt(sandbox.serviceAccountKeyJson(), TestHttp.SCOPES, "https://example.com/token", now, now + 600));
        assertThat(aud.json().get("error_description").asText()).contains("audience");
        TestHttp.Reply stranger = exchange(TestHttp.jwt(otherKey, "someone@else.iam.gserviceaccount.com", TestHttp.SCOPES, sandbox.tokenUri(), now, now + 600));
        assertThat(stranger.json().get("error_description").asText()).isEqualTo("Invalid grant: account not found");
        assertThat(postForm(sandbox.tokenUri(), "grant_type=password").json().get("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void tokensExpireAndUnknownTokensAre401() throws Exception {
        String token = TestHttp.token(sandbox);
        TestHttp.Reply bogus = get(cell(null), "ya29.nope");
        assertThat(bogus.status()).isEqualTo(401);
        assertThat(bogus.json().at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");
        sandbox.control().advanceClock(Duration.ofSeconds(3601));
        assertThat(get(cell(token), token).status()).isEqualTo(401);
        TestHttp.Reply none = get(cell(null), null);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().at("/error/message").asText()).isEqualTo("The request is missing a valid API key.");
    }

    @Test
    void sheetsNotSharedWithTheAccountAre403AndTheRevokedKeyFails() throws Exception {
        String token = TestHttp.token(sandbox);
        TestHttp.Reply denied = get(sandbox.baseUrl() + "/v4/spreadsheets/" + sandbox.privateSpreadsheetId() + "/values/A1", token);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().at("/error/status").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(denied.json().at("/error/message").asText()).isEqualTo("The caller does not have permission");
        assertThat(get(sandbox.baseUrl() + "/drive/v3/files/" + sandbox.privateSpreadsheetId() + "?fields=version", token).status()).isEqualTo(404);

        TestHttp.Reply revoke = TestHttp.control(sandbox, "POST", "revoke", "{\"credential\":\"service-account-key\"}");
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(get(cell(token), token).status()).isEqualTo(401);
        assertThatThrownBy(() -> TestHttp.token(sandbox)).hasMessageContaining("Invalid JWT Signature.");
        TestHttp.control(sandbox, "POST", "restore", "{\"credential\":\"service-account-key\"}");
        assertThat(TestHttp.token(sandbox)).startsWith("ya29.");
    }

    @Test
    void refreshTokensAndApiKeys() {
        String form = "grant_type=refresh_token&client_id=" + enc(sandbox.oauthClientId()) + "&client_secret=" + enc(sandbox.oauthClientSecret())
                + "&refresh_token=" + enc(sandbox.refreshToken());
        TestHttp.Reply ok = postForm(sandbox.tokenUri(), form);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        String userToken = ok.json().get("access_token").asText();
        assertThat(get(cell(userToken), userToken).status()).isEqualTo(200);
        TestHttp.Reply badClient = postForm(sandbox.tokenUri(), form.replace(enc(sandbox.oauthClientSecret()), "nope"));
        assertThat(badClient.status()).isEqualTo(401);
        assertThat(badClient.json().get("error").asText()).isEqualTo("invalid_client");
        sandbox.control().revokeRefreshToken(true);
        TestHttp.Reply revoked = postForm(sandbox.tokenUri(), form);
        assertThat(revoked.json().get("error_description").asText()).isEqualTo("Token has been expired or revoked.");
        assertThat(get(cell(userToken), userToken).status()).isEqualTo(401);

        String keyed = cell(null) + "?key=" + sandbox.apiKey();
        assertThat(get(keyed, null).status()).isEqualTo(200);
        TestHttp.Reply privateByKey = get(sandbox.baseUrl() + "/v4/spreadsheets/" + sandbox.privateSpreadsheetId() + "/values/A1?key=" + sandbox.apiKey(), null);
        assertThat(privateByKey.status()).isEqualTo(403);
        TestHttp.Reply badKey = get(cell(null) + "?key=AIzaSyWrong", null);
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.json().at("/error/message").asText()).isEqualTo("API key not valid. Please pass a valid API key.");
        assertThat(badKey.json().at("/error/details/0/reason").asText()).isEqualTo("API_KEY_INVALID");
        sandbox.control().revokeApiKey(true);
        assertThat(get(keyed, null).status()).isEqualTo(400);
    }

    @Test
    void perUserQuotaAnswers429ResourceExhaustedAndFreesUpAfterAMinute() throws Exception {
        sandbox.control().setQuotas(300, 5);
        String token = TestHttp.token(sandbox);
        for (int i = 0; i < 5; i++) assertThat(get(cell(token), token).status()).isEqualTo(200);
        TestHttp.Reply limited = get(cell(token), token);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().at("/error/status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(limited.json().at("/error/message").asText())
                .startsWith("Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com'");
        // another user has their own budget, until the project's is spent
        String keyed = cell(null) + "?key=" + sandbox.apiKey();
        assertThat(get(keyed, null).status()).isEqualTo(200);
        // Drive metadata is a different API: not counted
        assertThat(get(sandbox.baseUrl() + "/drive/v3/files/" + sandbox.leadsSpreadsheetId() + "?fields=version", token).status()).isEqualTo(200);
        sandbox.control().advanceClock(Duration.ofSeconds(61));
        assertThat(get(cell(token), token).status()).isEqualTo(200);
        sandbox.control().setQuotas(2, 60);
        sandbox.control().resetQuotas();
        get(cell(token), token);
        get(keyed, null);
        assertThat(get(keyed, null).json().at("/error/message").asText()).contains("limit 'Read requests per minute' ");
    }

    @Test
    void injectedFaults() throws Exception {
        String token = TestHttp.token(sandbox);
        TestHttp.control(sandbox, "POST", "faults", "{\"serverErrors\":1,\"storm429\":1}");
        TestHttp.Reply storm = get(cell(token), token);
        assertThat(storm.status()).isEqualTo(429);
        TestHttp.Reply unavailable = get(cell(token), token);
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.json().at("/error/status").asText()).isEqualTo("UNAVAILABLE");
        assertThat(get(cell(token), token).status()).isEqualTo(200);
        sandbox.control().dropConnections(1);
        assertThatThrownBy(() -> get(cell(token), token)).isInstanceOf(java.io.UncheckedIOException.class);
        sandbox.control().outage(true);
        assertThatThrownBy(() -> get(cell(token), token)).isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(TestHttp.control(sandbox, "GET", "info", null).json().get("outage").asBoolean()).isTrue();
        TestHttp.control(sandbox, "POST", "faults", "{\"clear\":true}");
        assertThat(get(cell(token), token).status()).isEqualTo(200);
        assertThat(sandbox.counters().count(" 429")).isEqualTo(1);
        assertThat(sandbox.counters().count("GET /v4/spreadsheets/{id}/values/{range} 200")).isEqualTo(3);
    }
}
