package dev.tributary.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.spi.TransientException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a tiny JDK server on a random loopback port, answering from a script. */
class ApiClientTest {
    private static final String TOKEN = "secret-token-0123456789";

    /** One scripted answer: status, body, extra headers; or a dropped connection. */
    record Answer(int status, String body, String... headers) {
        static Answer drop() {
            return new Answer(-1, "");
        }
    }

    private HttpServer server;
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<String> authHeaders = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger tokenCalls = new AtomicInteger();
    private volatile String issuedRefresh = "refresh-2";
    private final FakeTime time = new FakeTime();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api", this::api);
        server.createContext("/oauth/token", this::token);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void api(HttpExchange ex) throws IOException {
        authHeaders.add(ex.getRequestHeaders().getFirst("Authorization"));
        ex.getRequestBody().readAllBytes();
        Answer a = script.poll();
        if (a == null) a = new Answer(200, "{\"ok\":true}");
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        if (a.status() < 0) {
            ex.sendResponseHeaders(200, 1000);
            ex.getResponseBody().write("{\"partial".getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            throw new IOException("dropped on purpose");
        }
        for (int i = 0; i + 1 < a.headers().length; i += 2) ex.getResponseHeaders().add(a.headers()[i], a.headers()[i + 1]);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int n = tokenCalls.incrementAndGet();
        String body = form.contains("refresh_token=bad")
                ? "{\"status\":\"BAD_REFRESH_TOKEN\",\"message\":\"missing or unknown refresh token\"}"
                : "{\"access_token\":\"access-" + n + "-abcdefgh\",\"refresh_token\":\"" + issuedRefresh + "\",\"expires_in\":1800}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(form.contains("refresh_token=bad") ? 400 : 200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private ApiClient.Builder client() {
        return ApiClient.builder(base()).auth(new BearerToken(TOKEN)).clock(time).sleeper(time)
                .retry(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5)));
    }

    @Test
    void retriesServerErrorsAndDroppedConnectionsHonouringRetryAfter() {
        script.add(new Answer(503, "{\"message\":\"busy\"}", "Retry-After", "7"));
        script.add(Answer.drop());
        script.add(new Answer(502, ""));
        script.add(new Answer(200, "{\"n\":1}"));
        ApiClient api = client().build();
        ApiResponse r = api.send(ApiRequest.get("/api/things"));
        assertThat(r.json().path("n").asInt()).isEqualTo(1);
        assertThat(time.sleeps.get(0)).isEqualTo(Duration.ofSeconds(7));
        assertThat(time.sleeps).hasSize(3);
        assertThat(api.counters().retries()).isEqualTo(3);
        assertThat(api.counters().connectionFailures()).isEqualTo(1);
        assertThat(authHeaders).allMatch(h -> h.equals("Bearer " + TOKEN));
    }

    @Test
    void givesUpAsTransientAfterMaxAttempts() {
        for (int i = 0; i < 5; i++) script.add(new Answer(500, "{\"message\":\"boom\"}"));
        assertThatThrownBy(() -> client().build().send(ApiRequest.get("/api/x")))
                .isInstanceOf(TransientException.class).hasMessageContaining("5 attempts").hasMessageContaining("boom");
    }

    @Test
    void clientErrorsCarryTheApiMessageAndNeverTheToken() {
        script.add(new Answer(400, "{\"message\":\"Property 'x' does not exist; token was " + TOKEN + "\",\"category\":\"VALIDATION_ERROR\"}"));
        assertThatThrownBy(() -> client().build().send(ApiRequest.get("/api/x?properties=a")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("GET /api/x failed with HTTP 400: Property 'x' does not exist")
                            .doesNotContain(TOKEN).doesNotContain("properties=a");
                    assertThat(e.bodyExcerpt()).contains("VALIDATION_ERROR").doesNotContain(TOKEN);
                });
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void tooManyRequestsFollowThePolicy() {
        script.add(new Answer(429, "{\"policyName\":\"TEN_SECONDLY_ROLLING\"}"));
        script.add(new Answer(200, "{}"));
        ApiClient waits = client().tooManyRequests((r, l) -> TooManyRequestsPolicy.Decision.waitFor(Duration.ofSeconds(3))).build();
        assertThat(waits.send(ApiRequest.get("/api/a")).status()).isEqualTo(200);
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(3));
        assertThat(waits.counters().tooManyRequests()).isEqualTo(1);

        script.add(new Answer(429, "{\"policyName\":\"DAILY\"}"));
        ApiClient stops = client().tooManyRequests((r, l) -> TooManyRequestsPolicy.Decision.stop("daily limit: " + r.json().path("policyName").asText())).build();
        assertThatThrownBy(() -> stops.send(ApiRequest.get("/api/a"))).isInstanceOf(RateLimitStopException.class).hasMessage("daily limit: DAILY");
    }

    @Test
    void oauthRefreshesAheadOfExpiryOnceForAllThreadsAndHandsOverARotatedRefreshToken() throws Exception {
        List<String> rotated = new ArrayList<>();
        OAuth2RefreshToken auth = new OAuth2RefreshToken(URI.create(base() + "/oauth/token"), "client", "client-secret-xyz", "refresh-1",
                rotated::add, Duration.ofMinutes(5), time, time);
        ApiClient api = ApiClient.builder(base()).auth(auth).clock(time).sleeper(time).maxConcurrency(8).build();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) results.add(pool.submit(() -> {
            go.await();
            return api.send(ApiRequest.get("/api/x")).status();
        }));
        go.countDown();
        for (Future<Integer> f : results) assertThat(f.get()).isEqualTo(200);
        pool.shutdown();
        assertThat(tokenCalls.get()).as("one refresh for all threads").isEqualTo(1);
        assertThat(rotated).containsExactly("refresh-2");

        // 26 minutes later the token has under 5 minutes left: refreshed before it is sent
        time.sleep(Duration.ofMinutes(26));
        api.send(ApiRequest.get("/api/x"));
        assertThat(tokenCalls.get()).isEqualTo(2);
        assertThat(authHeaders.get(authHeaders.size() - 1)).isEqualTo("Bearer access-2-abcdefgh");

        // a 401 refreshes once and retries; a second 401 fails
        script.add(new Answer(401, "{\"message\":\"expired\",\"category\":\"EXPIRED_AUTHENTICATION\"}"));
        assertThat(api.send(ApiRequest.get("/api/x")).status()).isEqualTo(200);
        assertThat(tokenCalls.get()).isEqualTo(3);
        script.add(new Answer(401, "{\"message\":\"expired\"}"));
        script.add(new Answer(401, "{\"message\":\"expired\"}"));
        assertThatThrownBy(() -> api.send(ApiRequest.get("/api/x"))).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aBadRefreshTokenFailsClearlyWithoutSecrets() {
        OAuth2RefreshToken auth = new OAuth2RefreshToken(URI.create(base() + "/oauth/token"), "client", "client-secret-xyz", "bad",
                t -> { }, Duration.ofMinutes(5), time, time);
        assertThatThrownBy(auth::token).isInstanceOf(ApiException.class).hasMessageContaining("BAD_REFRESH_TOKEN")
                .hasMessageContaining("Re-authorise").satisfies(e -> assertThat(e.getMessage()).doesNotContain("client-secret-xyz"));
    }
}
