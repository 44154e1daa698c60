package dev.tributary.sandbox.wrike.http;

import dev.tributary.sandbox.wrike.SandboxClock;
import dev.tributary.sandbox.wrike.WrikeSandboxOptions;
import dev.tributary.sandbox.wrike.data.WorkspaceGenerator;
import dev.tributary.sandbox.wrike.data.Workspace;

/**
 * What every handler shares: options, clock, the account, tokens, limits, faults, counters, and the two hosts
 * (the US one, which also serves OAuth, and the EU one); the account lives on one of them.
 */
public final class WrikeContext {
    private final WrikeSandboxOptions options;
    private final SandboxClock clock;
    private final WorkspaceGenerator generator;
    private final Tokens tokens;
    private final Limits limits;
    private final Faults faults;
    private final Counters counters = new Counters();
    private volatile int usPort;
    private volatile int euPort;
    private volatile boolean accountInEu;

    public WrikeContext(WrikeSandboxOptions options, SandboxClock clock, WorkspaceGenerator generator, Tokens tokens) {
        this.options = options;
        this.clock = clock;
        this.generator = generator;
        this.tokens = tokens;
        this.limits = new Limits(clock, options.requestsPerMinute(), options.rateLimitsEnabled());
        this.faults = new Faults(options.errorRate(), options.seed());
        this.accountInEu = options.euAccount();
    }

    public WrikeSandboxOptions options() { return options; }
    public SandboxClock clock() { return clock; }
    public Workspace workspace() { return generator.workspace(); }
    public WorkspaceGenerator generator() { return generator; }
    public Tokens tokens() { return tokens; }
    public Limits limits() { return limits; }
    public Faults faults() { return faults; }
    public Counters counters() { return counters; }

    public void ports(int us, int eu) {
        usPort = us;
        euPort = eu;
    }

    /** The host (host:port) that stands for www.wrike.com. */
    public String usHost() { return "127.0.0.1:" + usPort; }
    /** The host that stands for the EU data centre. */
    public String euHost() { return "127.0.0.1:" + euPort; }
    /** Where the account's data is served now: what the OAuth token answer names. */
    public String accountHost() { return accountInEu ? euHost() : usHost(); }
    public boolean accountInEu() { return accountInEu; }
    public void moveAccount(boolean toEu) { accountInEu = toEu; }
    int accountPort() { return accountInEu ? euPort : usPort; }
}
