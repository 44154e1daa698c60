package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.Trigger;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthenticationTest {
    private TestServer t;

    @BeforeEach
    void start() {
        t = new TestServer(new FakePipelineService().add(FakePipelineService.pipeline("revops", new Trigger.Manual(),
                FakePipelineService.step("sync-1", StepKind.SYNC, Map.of()))));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void pagesRedirectToLoginWithTheWantedPage() {
        HttpResponse<String> r = t.get("/runs?pipeline=revops");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/login?next=%2Fruns%3Fpipeline%3Drevops");
        assertThat(t.get("/login").body()).contains("<form id=\"login-form\"").contains("name=\"username\"").contains("name=\"password\"");
    }

    @Test
    void wrongPasswordIsRejectedWithAnError() {
        HttpResponse<String> r = t.login("admin", "wrong");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("id=\"login-error\"").contains("Wrong user name or password");
        assertThat(t.get("/").statusCode()).isEqualTo(303);
        assertThat(t.login("root", TestServer.PASSWORD).statusCode()).isEqualTo(401);
    }

    @Test
    void repeatedFailuresLockTheAddressOutEvenForTheRightPassword() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) assertThat(t.login("admin", "guess" + i).statusCode()).isEqualTo(401);
        HttpResponse<String> r = t.login("admin", TestServer.PASSWORD);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).contains("Too many failed logins");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void loginSetsAStrictHttpOnlySessionCookieAndLogoutEndsIt() {
        HttpResponse<String> r = t.login("admin", TestServer.PASSWORD);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/");
        String cookie = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(TributaryServer.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/").contains("Max-Age=43200");
        assertThat(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'))).matches("[0-9a-f]{64}");

        HttpResponse<String> overview = t.get("/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("id=\"pipelines\"");

        HttpResponse<String> logout = t.postForm("/logout", Map.of("_csrf", TestServer.csrf(overview.body())));
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(t.get("/").statusCode()).isEqualTo(303);
    }

    @Test
    void postsWithoutTheSessionsCsrfTokenAreForbidden() {
        String csrf = t.loginAsAdmin();
        assertThat(t.postForm("/pipelines/revops/trigger", Map.of()).statusCode()).isEqualTo(403);
        assertThat(t.postForm("/pipelines/revops/trigger", Map.of("_csrf", "0".repeat(64))).statusCode()).isEqualTo(403);
        assertThat(t.postForm("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(t.pipelines.runs(dev.tributary.scheduler.RunQuery.latest(10))).isEmpty();
        assertThat(t.postForm("/pipelines/revops/trigger", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
    }

    @Test
    void aSecondVisitToTheLoginPageKeepsTheFirstFormValid() {
        String first = TestServer.csrf(t.get("/login").body());
        assertThat(t.get("/favicon.ico").statusCode()).isEqualTo(204);
        assertThat(TestServer.csrf(t.get("/login?next=%2Fruns").body())).isEqualTo(first);
        HttpResponse<String> r = t.postForm("/login", Map.of("_csrf", first, "username", "admin", "password", TestServer.PASSWORD, "next", "/runs"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/runs");
    }

    @Test
    void loginFormItselfNeedsItsCsrfToken() {
        t.get("/login");
        HttpResponse<String> r = t.postForm("/login", Map.of("username", "admin", "password", TestServer.PASSWORD, "_csrf", "forged"));
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void loginNeverRedirectsToAnotherSite() {
        assertThat(TributaryServer.safeNext("//evil.example.com/")).isEqualTo("/");
        assertThat(TributaryServer.safeNext("https://evil.example.com/")).isEqualTo("/");
        assertThat(TributaryServer.safeNext("/runs/3")).isEqualTo("/runs/3");
    }

    @Test
    void securityHeadersOnPagesAndNoStoreOnTheApi() {
        HttpResponse<String> login = t.get("/login");
        assertThat(login.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(login.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("script-src 'self' 'unsafe-inline'"));
        HttpResponse<String> api = t.get("/api/v1/pipelines", TestServer.TOKEN);
        assertThat(api.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void defaultSettingsBindTheServerToLoopbackOnly() {
        ServerSettings defaults = TestServer.settings("{}");
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        TributaryServer server = new TributaryServer(defaults.withPort(0), new FakePipelineService(), ProjectData.NONE);
        try {
            server.start();
            assertThat(server.boundHosts()).containsExactly("127.0.0.1");
        } finally {
            server.stop();
        }
    }
}
