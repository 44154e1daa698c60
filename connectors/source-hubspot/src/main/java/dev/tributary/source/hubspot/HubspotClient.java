package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.ApiClient;
import dev.tributary.http.ApiException;
import dev.tributary.http.ApiRequest;
import dev.tributary.http.ApiResponse;
import dev.tributary.http.Authenticator;
import dev.tributary.http.BearerToken;
import dev.tributary.http.OAuth2RefreshToken;
import dev.tributary.http.RateLimiter;
import dev.tributary.http.ApiAccounts;
import dev.tributary.http.RequestCounters;
import dev.tributary.http.Sleeper;
import dev.tributary.http.TooManyRequestsPolicy;
import dev.tributary.spi.SecretStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HubSpot's API for one account: one {@link ApiClient}, hence one rate limiter and one token refresher, shared by
 * every stream of every connection that uses the same credentials against the same base URL in this process.
 */
final class HubspotClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SEARCH_BUCKET = "search";
    private static final RateLimiter.HeaderNames HEADERS = new RateLimiter.HeaderNames("X-HubSpot-RateLimit-Max",
            "X-HubSpot-RateLimit-Remaining", "X-HubSpot-RateLimit-Interval-Milliseconds", "X-HubSpot-RateLimit-Daily",
            "X-HubSpot-RateLimit-Daily-Remaining");
    /**
     * The most clients kept (one per account and settings): a server syncing thousands of tenants would otherwise keep a
     * client, limiter and token for every tenant it ever synced. The least recently used goes first; a sync holding an
     * evicted client finishes with it (its limiter follows HubSpot's own rate-limit headers either way).
     */
    static final int MAX_CLIENTS = 256;
    /** Access-ordered, guarded by itself. */
    private static final Map<String, HubspotClient> ACCOUNTS = new java.util.LinkedHashMap<>(64, 0.75f, true);

    private final ApiClient api;
    private final Authenticator auth;
    private final Clock clock;
    private final ApiAccounts.Account account;

    private HubspotClient(HubspotConfig config, Clock clock, Sleeper sleeper, SecretStore secrets) {
        this.clock = clock;
        RequestCounters counters = new RequestCounters();
        RateLimiter limiter = RateLimiter.builder().clock(clock).sleeper(sleeper).headers(HEADERS).apiName("HubSpot")
                .window(100, Duration.ofSeconds(10)) // private apps (free/starter) and public OAuth apps per installed account alike
                .bucket(SEARCH_BUCKET, 5, Duration.ofSeconds(1))
                .dailyBudgetShare(config.dailyBudgetShare()).counters(counters).build();
        HubspotConfig.Credentials c = config.credentials();
        this.auth = c.isOAuth()
                ? oauth(config, clock, sleeper, new StoredRefreshToken(secrets, config.baseUrl(), c.clientId(), c.refreshToken()))
                : new BearerToken(c.accessToken());
        this.api = ApiClient.builder(config.baseUrl()).auth(auth).limiter(limiter).sleeper(sleeper).clock(clock)
                .tooManyRequests(HubspotClient::onTooManyRequests).maxConcurrency(config.maxConcurrency())
                .counters(counters).userAgent("tributary-source-hubspot").build();
        // the account as /metrics shows it: the API host and a short fingerprint of the credentials (never the token)
        String host = URI.create(config.baseUrl()).getAuthority();
        this.account = new ApiAccounts.Account("hubspot", host + "/" + c.fingerprint().substring(0, Math.min(8, c.fingerprint().length())), counters, limiter);
        ApiAccounts.register(account);
    }

    /** The refresh token to start from (the stored rotated one, unless the configured one changed); rotations are stored. */
    private static OAuth2RefreshToken oauth(HubspotConfig config, Clock clock, Sleeper sleeper, StoredRefreshToken stored) {
        HubspotConfig.Credentials c = config.credentials();
        return new OAuth2RefreshToken(URI.create(config.baseUrl() + "/oauth/v1/token"), c.clientId(), c.clientSecret(), stored.current(),
                stored::rotated, Duration.ofMinutes(5), clock, sleeper);
    }

    /** The shared client of the account these settings name. */
    static HubspotClient of(HubspotConfig config, Clock clock, Sleeper sleeper, SecretStore secrets) {
        String key = config.baseUrl() + "|" + config.credentials().fingerprint() + "|" + config.dailyBudgetShare() + "|"
                + config.maxConcurrency() + "|" + System.identityHashCode(clock) + "|" + System.identityHashCode(sleeper)
                + "|" + secrets; // the store's location: a long-running server opens a new store object per sync of the same project
        synchronized (ACCOUNTS) {
            HubspotClient client = ACCOUNTS.get(key);
            if (client != null) return client;
            client = new HubspotClient(config, clock, sleeper, secrets);
            ACCOUNTS.put(key, client);
            var eldest = ACCOUNTS.entrySet().iterator();
            while (ACCOUNTS.size() > MAX_CLIENTS) {
                HubspotClient dropped = eldest.next().getValue();
                eldest.remove();
                ApiAccounts.unregister(dropped.account);
            }
            return client;
        }
    }

    /** How many clients are kept (at most {@link #MAX_CLIENTS}). */
    static int cachedClients() {
        synchronized (ACCOUNTS) {
            return ACCOUNTS.size();
        }
    }

    /** On 429, act on HubSpot's policyName: wait out the ten-second window, a second for search, stop on the daily limit. */
    static TooManyRequestsPolicy.Decision onTooManyRequests(ApiResponse response, RateLimiter limiter) {
        String policy = response.json().path("policyName").asText("TEN_SECONDLY_ROLLING");
        var retryAfter = ApiClient.retryAfter(response);
        return switch (policy) {
            case "DAILY" -> TooManyRequestsPolicy.Decision.stop("HubSpot daily API limit reached (429, policy DAILY). "
                    + "Everything up to the last checkpoint is stored; the next sync resumes from there once the limit resets "
                    + "at midnight in the account's time zone. Lower daily_budget_share to leave room for other apps.");
            case "SECONDLY" -> TooManyRequestsPolicy.Decision.waitFor(retryAfter.orElse(Duration.ofSeconds(1)));
            default -> TooManyRequestsPolicy.Decision.waitFor(retryAfter.orElse(
                    Duration.ofMillis(Math.min(limiter.intervalMillis(""), Math.max(250, limiter.millisUntilWindowFrees(""))))));
        };
    }

    Clock clock() {
        return clock;
    }

    RequestCounters counters() {
        return api.counters();
    }

    Authenticator auth() {
        return auth;
    }

    private record Cached(JsonNode value, long fetchedAtMillis) {}

    private static final long METADATA_TTL_MILLIS = 10 * 60 * 1000L;
    private final Map<String, Cached> metadata = new ConcurrentHashMap<>();

    /**
     * A metadata answer (schemas, property definitions) fetched at most once per ten minutes: discovery and the
     * reads that follow it in one run share it; a later run sees properties added since (schema drift).
     */
    JsonNode getMetadata(String pathAndQuery) {
        long now = clock.millis();
        Cached c = metadata.get(pathAndQuery);
        if (c != null && now - c.fetchedAtMillis() < METADATA_TTL_MILLIS) return c.value();
        JsonNode v = get(pathAndQuery);
        metadata.put(pathAndQuery, new Cached(v, now));
        return v;
    }

    JsonNode get(String pathAndQuery) {
        return api.send(ApiRequest.get(pathAndQuery)).json();
    }

    JsonNode post(String path, JsonNode body) {
        return api.send(ApiRequest.postJson(path, body.toString())).json();
    }

    JsonNode search(String objectType, ObjectNode body) {
        return api.send(ApiRequest.postJson("/crm/v3/objects/" + objectType + "/search", body.toString()).inBucket(SEARCH_BUCKET)).json();
    }

    /** The hub id the credentials belong to, when HubSpot says (account-info for private apps, token info for OAuth). */
    java.util.Optional<Long> hubId() {
        try {
            if (auth instanceof OAuth2RefreshToken) {
                try {
                    JsonNode info = get("/oauth/v1/access-tokens/" + auth.token());
                    if (info.path("hub_id").canConvertToLong()) return java.util.Optional.of(info.path("hub_id").asLong());
                } catch (RuntimeException e) {
                    // the path holds the token: never let the message out
                    return java.util.Optional.empty();
                }
            } else {
                JsonNode info = get("/account-info/v3/details");
                if (info.path("portalId").canConvertToLong()) return java.util.Optional.of(info.path("portalId").asLong());
            }
        } catch (ApiException e) {
            if (e.status() != 404 && e.status() != 403) throw e;
        }
        return java.util.Optional.empty();
    }
}
