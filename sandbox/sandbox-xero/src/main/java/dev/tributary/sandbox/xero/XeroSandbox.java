package dev.tributary.sandbox.xero;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.sandbox.xero.data.Books;
import dev.tributary.sandbox.xero.http.ControlApi;
import dev.tributary.sandbox.xero.http.Tokens;
import dev.tributary.sandbox.xero.http.XeroContext;
import dev.tributary.sandbox.xero.http.XeroRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running local Xero: organisations generated from the seed, served over HTTP on 127.0.0.1.
 * <pre>
 * try (XeroSandbox xero = XeroSandbox.start(XeroSandboxOptions.builder().tenants(3).invoicesPerTenant(5_000).build())) {
 *     String api = xero.apiBaseUrl();                  // use as https://api.xero.com/api.xro/2.0
 *     String refresh = xero.consent(xero.tenantIds()); // a refresh token covering those organisations
 *     xero.control().pay(xero.tenantIds().get(0), invoiceId);
 * }
 * </pre>
 */
public final class XeroSandbox implements AutoCloseable {
    public static final String DEFAULT_REDIRECT_URI = "http://localhost:5000/callback";

    static {
        // the JDK server writes headers and body separately; without TCP_NODELAY, Nagle + delayed ACK add ~40 ms per call
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final XeroSandboxOptions options;
    private final XeroContext context;
    private final XeroControl control;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String controlKey;
    private final long startupMillis;

    private XeroSandbox(XeroSandboxOptions options) throws IOException {
        long t0 = System.nanoTime();
        this.options = options;
        SandboxClock clock = new SandboxClock(options.clockStart(), options.clockFrozen());
        Map<String, Books> books = new LinkedHashMap<>();
        for (int t = 0; t < options.tenants(); t++) {
            Books b = new Books(options.seed(), t, options.invoicesPerTenant(), options.dataAnchor().toEpochMilli());
            books.put(b.tenantId(), b);
        }
        Tokens tokens = new Tokens(options.seed(), List.copyOf(books.keySet()), clock, options);
        this.context = new XeroContext(options, clock, books, tokens);
        this.control = new XeroControl(context);
        this.controlKey = "ctl-" + UUID.nameUUIDFromBytes(("xero-control:" + options.seed()).getBytes(StandardCharsets.UTF_8));
        XeroRouter router = new XeroRouter(context, new ControlApi(context, control, controlKey));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 256);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", router);
        server.start();
        router.baseUrl("http://127.0.0.1:" + server.getAddress().getPort());
        this.startupMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /** Generates the books and starts serving; port 0 picks a free port. */
    public static XeroSandbox start(XeroSandboxOptions options) {
        try {
            return new XeroSandbox(options);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Xero sandbox on port " + options.port(), e);
        }
    }

    /** Stands for https://api.xero.com (GET /connections lives here). */
    public String baseUrl() { return context.baseUrl(); }
    /** Stands for https://api.xero.com/api.xro/2.0. */
    public String apiBaseUrl() { return baseUrl() + "/api.xro/2.0"; }
    /** Stands for https://identity.xero.com/connect/token. */
    public String tokenUrl() { return baseUrl() + "/connect/token"; }
    public int port() { return server.getAddress().getPort(); }
    public XeroSandboxOptions options() { return options; }
    public List<String> tenantIds() { return context.tenantIds(); }
    public Books books(String tenantId) { return context.books(tenantId); }
    public String clientId() { return context.tokens().clientId(); }
    public String clientSecret() { return context.tokens().clientSecret(); }
    /** The custom connection (client credentials) app, bound to the first tenant. */
    public String customClientId() { return context.tokens().customClientId(); }
    public String customClientSecret() { return context.tokens().customClientSecret(); }
    public String redirectUri() { return DEFAULT_REDIRECT_URI; }
    /** A consent made without the browser, covering {@code tenants}: its first refresh token. */
    public String consent(List<String> tenants) { return context.tokens().consent(tenants, "offline_access accounting.transactions.read accounting.contacts.read accounting.settings.read accounting.journals.read"); }
    public String authorizeUrl(String redirectUri, String scope, String state) {
        return baseUrl() + "/identity/connect/authorize?response_type=code&client_id=" + clientId() + "&redirect_uri="
                + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
    }
    public String controlKey() { return controlKey; }
    public XeroControl control() { return control; }
    public SandboxClock clock() { return context.clock(); }
    public long startupMillis() { return startupMillis; }

    /** Everything a user needs to connect, printed by the CLI and main. Contains secrets: show it only locally. */
    public String banner(String refreshToken) {
        StringBuilder b = new StringBuilder(options.describe()).append('\n');
        b.append("base URL: ").append(baseUrl()).append(" (Accounting API at ").append(apiBaseUrl()).append(", token endpoint ")
                .append(tokenUrl()).append(")\n");
        for (String t : tenantIds()) {
            b.append("tenant ").append(t).append(": ").append(books(t).name()).append('\n');
        }
        b.append("OAuth app: client_id ").append(clientId()).append(" client_secret ").append(clientSecret())
                .append(" redirect_uri ").append(redirectUri()).append('\n');
        if (refreshToken != null) b.append("refresh token (all tenants, single use, rotates): ").append(refreshToken).append('\n');
        b.append("custom connection (client_credentials, tenant ").append(tenantIds().get(0)).append("): client_id ")
                .append(customClientId()).append(" client_secret ").append(customClientSecret()).append('\n');
        b.append("consent page: ").append(authorizeUrl(redirectUri(), "offline_access accounting.transactions.read", null)).append('\n');
        b.append("control API: ").append(baseUrl()).append("/_sandbox/info with header ").append(ControlApi.KEY_HEADER)
                .append(": ").append(controlKey).append('\n');
        b.append("started in ").append(startupMillis).append(" ms");
        return b.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
