package dev.tributary.sandbox.wrike;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.sandbox.wrike.data.Workspace;
import dev.tributary.sandbox.wrike.data.WorkspaceGenerator;
import dev.tributary.sandbox.wrike.http.ControlApi;
import dev.tributary.sandbox.wrike.http.Tokens;
import dev.tributary.sandbox.wrike.http.WrikeContext;
import dev.tributary.sandbox.wrike.http.WrikeRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running local Wrike: one account generated from the seed, served over HTTP on 127.0.0.1 from two hosts (ports):
 * the US host, which also answers OAuth, and the EU data centre. The account's API answers only on its own host; the
 * OAuth token answer names that host, as Wrike's does.
 * <pre>
 * try (WrikeSandbox wrike = WrikeSandbox.start(WrikeSandboxOptions.builder().tasks(10_000).build())) {
 *     String api = wrike.apiBaseUrl();          // use as https://www.wrike.com/api/v4
 *     String token = wrike.permanentToken();    // or OAuth: wrike.consent() then POST wrike.tokenUrl()
 *     wrike.control().updateTasks(50);
 * }
 * </pre>
 */
public final class WrikeSandbox implements AutoCloseable {
    public static final String DEFAULT_REDIRECT_URI = "http://localhost:5000/wrike/callback";

    static {
        // the JDK server writes headers and body separately; without TCP_NODELAY, Nagle + delayed ACK add ~40 ms per call
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final WrikeSandboxOptions options;
    private final WrikeContext context;
    private final WrikeControl control;
    private final HttpServer us;
    private final HttpServer eu;
    private final ExecutorService executor;
    private final String controlKey;
    private final long startupMillis;

    private WrikeSandbox(WrikeSandboxOptions options) throws IOException {
        long t0 = System.nanoTime();
        this.options = options;
        SandboxClock clock = new SandboxClock(options.clockStart(), options.clockFrozen());
        WorkspaceGenerator generator = WorkspaceGenerator.generate(options.seed(), options.tasks(), options.users(), options.dataAnchor().toEpochMilli());
        Tokens tokens = new Tokens(options.seed(), generator.userIds(), clock, options.accessTokenTtlSeconds());
        this.context = new WrikeContext(options, clock, generator, tokens);
        this.control = new WrikeControl(context);
        this.controlKey = "ctl-" + UUID.nameUUIDFromBytes(("wrike-control:" + options.seed()).getBytes(StandardCharsets.UTF_8));
        WrikeRouter router = new WrikeRouter(context, new ControlApi(context, control, controlKey));
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.us = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 256);
        this.eu = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        for (HttpServer s : new HttpServer[] {us, eu}) {
            s.setExecutor(executor);
            s.createContext("/", router);
            s.start();
        }
        context.ports(us.getAddress().getPort(), eu.getAddress().getPort());
        this.startupMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /** Generates the account and starts serving; port 0 picks a free port (the EU host always gets a free one). */
    public static WrikeSandbox start(WrikeSandboxOptions options) {
        try {
            return new WrikeSandbox(options);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Wrike sandbox on port " + options.port(), e);
        }
    }

    /** Stands for https://www.wrike.com (OAuth lives here; so does the API of a US account). */
    public String baseUrl() { return "http://" + context.usHost(); }
    /** The API base of the account's current host: stands for https://{host}/api/v4. */
    public String apiBaseUrl() { return "http://" + context.accountHost() + "/api/v4"; }
    /** Stands for https://login.wrike.com/oauth2/token. */
    public String tokenUrl() { return baseUrl() + "/oauth2/token"; }
    public String accountHost() { return context.accountHost(); }
    public int port() { return us.getAddress().getPort(); }
    public WrikeSandboxOptions options() { return options; }
    public Workspace workspace() { return context.workspace(); }
    public String accountId() { return context.workspace().accountId; }
    /** The account owner's permanent token. */
    public String permanentToken() { return context.tokens().permanentToken(context.generator().userIds().get(0)); }
    public String permanentToken(String userId) { return context.tokens().permanentToken(userId); }
    public String clientId() { return context.tokens().clientId(); }
    public String clientSecret() { return context.tokens().clientSecret(); }
    public String redirectUri() { return DEFAULT_REDIRECT_URI; }
    /** A consent made without the browser for the account owner: its refresh token (replaced at each refresh). */
    public String consent() { return context.tokens().consent(context.generator().userIds().get(0)); }
    public String authorizeUrl(String redirectUri, String state) {
        return baseUrl() + "/oauth2/authorize/v4?client_id=" + clientId() + "&response_type=code&redirect_uri="
                + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
    }
    public String controlKey() { return controlKey; }
    public WrikeControl control() { return control; }
    public SandboxClock clock() { return context.clock(); }
    public long startupMillis() { return startupMillis; }

    /** Everything a user needs to connect, printed by the CLI and main. Contains secrets: show it only locally. */
    public String banner(String refreshToken) {
        StringBuilder b = new StringBuilder(options.describe()).append('\n');
        b.append("base URL: ").append(baseUrl()).append(" (OAuth at ").append(tokenUrl()).append("; EU data centre at http://")
                .append(context.euHost()).append(")\n");
        b.append("account ").append(accountId()).append(" (").append(workspace().accountName).append(") on host ").append(accountHost())
                .append(": API ").append(apiBaseUrl()).append('\n');
        b.append("permanent token (account owner): ").append(permanentToken()).append('\n');
        b.append("OAuth app: client_id ").append(clientId()).append(" client_secret ").append(clientSecret()).append(" redirect_uri ")
                .append(redirectUri()).append('\n');
        if (refreshToken != null) b.append("refresh token (replaced at each refresh): ").append(refreshToken).append('\n');
        b.append("consent page: ").append(authorizeUrl(redirectUri(), null)).append('\n');
        b.append("control API: ").append(baseUrl()).append("/_sandbox/info with header ").append(ControlApi.KEY_HEADER).append(": ")
                .append(controlKey).append('\n');
        b.append("started in ").append(startupMillis).append(" ms");
        return b.toString();
    }

    @Override
    public void close() {
        us.stop(0);
        eu.stop(0);
        executor.shutdownNow();
    }
}
