package dev.tributary.sandbox.sheets;

/**
 * What shapes one Sheets sandbox: port, seed, number of generated leads, quotas, token lifetime, error rate.
 * Build with {@link #builder()} or parse flags with {@link #fromArgs(String...)}.
 */
public record SheetsSandboxOptions(int port, long seed, int leads, boolean quotasEnabled, int readsPerMinutePerProject,
        int readsPerMinutePerUser, int tokenTtlSeconds, double errorRate) {

    public SheetsSandboxOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535: " + port);
        if (leads < 0 || leads > 5_000_000) throw new IllegalArgumentException("--leads must be 0..5000000: " + leads);
        if (readsPerMinutePerProject < 1 || readsPerMinutePerUser < 1) throw new IllegalArgumentException("quotas must be positive");
        if (tokenTtlSeconds < 1) throw new IllegalArgumentException("--token-ttl must be positive");
        if (errorRate < 0 || errorRate > 1) throw new IllegalArgumentException("--error-rate must be 0..1: " + errorRate);
    }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private int port;
        private long seed = 42;
        private int leads = 1_000;
        private boolean quotasEnabled = true;
        private int perProject = 300;
        private int perUser = 60;
        private int tokenTtlSeconds = 3600;
        private double errorRate;

        public Builder port(int p) { port = p; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder leads(int n) { leads = n; return this; }
        public Builder quotasEnabled(boolean on) { quotasEnabled = on; return this; }
        public Builder quotas(int perProjectPerMinute, int perUserPerMinute) { perProject = perProjectPerMinute; perUser = perUserPerMinute; return this; }
        public Builder tokenTtlSeconds(int s) { tokenTtlSeconds = s; return this; }
        public Builder errorRate(double r) { errorRate = r; return this; }

        public SheetsSandboxOptions build() {
            return new SheetsSandboxOptions(port, seed, leads, quotasEnabled, perProject, perUser, tokenTtlSeconds, errorRate);
        }
    }

    public static SheetsSandboxOptions fromArgs(String... args) {
        Builder b = builder();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            String v = args[++i];
            try {
                switch (flag) {
                    case "--port" -> b.port(Integer.parseInt(v));
                    case "--seed" -> b.seed(Long.parseLong(v));
                    case "--leads" -> b.leads(Integer.parseInt(v.replace("_", "").replace("k", "000")));
                    case "--quota" -> {
                        if (v.equals("off")) b.quotasEnabled(false);
                        else {
                            String[] p = v.split("/");
                            if (p.length != 2) throw new IllegalArgumentException("--quota is PROJECT/USER reads per minute (e.g. 300/60) or off");
                            b.quotas(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
                        }
                    }
                    case "--token-ttl" -> b.tokenTtlSeconds(Integer.parseInt(v));
                    case "--error-rate" -> b.errorRate(Double.parseDouble(v));
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": not a number: " + v);
            }
        }
        return b.build();
    }

    public static String usage() {
        return """
                options:
                  --port N            port on 127.0.0.1 (0 = a free one; default 0)
                  --seed N            data seed (default 42): same seed, same sheets
                  --leads N           generated rows in the Leads tab (default 1000; 100k works)
                  --quota P/U|off     read requests per minute per project / per user (default 300/60)
                  --token-ttl SECONDS access token lifetime (default 3600)
                  --error-rate F      share of API calls answered 500/503 (default 0)""";
    }

    public String describe() {
        return "Google Sheets sandbox: seed " + seed + ", " + leads + " leads, quotas "
                + (quotasEnabled ? readsPerMinutePerProject + "/min per project, " + readsPerMinutePerUser + "/min per user" : "off")
                + ", tokens live " + tokenTtlSeconds + " s" + (errorRate > 0 ? ", error rate " + errorRate : "");
    }
}
