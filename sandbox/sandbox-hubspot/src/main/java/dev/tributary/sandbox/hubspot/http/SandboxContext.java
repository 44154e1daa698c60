package dev.tributary.sandbox.hubspot.http;

import dev.tributary.sandbox.hubspot.SandboxClock;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.hubspot.data.Portal;
import java.util.List;
import java.util.Map;

/** What every endpoint needs: options, clock, portals by hub id, tokens, limits, faults, counters, base URL. */
public final class SandboxContext {
    private final SandboxOptions options;
    private final SandboxClock clock;
    private final Map<Long, Portal> portals;
    private final TokenRegistry tokens;
    private final RateLimiter rateLimiter;
    private final FaultInjector faults;
    private final RequestCounters counters = new RequestCounters();
    private volatile String baseUrl = "http://127.0.0.1";
    private volatile long searchLagMillis;

    public SandboxContext(SandboxOptions options, SandboxClock clock, Map<Long, Portal> portals, TokenRegistry tokens) {
        this.options = options;
        this.clock = clock;
        this.portals = Map.copyOf(portals);
        this.tokens = tokens;
        this.rateLimiter = new RateLimiter(options, clock);
        this.faults = new FaultInjector(options.errorRate(), options.seed());
        this.searchLagMillis = options.searchLagSeconds() * 1000L;
    }

    public SandboxOptions options() { return options; }
    public SandboxClock clock() { return clock; }
    public TokenRegistry tokens() { return tokens; }
    public RateLimiter rateLimiter() { return rateLimiter; }
    public FaultInjector faults() { return faults; }
    public RequestCounters counters() { return counters; }
    public String baseUrl() { return baseUrl; }
    void baseUrl(String url) { baseUrl = url; }
    public long searchLagMillis() { return searchLagMillis; }
    public void searchLagMillis(long millis) { searchLagMillis = Math.max(0, millis); }

    public Portal portal(long hubId) {
        Portal p = portals.get(hubId);
        if (p == null) throw new IllegalArgumentException("no portal with hub id " + hubId);
        return p;
    }

    public List<Long> hubIds() {
        return portals.keySet().stream().sorted().toList();
    }
}
