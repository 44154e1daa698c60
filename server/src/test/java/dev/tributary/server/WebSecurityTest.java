package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The attacks of issue 12 against the real server on a free loopback port. */
class WebSecurityTest {
    private static final Map<String, String> ENV = Map.of(ServerSettings.ENV_ADMIN_PASSWORD, "pw");

    private static HttpRequest loginRequest(TestServer t, String csrf, String user, String password, String next) {
        String body = "_csrf=" + csrf + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8) + "&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(t.uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    // ---- login lockout

    @Test
    void aBurstOfParallelGuessesGetsOnlyTheFreeAttemptsAndThenLocksTheRightPasswordOut() {
        // a clock that stands still: the lockout cannot run out while the test runs, however slow the machine
        Clock frozen = Clock.fixed(Instant.parse("2026-12-06T05:00:00Z"), ZoneOffset.UTC);
        try (TestServer t = new TestServer(new FakePipelineService(), ProjectData.NONE, "port: 0", frozen)) {
            String csrf = TestServer.csrf(t.get("/login").body());
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                burst.add(t.client.sendAsync(loginRequest(t, csrf, "admin", "guess" + i, "/"), HttpResponse.BodyHandlers.ofString()));
            }
            Map<Integer, Long> statuses = burst.stream().map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
            // before the fix every guess was checked before any was recorded: 40 hashed guesses, 40 x 401
            assertThat(statuses).containsOnlyKeys(401, 429);
            assertThat(statuses.get(401)).isEqualTo(LoginThrottle.FREE_FAILURES + 1L);
            assertThat(statuses.get(429)).isEqualTo(40L - LoginThrottle.FREE_FAILURES - 1);

            HttpResponse<String> right = t.send(loginRequest(t, csrf, "admin", TestServer.PASSWORD, "/"));
            assertThat(right.statusCode()).isEqualTo(429);
            assertThat(right.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(TributaryServer.SESSION_COOKIE + "=") && !c.contains("Max-Age=0"));
            assertThat(t.get("/").statusCode()).isEqualTo(303);
        }
    }

    // ---- open redirect

    @Test
    void nextNeverLeavesTheSite() {
        for (String bad : List.of("/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example", "/\\evil.example",
                "/\\\\evil.example", "//evil.example", "/ /evil.example", "/\u00a0/evil.example", "https://evil.example/", "http:/evil.example",
                "javascript:alert(1)", "evil.example", "", "/login?next=//evil.example", "/\u0000/evil.example", "/runs\u2028")) {
            assertThat(TributaryServer.safeNext(bad)).as("next=%s", bad.replace("\t", "\\t").replace("\n", "\\n")).isEqualTo("/");
        }
        for (String good : List.of("/", "/runs/3", "/runs?pipeline=revops&page=2", "/models/%E5%90%8D%E5%89%8D", "/%09/evil.example", "/runs#steps")) {
            assertThat(TributaryServer.safeNext(good)).isEqualTo(good);
        }
    }

    @Test
    void aLoggedInBrowserIsNotSentAwayByATabInNext() {
        try (TestServer t = new TestServer(new FakePipelineService())) {
            t.loginAsAdmin();
            HttpResponse<String> r = t.get("/login?next=%2F%09%2Fevil.example");
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).contains("/");
            assertThat(t.get("/login?next=%2Fruns%3Fpage%3D2").headers().firstValue("Location")).contains("/runs?page=2");
        }
        try (TestServer t = new TestServer(new FakePipelineService())) {
            String csrf = TestServer.csrf(t.get("/login").body());
            HttpResponse<String> r = t.send(loginRequest(t, csrf, "admin", TestServer.PASSWORD, "/\t/evil.example"));
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).contains("/");
        }
    }

    // ---- Host header (DNS rebinding)

    /** A raw HTTP/1.1 request, since java.net.http does not let a caller set Host. Returns the status code. */
    private static int getWithHost(int port, String host, String path, String bearer) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            String request = "GET " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                    + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n") + "Connection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String statusLine = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void onlyLoopbackNamesAreAnsweredByDefault() throws IOException {
        try (TestServer t = new TestServer(new FakePipelineService())) {
            int port = t.port;
            for (String ok : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port, "localhost.:" + port)) {
                assertThat(getWithHost(port, ok, "/login", null)).as("Host: %s", ok).isEqualTo(200);
            }
            for (String bad : List.of("evil.example:" + port, "evil.example", "localhost.evil.example:" + port, "127.0.0.1.nip.io:" + port,
                    "localhost:" + (port == 65535 ? 1 : port + 1), "localhost")) {
                assertThat(getWithHost(port, bad, "/login", null)).as("Host: %s", bad).isEqualTo(421);
                assertThat(getWithHost(port, bad, "/api/v1/pipelines", TestServer.TOKEN)).as("API with Host: %s", bad).isEqualTo(421);
                assertThat(getWithHost(port, bad, "/static/tributary.css", null)).as("static with Host: %s", bad).isEqualTo(421);
            }
            assertThat(getWithHost(port, "localhost:x", "/login", null)).isIn(400, 421); // Jetty refuses it before us
            assertThat(getWithHost(port, "127.0.0.1:" + port, "/api/v1/pipelines", TestServer.TOKEN)).isEqualTo(200);
        }
    }

    @Test
    void thePublicUrlHostAndTheAllowedHostsAreAnswered() throws IOException {
        try (TestServer t = new TestServer(new FakePipelineService(), ProjectData.NONE,
                "port: 0\npublic_url: https://Tributary.Example.com/\nallowed_hosts: [tributary.internal, \"ops.internal:8443\"]")) {
            int port = t.port;
            assertThat(getWithHost(port, "tributary.example.com", "/login", null)).isEqualTo(200);
            assertThat(getWithHost(port, "tributary.example.com:443", "/login", null)).isEqualTo(200);
            assertThat(getWithHost(port, "tributary.example.com:8080", "/login", null)).isEqualTo(421);
            assertThat(getWithHost(port, "tributary.internal:" + port, "/login", null)).isEqualTo(200);
            assertThat(getWithHost(port, "tributary.internal", "/login", null)).isEqualTo(200);
            assertThat(getWithHost(port, "ops.internal:8443", "/login", null)).isEqualTo(200);
            assertThat(getWithHost(port, "ops.internal:" + port, "/login", null)).isEqualTo(421);
            assertThat(getWithHost(port, "evil.example", "/login", null)).isEqualTo(421);
            assertThat(getWithHost(port, "localhost:" + port, "/login", null)).isEqualTo(200);
        }
    }

    @Test
    void badAllowedHostsAreConfigurationErrors() {
        assertThatThrownBy(() -> ServerSettings.parse(TestServer.serverConfig("port: 0\nallowed_hosts: [\"http://tributary.internal/\"]"), ENV))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.allowed_hosts").hasMessageContaining("tributary.yml:3");
    }

    // ---- settings

    @Test
    void anUpperCaseHttpsPublicUrlStillMakesCookiesSecure() {
        try (TestServer t = new TestServer(new FakePipelineService(), ProjectData.NONE, "port: 0\npublic_url: HTTPS://Tributary.Example.com")) {
            HttpResponse<String> page = t.get("/login");
            assertThat(page.headers().allValues("Set-Cookie")).isNotEmpty().allMatch(c -> c.contains("; Secure"));
            // the client's cookie jar keeps Secure cookies off plain http, so the test hands the login cookie over itself
            String loginCookie = page.headers().allValues("Set-Cookie").get(0);
            loginCookie = loginCookie.substring(0, loginCookie.indexOf(';'));
            HttpRequest login = HttpRequest.newBuilder(loginRequest(t, TestServer.csrf(page.body()), "admin", TestServer.PASSWORD, "/"), (n, v) -> true)
                    .header("Cookie", loginCookie).build();
            HttpResponse<String> r = t.send(login);
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().allValues("Set-Cookie")).isNotEmpty().allMatch(c -> c.contains("; Secure"));
        }
        assertThat(ServerSettings.parse(TestServer.serverConfig("public_url: HTTPS://Tributary.Example.com/x/"), ENV).publicUrl())
                .contains("https://tributary.example.com/x");
        assertThat(ServerSettings.parse(TestServer.serverConfig("public_url: http://localhost:8080"), ENV).secureCookies()).isFalse();
    }

    @Test
    void aPublicUrlThatIsNotAnHttpUrlIsAConfigurationError() {
        for (String bad : List.of("tributary.example.com", "ftp://tributary.example.com", "https://", "https://exa mple.com")) {
            assertThatThrownBy(() -> ServerSettings.parse(TestServer.serverConfig("port: 0\npublic_url: \"" + bad + "\""), ENV))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("server.public_url").hasMessageContaining("tributary.yml:3");
        }
    }

    @Test
    void aSessionTimeoutTooShortOrTooLongIsAConfigurationErrorWithItsLine() {
        for (String bad : List.of("500ms", "59s", "0", "99999999999999999999d", "9999999999999d", "400d")) {
            assertThatThrownBy(() -> ServerSettings.parse(TestServer.serverConfig("port: 0\nsession_timeout: " + bad), ENV))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("server.session_timeout").hasMessageContaining("tributary.yml:3");
        }
        assertThat(ServerSettings.parse(TestServer.serverConfig("session_timeout: 1m"), ENV).sessionTimeout()).hasMinutes(1);
        assertThat(ServerSettings.parse(TestServer.serverConfig("session_timeout: 30d"), ENV).sessionTimeout()).hasDays(30);
    }

    // ---- paging

    @Test
    void aHugePageNumberIsABadRequestNotPageOne() {
        try (TestServer t = new TestServer(new FakePipelineService())) {
            t.loginAsAdmin();
            for (String page : List.of("2147483647", "42949673", "99999999999")) {
                HttpResponse<String> r = t.get("/runs?page=" + page);
                assertThat(r.statusCode()).as("page=%s", page).isEqualTo(400);
                assertThat(r.body()).contains("page").doesNotContain("id=\"runs\"");
            }
            assertThat(t.get("/runs?page=" + WebPages.MAX_RUNS_PAGE).statusCode()).isEqualTo(200);
            assertThat(t.get("/runs?page=2").statusCode()).isEqualTo(200);
        }
    }
}
