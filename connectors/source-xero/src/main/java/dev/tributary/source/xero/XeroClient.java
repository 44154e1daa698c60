package dev.tributary.source.xero;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.http.RateLimitStopException;
import dev.tributary.http.RateLimiter;
import dev.tributary.http.RetryPolicy;
import dev.tributary.http.Sleeper;
import dev.tributary.spi.SecretStore;
import dev.tributary.spi.TransientException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Xero's API for one app and grant, shared by every stream and every concurrent sync of it in this process. Each
 * tenant has its own budget (Xero counts per app and tenant): a rolling minute window, the 5-calls-in-flight limit and
 * the daily share, fed by X-MinLimit-Remaining and X-DayLimit-Remaining. 429s are handled by X-Rate-Limit-Problem:
 * minute and concurrent waits wait Retry-After, the daily limit stops the sync with its progress kept.
 */
final class XeroClient {
    private static final Map<String, XeroClient> CLIENTS = new ConcurrentHashMap<>();
    private static final int MAX_RATE_LIMIT_WAITS = 60;
    private static final int CONCURRENT = 5;

    /** One tenant's budget. */
    private final class Budget {
        final RateLimiter minute;
        final Semaphore inFlight = new Semaphore(CONCURRENT);
        volatile long dayRemaining = -1;
        volatile long dayLearnedAt;

        Budget() {
            this.minute = RateLimiter.builder().clock(clock).sleeper(sleeper).apiName("Xero").utilization(1.0)
                    .window(config.minuteLimit(), Duration.ofMinutes(1)).build();
        }
    }

    private final XeroConfig config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final XeroTokens tokens;
    private final HttpClient http;
    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
    private final RetryPolicy retry = RetryPolicy.DEFAULT;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong tooMany = new AtomicLong();

    private XeroClient(XeroConfig config, Clock clock, Sleeper sleeper, SecretStore secrets) {
        this.config = config;
        this.clock = clock;
        this.sleeper = sleeper;
        this.tokens = new XeroTokens(config, secrets, clock, sleeper);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).version(HttpClient.Version.HTTP_1_1).build();
    }

    static XeroClient of(XeroConfig config, Clock clock, Sleeper sleeper, SecretStore secrets) {
        String key = config.connection() + "|" + config.baseUrl() + "|" + config.identityUrl() + "|" + config.fingerprint() + "|" + XeroConfig.sha256(String.valueOf(config.refreshToken()))
                + "|" + config.dailyBudgetShare() + "|" + config.minuteLimit() + "|" + System.identityHashCode(clock) + "|"
                + System.identityHashCode(sleeper) + "|" + secrets;
        return CLIENTS.computeIfAbsent(key, k -> new XeroClient(config, clock, sleeper, secrets));
    }

    Clock clock() { return clock; }

    /** GET /connections: the tenants this grant reaches. */
    List<JsonNode> connections() {
        JsonNode body = send(config.baseUrl() + "/connections", null, null);
        List<JsonNode> out = new ArrayList<>();
        body.forEach(out::add);
        return out;
    }

    /** GET {api}/{path} for a tenant, with If-Modified-Since when {@code since} is given. */
    JsonNode get(String tenant, String pathAndQuery, Instant since) {
        return send(config.baseUrl() + "/api.xro/2.0/" + pathAndQuery, tenant, since);
    }

    private JsonNode send(String url, String tenant, Instant since) {
        int failures = 0;
        int waits = 0;
        boolean refreshed = false;
        Budget budget = tenant == null ? null : budgets.computeIfAbsent(tenant, t -> new Budget());
        while (true) {
            if (budget != null) checkDaily(tenant, budget);
            RateLimiter.Permit permit = null;
            HttpResponse<byte[]> r;
            String token = null;
            try {
                if (budget != null) {
                    budget.inFlight.acquireUninterruptibly();
                    permit = budget.minute.acquire("");
                }
                token = tokens.token();
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                        .header("Accept", "application/json").header("Authorization", "Bearer " + token)
                        .header("User-Agent", "tributary-source-xero");
                if (tenant != null) b.header("xero-tenant-id", tenant);
                if (since != null) b.header("If-Modified-Since", DateTimeFormatter.ISO_INSTANT.format(since.truncatedTo(ChronoUnit.MILLIS)));
                requests.incrementAndGet();
                r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (budget != null) learn(budget, r);
            } catch (IOException e) {
                if (++failures >= retry.maxAttempts()) {
                    throw new TransientException("Xero GET " + describe(url) + " still failing after " + failures + " attempts: "
                            + (e instanceof HttpTimeoutException ? "timed out" : "connection failed (" + e.getClass().getSimpleName() + ")"), e);
                }
                sleeper.sleep(retry.delay(failures - 1));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                if (permit != null) budget.minute.release(permit, Optional.empty());
                if (budget != null) budget.inFlight.release();
            }
            int status = r.statusCode();
            if (status >= 200 && status < 300) {
                try {
                    return XeroTokens.JSON.readTree(r.body());
                } catch (IOException e) {
                    throw new TransientException("Xero GET " + describe(url) + " answered with a body that is not JSON", e);
                }
            }
            String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
            if (status == 429) {
                tooMany.incrementAndGet();
                String problem = r.headers().firstValue("X-Rate-Limit-Problem").orElse("minute");
                long retryAfter = r.headers().firstValue("Retry-After").map(XeroClient::seconds).orElse(1L);
                if (problem.equalsIgnoreCase("day")) {
                    throw new RateLimitStopException("Xero daily API limit reached for tenant " + tenant + " (429, X-Rate-Limit-Problem: day;"
                            + " Xero says retry in " + retryAfter + " s). Progress up to the last checkpoint is kept; the next sync resumes there.");
                }
                if (++waits > MAX_RATE_LIMIT_WAITS) {
                    throw new TransientException("Xero kept answering 429 (" + problem + ") for tenant " + tenant + " after " + waits + " waits");
                }
                if (budget != null && !problem.equalsIgnoreCase("concurrent")) budget.minute.markExhausted("");
                sleeper.sleep(Duration.ofSeconds(Math.max(1, retryAfter)));
                continue;
            }
            if (status == 401 && !refreshed) {
                refreshed = true;
                if (tokens.refreshAfterRejection(token)) continue;
            }
            if (status >= 500 && status != 501) {
                if (++failures >= retry.maxAttempts()) {
                    throw new TransientException("Xero GET " + describe(url) + " still failing after " + failures + " attempts: HTTP " + status);
                }
                sleeper.sleep(retry.delay(failures - 1));
                continue;
            }
            if (status == 403 && tenant != null) {
                throw new IllegalStateException("Xero refused tenant " + tenant + " (403 AuthenticationUnsuccessful): this connection's"
                        + " consent does not (or no longer) cover that organisation; reconnect it in Xero or remove it from 'tenants'");
            }
            throw new IllegalStateException("Xero GET " + describe(url) + (tenant == null ? "" : " (tenant " + tenant + ")") + " failed: HTTP "
                    + status + ": " + excerpt(body, token));
        }
    }

    private void checkDaily(String tenant, Budget b) {
        long remaining = b.dayRemaining;
        // the daily figure is trusted for a while; Xero's day is a rolling 24 hours
        if (remaining < 0 || clock.millis() - b.dayLearnedAt > 15 * 60_000L) return;
        long reserve = config.dailyLimit() - (long) Math.floor(config.dailyLimit() * config.dailyBudgetShare());
        if (remaining <= reserve) {
            throw new RateLimitStopException("Xero daily budget spent for tenant " + tenant + ": X-DayLimit-Remaining says " + remaining
                    + " calls are left in the rolling 24 hours" + (reserve > 0 ? ", and daily_budget_share " + config.dailyBudgetShare()
                    + " (" + Math.round(config.dailyBudgetShare() * 100) + "% of " + config.dailyLimit() + ") keeps " + reserve
                    + " for the organisation's other apps" : "") + ". Progress up to the last checkpoint is kept; the next sync resumes from there.");
        }
    }

    private void learn(Budget b, HttpResponse<?> r) {
        r.headers().firstValue("X-DayLimit-Remaining").ifPresent(v -> {
            try {
                b.dayRemaining = Long.parseLong(v.trim());
                b.dayLearnedAt = clock.millis();
            } catch (NumberFormatException ignored) {
                // not a number: keep what we knew
            }
        });
        r.headers().firstValue("X-MinLimit-Remaining").ifPresent(v -> {
            // another process (or app instance) spent the minute: book the window full, as the server counts it
            if (v.trim().equals("0")) b.minute.markExhausted("");
        });
    }

    private static long seconds(String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String describe(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String excerpt(String body, String token) {
        String s = body == null ? "" : body;
        if (token != null && token.length() >= 8) s = s.replace(token, "[redacted]");
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
