package dev.tributary.sandbox.hubspot;

import dev.tributary.sandbox.hubspot.data.PortalScale;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that shapes one sandbox: port, seed, scale, portals, rate limits, token lifetime, search lag and
 * limits. Immutable; build with {@link #builder()} or parse command-line flags with {@link #fromArgs(String...)}.
 */
public record SandboxOptions(
        int port,
        long seed,
        PortalScale scale,
        int portals,
        boolean rateLimitsEnabled,
        int privateAppTenSecondLimit,
        int oauthAppTenSecondLimit,
        int searchPerSecondLimit,
        int dailyLimit,
        int searchLagSeconds,
        int accessTokenTtlSeconds,
        int maxUrlBytes,
        double errorRate,
        Instant clockStart,
        boolean clockFrozen,
        Instant dataAnchor,
        int maxFilterGroups,
        int maxFiltersPerGroup,
        int maxFiltersTotal,
        String appClientId,
        String appClientSecret) {

    /**
     * HubSpot's ten-second burst limits: 100 free/starter private apps, 190 professional/enterprise; public OAuth apps
     * get 100 per installed account (HubSpot's limits page, checked 2026-12-06; it said 110 before).
     */
    public static final int STARTER_TEN_SECOND_LIMIT = 100;
    public static final int PROFESSIONAL_TEN_SECOND_LIMIT = 190;
    public static final int OAUTH_TEN_SECOND_LIMIT = 100;
    /** Up to this many portals: they are generated when first used, so a thousand installs cost only what they touch. */
    public static final int MAX_PORTALS = 100_000;

    public SandboxOptions {
        Objects.requireNonNull(scale, "scale is null");
        Objects.requireNonNull(clockStart, "clockStart is null");
        Objects.requireNonNull(dataAnchor, "dataAnchor is null");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
        if (portals < 1 || portals > MAX_PORTALS) throw new IllegalArgumentException("portals must be 1.." + MAX_PORTALS + ": " + portals);
        if (appClientId != null && !appClientId.matches("[A-Za-z0-9._-]{1,200}")) throw new IllegalArgumentException("app client id: letters, digits, '.', '_' and '-' only");
        if (appClientSecret != null && appClientSecret.isBlank()) throw new IllegalArgumentException("app client secret must not be blank");
        if (errorRate < 0 || errorRate > 1) throw new IllegalArgumentException("error rate must be 0..1: " + errorRate);
        if (accessTokenTtlSeconds < 1) throw new IllegalArgumentException("token TTL must be positive");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.port = port; b.seed = seed; b.scale = scale; b.portals = portals; b.rateLimitsEnabled = rateLimitsEnabled;
        b.privateAppTenSecondLimit = privateAppTenSecondLimit; b.oauthAppTenSecondLimit = oauthAppTenSecondLimit;
        b.searchPerSecondLimit = searchPerSecondLimit; b.dailyLimit = dailyLimit; b.searchLagSeconds = searchLagSeconds;
        b.accessTokenTtlSeconds = accessTokenTtlSeconds; b.maxUrlBytes = maxUrlBytes; b.errorRate = errorRate;
        b.clockStart = clockStart; b.clockFrozen = clockFrozen; b.dataAnchor = dataAnchor;
        b.maxFilterGroups = maxFilterGroups; b.maxFiltersPerGroup = maxFiltersPerGroup; b.maxFiltersTotal = maxFiltersTotal;
        b.appClientId = appClientId; b.appClientSecret = appClientSecret;
        return b;
    }

    /**
     * Parses flags: --port N, --seed N, --scale contacts=N[,companies=N,...] (or just N contacts), --portals N,
     * --rate-limit N|off, --oauth-rate-limit N, --search-rate N, --daily-limit N, --search-lag SECONDS,
     * --token-ttl SECONDS, --max-url-bytes N, --error-rate F, --bulk-update N, --clock ISO|frozen.
     */
    public static SandboxOptions fromArgs(String... args) {
        Builder b = builder();
        String scaleSpec = null;
        Integer bulk = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + flag);
                value = args[++i];
            }
            switch (flag) {
                case "--port" -> b.port(Integer.parseInt(value));
                case "--seed" -> b.seed(Long.parseLong(value));
                case "--scale" -> scaleSpec = value;
                case "--portals" -> b.portals(Integer.parseInt(value));
                case "--rate-limit" -> {
                    if (value.equalsIgnoreCase("off") || value.equals("0")) b.rateLimitsEnabled(false);
                    else b.privateAppTenSecondLimit(Integer.parseInt(value));
                }
                case "--oauth-rate-limit" -> b.oauthAppTenSecondLimit(Integer.parseInt(value));
                case "--search-rate" -> b.searchPerSecondLimit(Integer.parseInt(value));
                case "--daily-limit" -> b.dailyLimit(Integer.parseInt(value));
                case "--search-lag" -> b.searchLagSeconds(Integer.parseInt(value));
                case "--token-ttl" -> b.accessTokenTtlSeconds(Integer.parseInt(value));
                case "--max-url-bytes" -> b.maxUrlBytes(Integer.parseInt(value));
                case "--error-rate" -> b.errorRate(Double.parseDouble(value));
                case "--app-client-id" -> b.appClientId(value);
                case "--app-client-secret" -> b.appClientSecret(value);
                case "--bulk-update" -> bulk = Integer.parseInt(value);
                case "--clock" -> {
                    if (value.equalsIgnoreCase("frozen")) b.clockFrozen(true);
                    else b.clockStart(Instant.parse(value));
                }
                default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage());
            }
        }
        PortalScale scale = scaleSpec == null ? PortalScale.forContacts(1_000) : PortalScale.parse(scaleSpec);
        if (bulk != null) scale = scale.withBulkUpdateSize(bulk);
        return b.scale(scale).build();
    }

    public static String usage() {
        return String.join("\n",
                "options: --port N (0 = random) --seed N --scale contacts=N[,companies=N,deals=N,tickets=N,products=N,",
                "         line_items=N,subscriptions=N,owners=N] --portals N --rate-limit N|off --oauth-rate-limit N",
                "         --search-rate N --daily-limit N --search-lag SECONDS --token-ttl SECONDS --max-url-bytes N",
                "         --error-rate F --bulk-update N --clock ISO-INSTANT|frozen",
                "         --app-client-id ID --app-client-secret SECRET (the installable OAuth app; derived from the seed",
                "         when absent) --portals up to " + MAX_PORTALS + " (each generated when first used)");
    }

    /** A banner describing the configuration (no secrets). */
    public String describe() {
        List<String> lines = new ArrayList<>();
        lines.add("HubSpot sandbox: seed " + seed + ", " + portals + " portal(s), " + scale.describe());
        lines.add(rateLimitsEnabled
                ? String.format(Locale.ROOT, "rate limits: %d/10s private app, %d/10s OAuth app, %d/s search, %d/day",
                        privateAppTenSecondLimit, oauthAppTenSecondLimit, searchPerSecondLimit, dailyLimit)
                : "rate limits: off");
        lines.add("access tokens live " + accessTokenTtlSeconds + " s; search index lag " + searchLagSeconds
                + " s; max URL " + maxUrlBytes + " bytes; error rate " + errorRate);
        return String.join("\n", lines);
    }

    public static final class Builder {
        private int port = 0;
        private long seed = 42;
        private PortalScale scale = PortalScale.forContacts(1_000);
        private int portals = 1;
        private boolean rateLimitsEnabled = true;
        private int privateAppTenSecondLimit = STARTER_TEN_SECOND_LIMIT;
        private int oauthAppTenSecondLimit = OAUTH_TEN_SECOND_LIMIT;
        private int searchPerSecondLimit = 5;
        private int dailyLimit = 250_000;
        private int searchLagSeconds = 2;
        private int accessTokenTtlSeconds = 1800;
        private int maxUrlBytes = 8192;
        private double errorRate = 0;
        private Instant clockStart = Instant.now();
        private boolean clockFrozen = false;
        private Instant dataAnchor = Instant.parse("2025-06-01T00:00:00Z");
        private int maxFilterGroups = 5;
        private String appClientId;
        private String appClientSecret;

        /** The OAuth app's client id (default: derived from the seed). */
        public Builder appClientId(String id) { this.appClientId = id; return this; }

        /** The OAuth app's client secret (default: derived from the seed). */
        public Builder appClientSecret(String secret) { this.appClientSecret = secret; return this; }

        private int maxFiltersPerGroup = 6;
        private int maxFiltersTotal = 18;

        public Builder port(int v) { port = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder scale(PortalScale v) { scale = v; return this; }
        public Builder contacts(int contacts) { scale = PortalScale.forContacts(contacts); return this; }
        public Builder portals(int v) { portals = v; return this; }
        public Builder rateLimitsEnabled(boolean v) { rateLimitsEnabled = v; return this; }
        public Builder privateAppTenSecondLimit(int v) { privateAppTenSecondLimit = v; return this; }
        public Builder oauthAppTenSecondLimit(int v) { oauthAppTenSecondLimit = v; return this; }
        public Builder searchPerSecondLimit(int v) { searchPerSecondLimit = v; return this; }
        public Builder dailyLimit(int v) { dailyLimit = v; return this; }
        public Builder searchLagSeconds(int v) { searchLagSeconds = v; return this; }
        public Builder accessTokenTtlSeconds(int v) { accessTokenTtlSeconds = v; return this; }
        public Builder maxUrlBytes(int v) { maxUrlBytes = v; return this; }
        public Builder errorRate(double v) { errorRate = v; return this; }
        public Builder clockStart(Instant v) { clockStart = v; return this; }
        public Builder clockFrozen(boolean v) { clockFrozen = v; return this; }
        public Builder dataAnchor(Instant v) { dataAnchor = v; return this; }
        public Builder searchFilterLimits(int groups, int perGroup, int total) {
            maxFilterGroups = groups; maxFiltersPerGroup = perGroup; maxFiltersTotal = total; return this;
        }

        public SandboxOptions build() {
            return new SandboxOptions(port, seed, scale, portals, rateLimitsEnabled, privateAppTenSecondLimit,
                    oauthAppTenSecondLimit, searchPerSecondLimit, dailyLimit, searchLagSeconds, accessTokenTtlSeconds,
                    maxUrlBytes, errorRate, clockStart, clockFrozen, dataAnchor, maxFilterGroups, maxFiltersPerGroup,
                    maxFiltersTotal, appClientId, appClientSecret);
        }
    }
}
