package dev.tributary.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Sends calls to one API account: adds the bearer token, waits for the {@link RateLimiter}, retries 5xx answers,
 * dropped connections and timeouts with backoff and jitter (honouring {@code Retry-After}), hands 429s to the
 * {@link TooManyRequestsPolicy}, refreshes an OAuth token once on 401, and turns every other failure into an
 * {@link ApiException} carrying the API's message. Thread-safe; share one per account.
 */
public final class ApiClient {
    private static final int MAX_RATE_LIMIT_WAITS = 200;

    private final HttpClient http;
    private final String baseUrl;
    private final Authenticator auth;
    private final RateLimiter limiter;
    private final RetryPolicy retry;
    private final TooManyRequestsPolicy tooMany;
    private final Sleeper sleeper;
    private final Semaphore concurrency;
    private final Duration timeout;
    private final String userAgent;
    private final RequestCounters counters;
    private final Function<ApiResponse, String> errorMessage;

    private ApiClient(Builder b) {
        this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
        this.auth = b.auth;
        this.counters = b.counters;
        this.limiter = b.limiter != null ? b.limiter
                : RateLimiter.builder().clock(b.clock).sleeper(b.sleeper).counters(counters).window(Integer.MAX_VALUE / 2, Duration.ofSeconds(1)).build();
        this.retry = b.retry;
        this.tooMany = b.tooMany;
        this.sleeper = b.sleeper;
        this.concurrency = new Semaphore(b.maxConcurrency, true);
        this.timeout = b.timeout;
        this.userAgent = b.userAgent;
        this.errorMessage = b.errorMessage;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public RequestCounters counters() {
        return counters;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    /** Sends {@code request} until it succeeds (2xx) or fails for good. */
    public ApiResponse send(ApiRequest request) {
        int failures = 0;
        int rateLimitWaits = 0;
        boolean refreshed = false;
        ApiException last = null;
        while (true) {
            String token = null;
            ApiResponse response;
            try {
                concurrency.acquireUninterruptibly();
                RateLimiter.Permit permit;
                try {
                    permit = limiter.acquire(request.bucket());
                } catch (RuntimeException e) {
                    concurrency.release();
                    throw e;
                }
                try {
                    token = auth == null ? null : auth.token();
                    HttpRequest httpRequest = build(request, token);
                    counters.request();
                    HttpResponse<byte[]> r = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
                    response = new ApiResponse(r.statusCode(), r.headers(), r.body());
                    limiter.release(permit, Optional.of(r.headers()));
                } finally {
                    limiter.release(permit, Optional.empty());
                    concurrency.release();
                }
            } catch (IOException e) {
                // a dropped connection, a truncated body or a timeout: the call may or may not have happened; reads are safe to repeat
                counters.connectionFailure();
                last = new ApiException(request.describe() + " failed: " + (e instanceof HttpTimeoutException ? "timed out"
                        : "connection failed (" + e.getClass().getSimpleName() + ")"), e);
                if (++failures >= retry.maxAttempts()) throw gaveUp(request, failures, last);
                counters.retry();
                sleeper.sleep(retry.delay(failures - 1));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(request.describe() + " interrupted", e);
            }
            counters.status(response.status());
            int status = response.status();
            if (response.isSuccess()) return response;
            if (status == 429) {
                counters.tooMany();
                TooManyRequestsPolicy.Decision d = tooMany.decide(response, limiter);
                if (d.stops()) throw new RateLimitStopException(d.stopMessage());
                if (++rateLimitWaits > MAX_RATE_LIMIT_WAITS) throw error(request, response, token);
                sleeper.sleep(d.delay());
                continue;
            }
            if (status == 401 && auth != null && !refreshed) {
                refreshed = true;
                if (auth.refreshAfterRejection(token)) continue;
            }
            if (status >= 500 && status != 501 && status != 530) {
                last = error(request, response, token);
                if (++failures >= retry.maxAttempts()) throw gaveUp(request, failures, last);
                counters.retry();
                Duration wait = retryAfter(response).orElse(retry.delay(failures - 1));
                sleeper.sleep(wait);
                continue;
            }
            throw error(request, response, token);
        }
    }

    private static RuntimeException gaveUp(ApiRequest request, int attempts, ApiException last) {
        return new dev.tributary.spi.TransientException(request.describe() + " still failing after " + attempts + " attempts: "
                + last.getMessage(), last);
    }

    private ApiException error(ApiRequest request, ApiResponse response, String token) {
        String message = errorMessage.apply(response);
        if (message != null && token != null && token.length() >= 8) message = message.replace(token, "[redacted]");
        return new ApiException(response.status(), request.describe(), message, ApiException.excerpt(response.text(), token));
    }

    private HttpRequest build(ApiRequest request, String token) {
        String url = request.url().startsWith("http://") || request.url().startsWith("https://") ? request.url() : baseUrl + request.url();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json")
                .header("User-Agent", userAgent);
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (request.body() != null) {
            b.header("Content-Type", request.contentType() == null ? "application/json" : request.contentType());
            b.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        } else {
            b.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    /** {@code Retry-After} in seconds, when the answer has one. */
    public static Optional<Duration> retryAfter(ApiResponse response) {
        Optional<String> v = response.header("Retry-After");
        if (v.isEmpty()) return Optional.empty();
        try {
            long s = Long.parseLong(v.get().trim());
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.min(s, 3600)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The {@code message} field of a JSON error body, else nothing. */
    public static String jsonMessage(ApiResponse response) {
        var m = response.json().path("message");
        return m.isTextual() ? m.asText() : null;
    }

    public static final class Builder {
        private final String baseUrl;
        private Authenticator auth;
        private RateLimiter limiter;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private TooManyRequestsPolicy tooMany = TooManyRequestsPolicy.RETRY_AFTER;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private int maxConcurrency = 4;
        private Duration timeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(20);
        private String userAgent = "tributary";
        private RequestCounters counters = new RequestCounters();
        private Function<ApiResponse, String> errorMessage = ApiClient::jsonMessage;
        private HttpClient http;

        private Builder(String baseUrl) {
            this.baseUrl = java.util.Objects.requireNonNull(baseUrl, "baseUrl is null");
        }

        public Builder auth(Authenticator v) { auth = v; return this; }
        public Builder limiter(RateLimiter v) { limiter = v; return this; }
        public Builder retry(RetryPolicy v) { retry = v; return this; }
        public Builder tooManyRequests(TooManyRequestsPolicy v) { tooMany = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder sleeper(Sleeper v) { sleeper = v; return this; }
        public Builder maxConcurrency(int v) {
            if (v < 1) throw new IllegalArgumentException("max concurrency must be at least 1");
            maxConcurrency = v; return this;
        }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder userAgent(String v) { userAgent = v; return this; }
        public Builder counters(RequestCounters v) { counters = v; return this; }
        /** How to find the API's own message in an error body (default: the JSON {@code message} field). */
        public Builder errorMessage(Function<ApiResponse, String> v) { errorMessage = v; return this; }
        public Builder httpClient(HttpClient v) { http = v; return this; }

        public ApiClient build() {
            return new ApiClient(this);
        }
    }
}
