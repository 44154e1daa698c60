package dev.tributary.sandbox.hubspot.http;

import dev.tributary.sandbox.hubspot.SandboxClock;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.hubspot.data.Portal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/** What every endpoint needs: options, clock, portals by hub id, tokens, limits, faults, counters, base URL. */
public final class SandboxContext {
    private final SandboxOptions options;
    private final SandboxClock clock;
    private final List<Long> hubIds;
    private final Set<Long> known;
    private final LongFunction<Portal> generator;
    private final Map<Long, Portal> portals = new ConcurrentHashMap<>();
    private final Set<Long> uninstalled = ConcurrentHashMap.newKeySet();
    private final TokenRegistry tokens;
    private final RateLimiter rateLimiter;
    private final FaultInjector faults;
    private final RequestCounters counters = new RequestCounters();
    private volatile String baseUrl = "http://127.0.0.1";
    private volatile long searchLagMillis;

    /** Portals are made by {@code generator} when first used: a thousand installable accounts cost only what is read. */
    public SandboxContext(SandboxOptions options, SandboxClock clock, List<Long> hubIds, LongFunction<Portal> generator, TokenRegistry tokens) {
        this.options = options;
        this.clock = clock;
        this.hubIds = hubIds.stream().sorted().toList();
        this.known = Set.copyOf(hubIds);
        this.generator = generator;
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
        if (!known.contains(hubId)) throw new IllegalArgumentException("no portal with hub id " + hubId);
        return portals.computeIfAbsent(hubId, generator::apply);
    }

    public boolean hasPortal(long hubId) {
        return known.contains(hubId);
    }

    /** Whether the portal's data was generated yet (the control API's summary lists only those). */
    public boolean generated(long hubId) {
        return portals.containsKey(hubId);
    }

    /** The domain of a portal without generating it. */
    public static String domain(long hubId) {
        return "tributary-sandbox-" + hubId + ".com";
    }

    public List<Long> hubIds() {
        return hubIds;
    }

    /** Hubs that removed the app (DELETE /appinstalls/v3/external-install) since their last install. */
    public boolean isUninstalled(long hubId) {
        return uninstalled.contains(hubId);
    }

    void uninstalled(long hubId, boolean gone) {
        if (gone) uninstalled.add(hubId); else uninstalled.remove(hubId);
    }
}
