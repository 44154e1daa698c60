package dev.tributary.source.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.http.ApiAccounts;
import dev.tributary.http.ApiClient;
import dev.tributary.http.ApiRequest;
import dev.tributary.http.ApiResponse;
import dev.tributary.http.Authenticator;
import dev.tributary.http.OAuth2RefreshToken;
import dev.tributary.http.RateLimiter;
import dev.tributary.http.RequestCounters;
import dev.tributary.http.RetryPolicy;
import dev.tributary.http.Sleeper;
import dev.tributary.http.TooManyRequestsPolicy;
import dev.tributary.spi.SecretStore;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Sheets and Drive APIs for one account: one {@link ApiClient}, so one read-quota limiter (reads per minute
 * per user) shared by every stream of the connection, and Google's prescribed backoff on 429 (exponential with
 * jitter, up to a wait budget, then a stop that says the quota is exhausted).
 */
final class SheetsClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, SheetsClient> ACCOUNTS = new ConcurrentHashMap<>();
    /** One read-quota window per account (credentials and API), shared by its spreadsheets. */
    private static final Map<String, RateLimiter> LIMITERS = new ConcurrentHashMap<>();

    record FileVersion(Instant modifiedTime, long version) { }

    record TabInfo(int sheetId, String title, int index, int rowCount, int columnCount) { }

    private final SheetsConfig config;
    private final ApiClient api;
    private final String keyParam;

    private SheetsClient(SheetsConfig config, Clock clock, Sleeper sleeper, SecretStore secrets) {
        this.config = config;
        RequestCounters counters = new RequestCounters();
        RateLimiter limiter = LIMITERS.computeIfAbsent(accountKey(config, clock, sleeper), k -> RateLimiter.builder().clock(clock).sleeper(sleeper)
                .headers(RateLimiter.HeaderNames.NONE).apiName("Google Sheets").window(config.readsPerMinute(), Duration.ofMinutes(1)).counters(counters).build());
        Authenticator auth = switch (config.credentials()) {
            case SheetsConfig.ServiceAccount sa -> new ServiceAccountToken(sa, clock);
            case SheetsConfig.RefreshToken rt -> {
                StoredRefreshToken stored = new StoredRefreshToken(secrets, config.tokenUri(), rt.clientId(), rt.refreshToken());
                yield new OAuth2RefreshToken(URI.create(config.tokenUri()), rt.clientId(), rt.clientSecret(), stored.current(),
                        stored::rotated, Duration.ofMinutes(5), clock, sleeper);
            }
            case SheetsConfig.ApiKey k -> null;
        };
        this.keyParam = config.credentials() instanceof SheetsConfig.ApiKey k ? "key=" + enc(k.key()) : null;
        this.api = ApiClient.builder(config.baseUrl()).auth(auth).limiter(limiter).sleeper(sleeper).clock(clock)
                .retry(new RetryPolicy(config.maxAttempts(), Duration.ofMillis(500), Duration.ofSeconds(32)))
                .tooManyRequests(new QuotaBackoff(config.quotaWaitBudget())).counters(counters)
                .errorMessage(SheetsClient::googleMessage).userAgent("tributary-source-sheets").build();
        String host = URI.create(config.baseUrl()).getAuthority();
        ApiAccounts.register(new ApiAccounts.Account("sheets", host + "/" + Integer.toHexString(config.credentials().fingerprint().hashCode()), counters, limiter));
    }

    static SheetsClient of(SheetsConfig config, Clock clock, Sleeper sleeper, SecretStore secrets) {
        String key = accountKey(config, clock, sleeper) + "|" + config.spreadsheetId() + "|" + config.driveUrl() + "|" + config.tokenUri() + "|"
                + config.quotaWaitBudget() + "|" + config.maxAttempts() + "|" + secrets + "|" + config.credentials().secretDigest();
        return ACCOUNTS.computeIfAbsent(key, k -> new SheetsClient(config, clock, sleeper, secrets));
    }

    private static String accountKey(SheetsConfig config, Clock clock, Sleeper sleeper) {
        return config.baseUrl() + "|" + config.credentials().fingerprint() + "|" + config.readsPerMinute() + "|"
                + System.identityHashCode(clock) + "|" + System.identityHashCode(sleeper);
    }

    RequestCounters counters() { return api.counters(); }

    private volatile String unusableReason;
    private volatile long unusableAtNanos;

    /** Discovery found the API unusable: the read that follows in this sync goes to the fallback without asking again. */
    void markUnusable(String reason) {
        unusableReason = reason;
        unusableAtNanos = System.nanoTime();
    }

    /** Discovery reached the API: forget an earlier failure. */
    void markUsable() {
        unusableReason = null;
    }

    /** Why the API was unusable less than a minute ago in this process, or null. */
    String recentlyUnusable() {
        String r = unusableReason;
        if (r == null || System.nanoTime() - unusableAtNanos > 60_000_000_000L) return null;
        return r + " (" + (System.nanoTime() - unusableAtNanos) / 1_000_000_000L + " s ago, while discovering the streams)";
    }

    /** Drive's modifiedTime and version of the spreadsheet: one request, and not a Sheets read. */
    FileVersion fileVersion() {
        JsonNode f = get(config.driveUrl() + "/drive/v3/files/" + enc(config.spreadsheetId()) + "?fields=modifiedTime%2Cversion").json();
        return new FileVersion(Instant.parse(f.path("modifiedTime").asText()), f.path("version").asLong(0));
    }

    List<TabInfo> tabs() {
        JsonNode s = get("/v4/spreadsheets/" + enc(config.spreadsheetId()) + "?fields=" + enc("sheets.properties(sheetId,title,index,gridProperties)")).json();
        List<TabInfo> out = new ArrayList<>();
        for (JsonNode sheet : s.path("sheets")) {
            JsonNode p = sheet.path("properties");
            out.add(new TabInfo(p.path("sheetId").asInt(), p.path("title").asText(), p.path("index").asInt(),
                    p.path("gridProperties").path("rowCount").asInt(), p.path("gridProperties").path("columnCount").asInt()));
        }
        return out;
    }

    /**
     * The number-format type ({@code DATE}, {@code DATE_TIME}, {@code TIME}, {@code CURRENCY}, ...; "" for the
     * automatic format or an empty cell) of each cell of {@code a1}, row by row: spreadsheets.get with grid data for
     * that range, masked to the one field. One Sheets read.
     */
    List<List<String>> numberFormatTypes(String a1) {
        JsonNode s = get("/v4/spreadsheets/" + enc(config.spreadsheetId()) + "?ranges=" + enc(a1)
                + "&fields=" + enc("sheets.data.rowData.values(effectiveFormat/numberFormat/type)")).json();
        List<List<String>> out = new ArrayList<>();
        for (JsonNode sheet : s.path("sheets")) {
            for (JsonNode data : sheet.path("data")) {
                for (JsonNode row : data.path("rowData")) {
                    List<String> cells = new ArrayList<>();
                    for (JsonNode v : row.path("values")) cells.add(v.path("effectiveFormat").path("numberFormat").path("type").asText(""));
                    out.add(cells);
                }
            }
        }
        return out;
    }

    /** A range's cells as stored: numbers as numbers, dates as serial numbers, rows trimmed as Sheets trims them. */
    JsonNode values(String a1) {
        return get("/v4/spreadsheets/" + enc(config.spreadsheetId()) + "/values/" + enc(a1)
                + "?valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER&majorDimension=ROWS").json().path("values");
    }

    private ApiResponse get(String url) {
        String full = keyParam == null ? url : url + (url.contains("?") ? "&" : "?") + keyParam;
        QuotaBackoff.newRequest();
        return api.send(ApiRequest.get(full));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Google's {@code error.message}, with its status name. */
    static String googleMessage(ApiResponse r) {
        JsonNode e = r.json().path("error");
        if (e.isObject()) {
            String status = e.path("status").asText("");
            return e.path("message").asText("") + (status.isEmpty() ? "" : " (" + status + ")");
        }
        return e.isTextual() ? e.asText() + ": " + r.json().path("error_description").asText("") : null;
    }

    /**
     * Google's advice for 429: truncated exponential backoff, 2^n seconds plus up to a second of jitter, at most 64 s,
     * counted per request. Once one request's waits pass the budget, stop: the quota is exhausted for longer than
     * this run is willing to wait.
     */
    static final class QuotaBackoff implements TooManyRequestsPolicy {
        private static final ThreadLocal<long[]> REQUEST = ThreadLocal.withInitial(() -> new long[2]); // {429s, waited ms}
        private final Duration budget;

        QuotaBackoff(Duration budget) {
            this.budget = budget;
        }

        /** A new request starts with no waits behind it. */
        static void newRequest() {
            long[] r = REQUEST.get();
            r[0] = 0;
            r[1] = 0;
        }

        @Override
        public Decision decide(ApiResponse response, RateLimiter limiter) {
            long[] r = REQUEST.get();
            long delay = Math.min(64_000, (1L << Math.min(r[0], 6)) * 1000) + ThreadLocalRandom.current().nextLong(1000);
            r[0]++;
            if (r[1] + delay > budget.toMillis()) {
                return Decision.stop("Google Sheets quota exhausted: still 429 after " + r[0] + " tries and " + Duration.ofMillis(r[1]).toSeconds()
                        + " s of backoff (quota_wait_seconds " + budget.toSeconds() + "): " + googleMessage(response));
            }
            r[1] += delay;
            return Decision.waitFor(Duration.ofMillis(delay));
        }
    }
}
