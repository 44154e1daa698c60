package dev.tributary.sandbox.wrike;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What shapes one Wrike sandbox: port, seed, workspace size, the account's region, the per-user rate limit,
 * token lifetime and faults. Immutable; build with {@link #builder()} or parse flags with {@link #fromArgs(String...)}.
 */
public record WrikeSandboxOptions(
        int port,
        long seed,
        int tasks,
        int users,
        boolean euAccount,
        boolean rateLimitsEnabled,
        int requestsPerMinute,
        int accessTokenTtlSeconds,
        double errorRate,
        Instant clockStart,
        boolean clockFrozen,
        Instant dataAnchor) {

    /** Wrike's documented pace: about 400 requests per minute per user, enforced per second. */
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 400;

    public WrikeSandboxOptions {
        Objects.requireNonNull(clockStart, "clockStart is null");
        Objects.requireNonNull(dataAnchor, "dataAnchor is null");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
        if (tasks < 0 || tasks > 5_000_000) throw new IllegalArgumentException("tasks must be 0..5,000,000: " + tasks);
        if (users < 1 || users > 10_000) throw new IllegalArgumentException("users must be 1..10,000: " + users);
        if (requestsPerMinute < 1) throw new IllegalArgumentException("requests per minute must be positive: " + requestsPerMinute);
        if (errorRate < 0 || errorRate > 1) throw new IllegalArgumentException("error rate must be 0..1: " + errorRate);
        if (accessTokenTtlSeconds < 1) throw new IllegalArgumentException("token TTL must be positive");
    }

    public static Builder builder() { return new Builder(); }

    /**
     * Flags: --port N, --seed N, --tasks N, --users N, --region us|eu, --rate-limit N|off (requests per minute),
     * --token-ttl SECONDS, --error-rate F, --clock ISO|frozen.
     */
    public static WrikeSandboxOptions fromArgs(String... args) {
        Builder b = builder();
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
            try {
                switch (flag) {
                    case "--port" -> b.port(Integer.parseInt(value));
                    case "--seed" -> b.seed(Long.parseLong(value));
                    case "--tasks" -> b.tasks(Integer.parseInt(value.replace("_", "").replace(",", "")));
                    case "--users" -> b.users(Integer.parseInt(value));
                    case "--region" -> {
                        switch (value.toLowerCase(Locale.ROOT)) {
                            case "us" -> b.euAccount(false);
                            case "eu" -> b.euAccount(true);
                            default -> throw new IllegalArgumentException("--region must be us or eu, got '" + value + "'");
                        }
                    }
                    case "--rate-limit" -> {
                        if (value.equalsIgnoreCase("off")) b.rateLimitsEnabled(false);
                        else b.requestsPerMinute(Integer.parseInt(value));
                    }
                    case "--token-ttl" -> b.accessTokenTtlSeconds(Integer.parseInt(value));
                    case "--error-rate" -> b.errorRate(Double.parseDouble(value));
                    case "--clock" -> {
                        if (value.equalsIgnoreCase("frozen")) b.clockFrozen(true);
                        else b.clockStart(Instant.parse(value));
                    }
                    default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage());
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " wants a number, got '" + value + "'");
            }
        }
        return b.build();
    }

    public static String usage() {
        return String.join("\n",
                "options: --port N (0 = random) --seed N --tasks N (default 2000) --users N (default 12) --region us|eu",
                "         --rate-limit N|off (requests per minute per user, default 400) --token-ttl SECONDS (default 3600)",
                "         --error-rate F --clock ISO-INSTANT|frozen");
    }

    /** A banner line describing the configuration (no secrets). */
    public String describe() {
        return String.format(Locale.ROOT, "Wrike sandbox: seed %d, %,d tasks, %d users, %s account; rate limit %s; access tokens live %d s; error rate %s",
                seed, tasks, users, euAccount ? "EU" : "US", rateLimitsEnabled ? requestsPerMinute + "/min per user" : "off",
                accessTokenTtlSeconds, errorRate);
    }

    public static final class Builder {
        private int port = 0;
        private long seed = 42;
        private int tasks = 2_000;
        private int users = 12;
        private boolean euAccount = false;
        private boolean rateLimitsEnabled = true;
        private int requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE;
        private int accessTokenTtlSeconds = 3600;
        private double errorRate = 0;
        private Instant clockStart = Instant.now();
        private boolean clockFrozen = false;
        private Instant dataAnchor = Instant.parse("2025-06-01T00:00:00Z");

        public Builder port(int v) { port = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder tasks(int v) { tasks = v; return this; }
        public Builder users(int v) { users = v; return this; }
        public Builder euAccount(boolean v) { euAccount = v; return this; }
        public Builder rateLimitsEnabled(boolean v) { rateLimitsEnabled = v; return this; }
        public Builder requestsPerMinute(int v) { requestsPerMinute = v; return this; }
        public Builder accessTokenTtlSeconds(int v) { accessTokenTtlSeconds = v; return this; }
        public Builder errorRate(double v) { errorRate = v; return this; }
        public Builder clockStart(Instant v) { clockStart = v; return this; }
        public Builder clockFrozen(boolean v) { clockFrozen = v; return this; }
        public Builder dataAnchor(Instant v) { dataAnchor = v; return this; }

        public WrikeSandboxOptions build() {
            return new WrikeSandboxOptions(port, seed, tasks, users, euAccount, rateLimitsEnabled, requestsPerMinute,
                    accessTokenTtlSeconds, errorRate, clockStart, clockFrozen, dataAnchor);
        }
    }
}
