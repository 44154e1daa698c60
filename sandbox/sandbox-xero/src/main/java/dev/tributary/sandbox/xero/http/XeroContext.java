package dev.tributary.sandbox.xero.http;

import dev.tributary.sandbox.xero.SandboxClock;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
import dev.tributary.sandbox.xero.data.Books;
import java.util.List;
import java.util.Map;

/** What every handler shares: options, the clock, the tenants' books, tokens, limits, faults and counters. */
public final class XeroContext {
    private final XeroSandboxOptions options;
    private final SandboxClock clock;
    private final Map<String, Books> books;
    private final Tokens tokens;
    private final Limits limits;
    private final Faults faults;
    private final Counters counters = new Counters();
    private volatile String baseUrl = "";

    public XeroContext(XeroSandboxOptions options, SandboxClock clock, Map<String, Books> books, Tokens tokens) {
        this.options = options;
        this.clock = clock;
        this.books = Map.copyOf(books);
        this.tokens = tokens;
        this.limits = new Limits(options, clock);
        this.faults = new Faults(options.errorRate(), options.seed());
        this.tenantIds = List.copyOf(books.keySet());
    }

    private final List<String> tenantIds;

    public XeroSandboxOptions options() { return options; }
    public SandboxClock clock() { return clock; }
    public Tokens tokens() { return tokens; }
    public Limits limits() { return limits; }
    public Faults faults() { return faults; }
    public Counters counters() { return counters; }
    public String baseUrl() { return baseUrl; }
    void baseUrl(String url) { baseUrl = url; }
    public List<String> tenantIds() { return tenantIds; }

    public Books books(String tenantId) {
        Books b = books.get(tenantId == null ? "" : tenantId.toLowerCase(java.util.Locale.ROOT));
        if (b == null) throw new IllegalArgumentException("no tenant " + tenantId + " in this sandbox (tenants: " + tenantIds + ")");
        return b;
    }

    public boolean hasTenant(String tenantId) {
        return tenantId != null && books.containsKey(tenantId.toLowerCase(java.util.Locale.ROOT));
    }
}
