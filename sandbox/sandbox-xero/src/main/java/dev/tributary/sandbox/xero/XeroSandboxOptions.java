package dev.tributary.sandbox.xero;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that shapes one Xero sandbox: port, seed, tenants and their size, Xero's limits, token lifetimes and
 * faults. Immutable; build with {@link #builder()} or parse flags with {@link #fromArgs(String...)}.
 */
public record XeroSandboxOptions(
        int port,
        long seed,
        int tenants,
        int invoicesPerTenant,
        boolean rateLimitsEnabled,
        int minuteLimit,
        int dailyLimit,
        int concurrentLimit,
        int appMinuteLimit,
        int accessTokenTtlSeconds,
        int refreshGraceSeconds,
        int refreshTokenIdleDays,
        double errorRate,
        Instant clockStart,
        boolean clockFrozen,
        Instant dataAnchor) {

    public XeroSandboxOptions {
        Objects.requireNonNull(clockStart, "clockStart is null");
        Objects.requireNonNull(dataAnchor, "dataAnchor is null");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
        if (tenants < 1 || tenants > 50) throw new IllegalArgumentException("tenants must be 1..50: " + tenants);
        if (invoicesPerTenant < 0 || invoicesPerTenant > 5_000_000) throw new IllegalArgumentException("invoices must be 0..5000000: " + invoicesPerTenant);
        if (errorRate < 0 || errorRate > 1) throw new IllegalArgumentException("error rate must be 0..1: " + errorRate);
        if (accessTokenTtlSeconds < 1) throw new IllegalArgumentException("token TTL must be positive");
        if (minuteLimit < 1 || dailyLimit < 1 || concurrentLimit < 1 || appMinuteLimit < 1) throw new IllegalArgumentException("limits must be positive");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses flags: --port N, --seed N, --tenants N, --invoices N (per tenant), --rate-limit off|on, --minute-limit N,
     * --daily-limit N, --concurrent-limit N, --app-minute-limit N, --token-ttl SECONDS, --refresh-grace SECONDS,
     * --error-rate F, --clock ISO|frozen.
     */
    public static XeroSandboxOptions fromArgs(String... args) {
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
                    case "--tenants" -> b.tenants(Integer.parseInt(value));
                    case "--invoices" -> b.invoicesPerTenant(parseCount(value));
                    case "--rate-limit" -> b.rateLimitsEnabled(!value.equalsIgnoreCase("off"));
                    case "--minute-limit" -> b.minuteLimit(Integer.parseInt(value));
                    case "--daily-limit" -> b.dailyLimit(Integer.parseInt(value));
                    case "--concurrent-limit" -> b.concurrentLimit(Integer.parseInt(value));
                    case "--app-minute-limit" -> b.appMinuteLimit(Integer.parseInt(value));
                    case "--token-ttl" -> b.accessTokenTtlSeconds(Integer.parseInt(value));
                    case "--refresh-grace" -> b.refreshGraceSeconds(Integer.parseInt(value));
                    case "--error-rate" -> b.errorRate(Double.parseDouble(value));
                    case "--clock" -> {
                        if (value.equalsIgnoreCase("frozen")) b.clockFrozen(true);
                        else b.clockStart(Instant.parse(value));
                    }
                    default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage());
                }
            } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("bad value for " + flag + ": '" + value + "'");
            }
        }
        return b.build();
    }

    private static int parseCount(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("k")) return Integer.parseInt(s.substring(0, s.length() - 1)) * 1_000;
        if (s.endsWith("m")) return Integer.parseInt(s.substring(0, s.length() - 1)) * 1_000_000;
        return Integer.parseInt(s);
    }

    public static String usage() {
        return String.join("\n",
                "options: --port N (0 = random) --seed N --tenants N --invoices N|50k (per tenant; other documents scale with it)",
                "         --rate-limit on|off --minute-limit N (60) --daily-limit N (5000) --concurrent-limit N (5)",
                "         --app-minute-limit N (10000) --token-ttl SECONDS (1800) --refresh-grace SECONDS (1800)",
                "         --error-rate F --clock ISO-INSTANT|frozen");
    }

    /** A banner describing the configuration (no secrets). */
    public String describe() {
        return "Xero sandbox: seed " + seed + ", " + tenants + " tenant(s), " + invoicesPerTenant + " invoices each\n"
                + (rateLimitsEnabled
                        ? String.format(Locale.ROOT, "rate limits per tenant: %d/min, %d/day, %d concurrent; per app %d/min",
                                minuteLimit, dailyLimit, concurrentLimit, appMinuteLimit)
                        : "rate limits: off (nothing counted; headers show full budgets)")
                + "\naccess tokens live " + accessTokenTtlSeconds + " s; a used refresh token stays valid " + refreshGraceSeconds
                + " s; unused refresh tokens expire after " + refreshTokenIdleDays + " days; error rate " + errorRate;
    }

    public static final class Builder {
        private int port = 0;
        private long seed = 42;
        private int tenants = 2;
        private int invoicesPerTenant = 1_000;
        private boolean rateLimitsEnabled = true;
        private int minuteLimit = 60;
        private int dailyLimit = 5_000;
        private int concurrentLimit = 5;
        private int appMinuteLimit = 10_000;
        private int accessTokenTtlSeconds = 1800;
        private int refreshGraceSeconds = 1800;
        private int refreshTokenIdleDays = 60;
        private double errorRate = 0;
        private Instant clockStart = Instant.now();
        private boolean clockFrozen = false;
        private Instant dataAnchor = Instant.parse("2025-06-01T00:00:00Z");

        public Builder port(int v) { port = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder tenants(int v) { tenants = v; return this; }
        public Builder invoicesPerTenant(int v) { invoicesPerTenant = v; return this; }
        public Builder rateLimitsEnabled(boolean v) { rateLimitsEnabled = v; return this; }
        public Builder minuteLimit(int v) { minuteLimit = v; return this; }
        public Builder dailyLimit(int v) { dailyLimit = v; return this; }
        public Builder concurrentLimit(int v) { concurrentLimit = v; return this; }
        public Builder appMinuteLimit(int v) { appMinuteLimit = v; return this; }
        public Builder accessTokenTtlSeconds(int v) { accessTokenTtlSeconds = v; return this; }
        public Builder refreshGraceSeconds(int v) { refreshGraceSeconds = v; return this; }
        public Builder refreshTokenIdleDays(int v) { refreshTokenIdleDays = v; return this; }
        public Builder errorRate(double v) { errorRate = v; return this; }
        public Builder clockStart(Instant v) { clockStart = v; return this; }
        public Builder clockFrozen(boolean v) { clockFrozen = v; return this; }
        public Builder dataAnchor(Instant v) { dataAnchor = v; return this; }

        public XeroSandboxOptions build() {
            return new XeroSandboxOptions(port, seed, tenants, invoicesPerTenant, rateLimitsEnabled, minuteLimit, dailyLimit,
                    concurrentLimit, appMinuteLimit, accessTokenTtlSeconds, refreshGraceSeconds, refreshTokenIdleDays, errorRate,
                    clockStart, clockFrozen, dataAnchor);
        }
    }
}
