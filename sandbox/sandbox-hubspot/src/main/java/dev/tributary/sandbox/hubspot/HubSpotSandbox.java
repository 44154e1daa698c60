package dev.tributary.sandbox.hubspot;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.sandbox.hubspot.data.Portal;
import dev.tributary.sandbox.hubspot.data.PortalGenerator;
import dev.tributary.sandbox.hubspot.http.ControlApi;
import dev.tributary.sandbox.hubspot.http.SandboxContext;
import dev.tributary.sandbox.hubspot.http.SandboxRouter;
import dev.tributary.sandbox.hubspot.http.TokenRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running local HubSpot: portals generated from the seed, served over HTTP on 127.0.0.1.
 * <pre>
 * try (HubSpotSandbox hubspot = HubSpotSandbox.start(SandboxOptions.builder().contacts(10_000).build())) {
 *     String url = hubspot.baseUrl();              // use as HubSpot's https://api.hubapi.com
 *     String token = hubspot.privateAppToken(hubspot.hubIds().get(0));
 *     hubspot.control().mutate(hub, ObjectType.CONTACTS, 50);
 * }
 * </pre>
 */
public final class HubSpotSandbox implements AutoCloseable {
    /** The redirect URI registered for the test OAuth app; any loopback redirect is accepted too. */
    public static final String DEFAULT_REDIRECT_URI = "http://localhost:3000/oauth-callback";

    static {
        // the JDK server writes headers and body separately; without TCP_NODELAY, Nagle + delayed ACK add ~40 ms per call
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Portals generated at start; the others are generated on first use. */
    static final int EAGER_PORTALS = 50;
    /** The banner lists each portal's token up to this many portals. */
    private static final int BANNER_PORTALS = 10;

    private final SandboxOptions options;
    private final SandboxContext context;
    private final SandboxControl control;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String controlKey;
    private final long startupMillis;

    private HubSpotSandbox(SandboxOptions options) throws IOException {
        long t0 = System.nanoTime();
        this.options = options;
        SandboxClock clock = new SandboxClock(options.clockStart(), options.clockFrozen());
        List<Long> hubIds = PortalGenerator.hubIds(options.seed(), options.portals());
        TokenRegistry tokens = new TokenRegistry(options, hubIds, clock);
        this.context = new SandboxContext(options, clock, hubIds,
                hub -> new PortalGenerator(options.seed(), hub, options.scale(), options.dataAnchor()).generate(), tokens);
        // the first portals are made now (most runs use only them); the rest when first used
        for (long hub : hubIds.subList(0, Math.min(hubIds.size(), EAGER_PORTALS))) context.portal(hub);
        this.control = new SandboxControl(context);
        this.controlKey = "ctl-" + UUID.nameUUIDFromBytes(("control:" + options.seed()).getBytes(StandardCharsets.UTF_8));
        SandboxRouter router = new SandboxRouter(context, new ControlApi(context, control, controlKey));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 256);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", router);
        server.start();
        router.baseUrl("http://127.0.0.1:" + server.getAddress().getPort());
        this.startupMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /** Generates the portals and starts serving; port 0 picks a free port. */
    public static HubSpotSandbox start(SandboxOptions options) {
        try {
            return new HubSpotSandbox(options);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the HubSpot sandbox on port " + options.port(), e);
        }
    }

    /** Use in place of https://api.hubapi.com, e.g. http://127.0.0.1:8089. */
    public String baseUrl() { return context.baseUrl(); }
    public int port() { return server.getAddress().getPort(); }
    public SandboxOptions options() { return options; }
    public List<Long> hubIds() { return context.hubIds(); }
    public Portal portal(long hubId) { return context.portal(hubId); }
    public String privateAppToken(long hubId) { return context.tokens().privateAppToken(hubId); }
    /** The private-app token of the first portal. */
    public String privateAppToken() { return privateAppToken(hubIds().get(0)); }
    public String oauthClientId() { return context.tokens().clientId(); }
    public String oauthClientSecret() { return context.tokens().clientSecret(); }
    public String oauthRedirectUri() { return DEFAULT_REDIRECT_URI; }
    /** The install page: {baseUrl}/oauth/authorize?client_id=..&redirect_uri=..&scope=.. */
    public String authorizeUrl(String redirectUri, String scope, String state) {
        return baseUrl() + "/oauth/authorize?client_id=" + oauthClientId() + "&redirect_uri="
                + java.net.URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + "&scope="
                + java.net.URLEncoder.encode(scope, StandardCharsets.UTF_8)
                + (state == null ? "" : "&state=" + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8));
    }
    /** Whether the app was removed from this portal (DELETE /appinstalls/v3/external-install) since its last install. */
    public boolean isUninstalled(long hubId) { return context.isUninstalled(hubId); }
    /** The most requests one account made in any ten-second window, by account (app and portal). */
    public java.util.Map<String, Integer> peakTenSecondUse() { return context.rateLimiter().peakUse(); }
    /** The key the HTTP control API wants in X-Sandbox-Control-Key. */
    public String controlKey() { return controlKey; }
    public SandboxControl control() { return control; }
    public SandboxClock clock() { return context.clock(); }
    /** Milliseconds from start() being called to the server accepting requests (generation included). */
    public long startupMillis() { return startupMillis; }

    /** Everything a user needs to connect, printed by the CLI and main. Contains tokens: show it only locally. */
    public String banner() {
        StringBuilder b = new StringBuilder(options.describe()).append('\n');
        b.append("base URL: ").append(baseUrl()).append('\n');
        for (long hub : hubIds().subList(0, Math.min(hubIds().size(), BANNER_PORTALS))) {
            b.append("portal ").append(hub).append(": private-app token ").append(privateAppToken(hub))
                    .append(" (").append(context.portal(hub).recordCount()).append(" records)\n");
        }
        if (hubIds().size() > BANNER_PORTALS) {
            b.append("... and ").append(hubIds().size() - BANNER_PORTALS).append(" more portals (hub ids ").append(hubIds().get(BANNER_PORTALS))
                    .append(" to ").append(hubIds().get(hubIds().size() - 1)).append("), each generated when first used; tokens via ")
                    .append("the control API\n");
        }
        b.append("OAuth app: client_id ").append(oauthClientId()).append(" client_secret ").append(oauthClientSecret())
                .append(" redirect_uri ").append(oauthRedirectUri()).append(" (any loopback redirect works too; installable by every portal)\n");
        b.append("OAuth install page: ").append(authorizeUrl(oauthRedirectUri(), "oauth crm.objects.contacts.read", null)).append('\n');
        b.append("OAuth endpoints: POST ").append(baseUrl()).append("/oauth/v3/token, POST /oauth/v3/introspect (v1 too), uninstall: DELETE ")
                .append("/appinstalls/v3/external-install; access tokens live ").append(options.accessTokenTtlSeconds()).append(" s\n");
        b.append("control API: ").append(baseUrl()).append("/_sandbox/info with header ").append(ControlApi.KEY_HEADER)
                .append(": ").append(controlKey).append('\n');
        b.append("demo data: imperfect on purpose, like a real portal (text in number properties such as annual_spend and\n")
                .append("  employee_band, deals without an amount, duplicate and merged contacts, archived records): the warnings a\n")
                .append("  sync prints about such values are expected here\n");
        b.append("started in ").append(startupMillis).append(" ms");
        return b.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
