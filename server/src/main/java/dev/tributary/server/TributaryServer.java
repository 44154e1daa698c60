package dev.tributary.server;

import dev.tributary.scheduler.PipelineService;
import dev.tributary.server.MetricsSource.MetricFamily;
import dev.tributary.server.MetricsSource.MetricType;
import dev.tributary.server.MetricsSource.Sample;
import dev.tributary.server.SessionStore.Session;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code tributary serve}'s HTTP side: the web UI, the JSON API under /api/v1, /api/openapi.json and /metrics, on
 * Javalin, bound to {@code server.host} only. Pages need a login session; the API takes the API token or a session
 * (with X-CSRF-Token on POSTs); every form POST carries the session's CSRF token.
 */
public final class TributaryServer {
    static final String SESSION_COOKIE = "tributary_session";
    static final String LOGIN_COOKIE = "tributary_login";
    /** Set on a request that carried the API token (it acts as an admin). */
    static final String API_TOKEN_ATTRIBUTE = "tributary.apiToken";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final ServerSettings settings;
    private final PipelineService pipelines;
    private final ProjectData data;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    static final int CONCURRENT_HASHES = 2;
    private final java.util.concurrent.Semaphore hashPermits = new java.util.concurrent.Semaphore(CONCURRENT_HASHES, true);
    private final WebPages pages;
    private final CatalogPages catalog;
    private final QualityPages quality;
    private final DashboardPages dashboards;
    private final RunMetrics runMetrics = new RunMetrics();
    private final List<MetricsSource> metricsSources = new CopyOnWriteArrayList<>();
    private final List<String> registeredRoutes = new CopyOnWriteArrayList<>();
    private final Map<String, String> staticFiles;
    private final Clock clock;
    private volatile Users users;
    private volatile AuditLog audit;
    private volatile SettingsSources settingsSources = SettingsSources.NONE;
    private Javalin app;
    private TenantRoutes tenantRoutes;

    public TributaryServer(ServerSettings settings, PipelineService pipelines, ProjectData data) {
        this(settings, pipelines, data, Clock.systemUTC());
    }

    public TributaryServer(ServerSettings settings, PipelineService pipelines, ProjectData data, Clock clock) {
        this(settings, pipelines, data, clock, null);
    }

    /**
     * A server whose logged-in sessions live in the metadata store ({@code stored}; null keeps them in memory), so a
     * browser stays logged in whichever serve process on that store answers it, and across restarts.
     */
    public TributaryServer(ServerSettings settings, PipelineService pipelines, ProjectData data, Clock clock,
                           dev.tributary.scheduler.StoredSessions stored) {
        this.settings = settings;
        this.pipelines = pipelines;
        this.data = data;
        this.clock = clock;
        this.users = Users.none(settings.adminUser());
        this.audit = AuditLog.inMemory(clock);
        this.sessions = new SessionStore(settings.sessionTimeout(), clock, stored, this::roleOf);
        this.throttle = new LoginThrottle(clock);
        this.pages = new WebPages(settings, pipelines, data, clock);
        this.catalog = new CatalogPages(pipelines, data, pages, clock);
        this.catalog.history(new StepItemHistory(pipelines)); // the runs' step items; useItemHistory replaces it
        this.quality = new QualityPages(data, pages);
        this.dashboards = new DashboardPages(settings, data, pages, clock);
        this.staticFiles = Map.of("tributary.css", resource("static/tributary.css"), "run.js", resource("static/run.js"),
                "lineage.js", resource("static/lineage.js"));
        pipelines.addListener(runMetrics);
        metricsSources.add(runMetrics);
        metricsSources.add(this::checkFailures);
    }

    /** Adds metrics to /metrics (e.g. API calls and 429s per connection from the HTTP kit). */
    public void addMetricsSource(MetricsSource source) {
        metricsSources.add(source);
    }

    /**
     * Serves the app's tenants (the project has an {@code app:} section): the public install link and callback, the
     * Tenants pages and /api/v1/tenants. Call before {@link #start()}.
     */
    public synchronized void enableTenants(dev.tributary.scheduler.tenant.Tenants tenants, List<TenantTemplate> templates) {
        if (app != null) throw new IllegalStateException("already started");
        this.tenantRoutes = new TenantRoutes(tenants, templates, data, pages);
        pages.tenantsEnabled(true);
    }

    /**
     * Where the table and model pages read which runs touched a table or model (rows, duration, status); without it
     * they say no run has. Call before {@link #start()}.
     */
    public void useItemHistory(ItemHistory history) {
        catalog.history(java.util.Objects.requireNonNull(history, "history is null"));
    }

    /**
     * Keeps accounts ({@link Users}) and the audit log ({@link AuditLog}) in the metadata store {@code db}, beside the
     * runs; without this call only the bootstrap admin logs in and the audit log is kept in memory. Call before start.
     */
    public synchronized void enablePeople(dev.tributary.scheduler.JdbcMetadataStore db) {
        if (app != null) throw new IllegalStateException("already started");
        this.users = Users.open(db, settings.adminUser());
        this.audit = AuditLog.open(db, clock);
    }

    /** What /settings/config and /settings/alerts show (serve passes the project's). Call before start. */
    public synchronized void enableSettings(SettingsSources sources) {
        if (app != null) throw new IllegalStateException("already started");
        this.settingsSources = java.util.Objects.requireNonNull(sources, "sources is null");
    }

    public RunMetrics runMetrics() {
        return runMetrics;
    }

    /** Starts listening on settings.host and settings.port (0: any free port) and returns the bound port. */
    public synchronized int start() {
        if (app != null) throw new IllegalStateException("already started");
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jetty.defaultHost = settings.host();
            config.events.handlerAdded(info -> {
                if (info.getHttpMethod().isHttpMethod()) registeredRoutes.add(info.getHttpMethod().name() + " " + info.getPath());
            });
        });
        app.before(this::authenticate);
        app.after(this::auditPost);
        app.exception(HttpProblem.class, (e, ctx) -> problem(ctx, e.status(), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            ServerErrors.log(ctx, e); // an operator sees what went wrong (an install callback's 500 left no line before)
            problem(ctx, 500, "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        });
        // Javalin's own responses (unknown route, bad method) in the same shapes as ours
        app.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(),
                e.getStatus() == 404 ? "not found: " + ctx.path() : e.getMessage()));

        app.get("/static/{file}", this::staticFile);
        app.get("/favicon.ico", ctx -> ctx.status(204)); // browsers ask for it on every page; no redirect to the login page
        app.get("/login", this::loginPage);
        app.post("/login", this::login);
        app.post("/logout", this::logout);
        // ui1: runs, a run, pipelines and their schedule controls
        RunPages runPages = new RunPages(pages, pipelines, clock);
        SchedulePages schedulePages = new SchedulePages(pages, runPages, pipelines, clock);
        app.get("/", page(runPages::overview));
        app.post("/pipelines/{name}/trigger", page(runPages::trigger));
        app.get("/pipelines/{name}", page(schedulePages::pipeline));
        app.post("/pipelines/{name}/run", page(schedulePages::runWith));
        app.post("/pipelines/{name}/pause", page(schedulePages::pause));
        app.post("/pipelines/{name}/resume", page(schedulePages::resume));
        app.post("/pipelines/{name}/backfill", page(schedulePages::backfill));
        app.get("/runs", page(runPages::runs));
        app.get("/runs/{id}", page(runPages::run));
        app.post("/runs/{id}/cancel", page(runPages::cancel));
        app.post("/runs/{id}/rerun", page(runPages::rerun));
        // end of ui1's routes
        // ui2: tables and models, lineage, quality, dashboards
        app.get("/connections", page(catalog::connections));
        app.get("/tables/{connection}/{stream}", page(catalog::table));
        app.get("/models", page(catalog::models));
        app.get("/models/{name}", page(catalog::model));
        app.get("/lineage", page(catalog::lineagePage));
        app.get("/quality", page(quality::quality));
        app.get("/quality/{check}", page(quality::checkHistory));
        app.get("/dashboards/{name}", page(dashboards::dashboard));
        app.get("/metrics", this::metrics);
        // ui3: people, roles, audit log and settings (all admin-only: see requiredRole)
        PeoplePages people = new PeoplePages(users, pages, clock);
        SettingsPages settingsPages = new SettingsPages(audit, settingsSources, pages);
        app.get("/settings", page(settingsPages::index));
        app.get("/settings/users", page(people::list));
        app.post("/settings/users", page(people::add));
        app.post("/settings/users/{name}/role", page(people::setRole));
        app.post("/settings/users/{name}/password", page(people::resetPassword));
        app.post("/settings/users/{name}/disable", page(people::disable));
        app.post("/settings/users/{name}/enable", page(people::enable));
        app.get("/settings/audit", page(settingsPages::audit));
        app.get("/settings/alerts", page(settingsPages::alerts));
        app.get("/settings/config", page(settingsPages::config));
        app.get("/api/v1/audit", settingsPages::auditApi);
        app.get("/api/v1/users", people::listApi);
        app.get("/api/openapi.json", ctx -> ApiRoutes.json(ctx, 200, OpenApiDocument.build(tenantRoutes != null)));
        new ApiRoutes(pipelines, data).register(app);
        if (tenantRoutes != null) {
            tenantRoutes.register(app, new TenantRoutes.PageRegistrar() {
                @Override
                public void get(String path, TenantRoutes.PageHandler handler) {
                    app.get(path, ctx -> handler.handle(ctx, ctx.attribute("session")));
                }

                @Override
                public void post(String path, TenantRoutes.PageHandler handler) {
                    app.post(path, ctx -> handler.handle(ctx, ctx.attribute("session")));
                }
            });
        }
        app.start(settings.host(), settings.port());
        return app.port();
    }

    public synchronized void stop() {
        if (app != null) {
            app.stop();
            app = null;
        }
    }

    /** The hosts the listening connectors are bound to (settings.host only). */
    List<String> boundHosts() {
        List<String> hosts = new ArrayList<>();
        for (org.eclipse.jetty.server.Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof org.eclipse.jetty.server.NetworkConnector n) hosts.add(n.getHost());
        }
        return hosts;
    }

    /** "GET /api/v1/runs" etc.: every route registered so far, for the OpenAPI coverage test. */
    List<String> registeredRoutes() {
        return List.copyOf(registeredRoutes);
    }

    // ---- authentication

    private interface PageHandler {
        void handle(Context ctx, Session session) throws Exception;
    }

    private Handler page(PageHandler handler) {
        return ctx -> handler.handle(ctx, ctx.attribute("session"));
    }

    private void authenticate(Context ctx) {
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Cache-Control", "no-store");
        // DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 sends Host: evil.example
        String hostHeader = ctx.header("Host");
        if (!settings.answersHost(hostHeader, ctx.req().getLocalPort())) {
            throw new HttpProblem(421, hostHeader == null || hostHeader.isBlank() ? "a Host header is required"
                    : "this server does not answer to the host name '" + hostHeader.strip() + "'; add it to server.allowed_hosts in tributary.yml if it is yours");
        }
        ctx.attribute(AuditLog.ATTRIBUTE, audit);
        String path = ctx.path();
        if (path.startsWith("/static/")) {
            ctx.header("Cache-Control", "public, max-age=3600");
            return;
        }
        if (path.equals("/login") || path.equals("/api/openapi.json") || path.equals("/favicon.ico")) return;
        if (tenantRoutes != null && tenantRoutes.isPublic(path)) {
            // the install link and HubSpot's redirect back: GET only, no session needed (the state guards the callback)
            if (ctx.method() != HandlerType.GET) throw new HttpProblem(405, "method not allowed");
            find(ctx).ifPresent(s -> ctx.attribute("session", s));
            return;
        }
        Optional<Session> session = find(ctx);
        session.ifPresent(s -> ctx.attribute("session", s));
        boolean post = ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD;
        if (path.startsWith("/api/") || path.equals("/metrics")) {
            if (path.equals("/metrics") && settings.metricsPublic()) return;
            if (hasApiToken(ctx)) {
                ctx.attribute(API_TOKEN_ATTRIBUTE, Boolean.TRUE); // the API token acts as an admin
                return;
            }
            if (session.isEmpty()) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new HttpProblem(401, "authentication required: Authorization: Bearer <TRIBUTARY_API_TOKEN> or a logged-in session");
            }
            if (post && !SessionStore.sameSecret(session.get().csrfToken(), ctx.header("X-CSRF-Token"))) {
                throw new HttpProblem(403, "missing or wrong X-CSRF-Token header");
            }
            authorize(ctx, session.get(), post);
            return;
        }
        if (session.isEmpty()) {
            if (post) throw new HttpProblem(403, "not logged in");
            String next = ctx.queryString() == null ? path : path + "?" + ctx.queryString();
            ctx.redirect("/login?next=" + Html.url(next), HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
            return;
        }
        if (post && !SessionStore.sameSecret(session.get().csrfToken(), ctx.formParam("_csrf"))) {
            throw new HttpProblem(403, "missing or wrong CSRF token; reload the page and try again");
        }
        authorize(ctx, session.get(), post);
    }

    /**
     * Default-deny: every POST (any method but GET/HEAD) needs at least an operator, whatever route it reaches, and
     * everything under /settings, /api/v1/users and /api/v1/audit needs an admin. Logging out is anyone's.
     */
    private static final java.util.regex.Pattern TENANT_REMOVE_PAGE = java.util.regex.Pattern.compile("/tenants/[^/]+/remove/?");
    /** Not GET on a tenant itself: DELETE, which removes it with its data (its actions have paths of their own). */
    private static final java.util.regex.Pattern TENANT_API = java.util.regex.Pattern.compile("/api/v1/tenants/[^/]+/?");

    static Role requiredRole(String path, boolean post) {
        if (path.equals("/settings") || path.startsWith("/settings/") || path.startsWith("/api/v1/audit") || path.startsWith("/api/v1/users")) {
            return Role.ADMIN;
        }
        if (path.equals("/logout")) return Role.VIEWER;
        // removing a tenant drops its tables and state for good: an admin's decision, like managing people
        if (post && (TENANT_REMOVE_PAGE.matcher(path).matches() || TENANT_API.matcher(path).matches())) return Role.ADMIN;
        return post ? Role.OPERATOR : Role.VIEWER;
    }

    private void authorize(Context ctx, Session session, boolean post) {
        Role needed = requiredRole(ctx.path(), post);
        if (session.can(needed)) return;
        String message = "forbidden: this needs the " + needed.label() + " role; " + session.user() + " is " + article(session.role()) + " " + session.role().label();
        if (post) AuditLog.record(ctx, "denied", ctx.method().name() + " " + ctx.path(), message, "denied");
        throw new HttpProblem(403, message);
    }

    private static String article(Role role) {
        return role == Role.VIEWER ? "a" : "an";
    }

    /** The baseline: every POST that no handler recorded itself gets a row with its route, target and status. */
    private void auditPost(Context ctx) {
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD || ctx.method() == HandlerType.OPTIONS) return;
        if (ctx.attribute(AuditLog.ATTRIBUTE) == null || AuditLog.recorded(ctx)) return;
        String path = ctx.path();
        if (path.equals("/login") || path.startsWith("/static/")) return; // the login handler records its outcomes itself
        int status = ctx.statusCode();
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException noEndpoint) {
            route = path;
        }
        String[] parts = route.split("/");
        String action = parts.length == 0 ? path : parts[parts.length - 1];
        if (action.startsWith("{") || ctx.method() == HandlerType.DELETE) action = ctx.method().name().toLowerCase(java.util.Locale.ROOT);
        String target = path.startsWith("/api/v1/") ? path.substring("/api/v1".length()) : path;
        if (!action.equals(ctx.method().name().toLowerCase(java.util.Locale.ROOT)) && target.endsWith("/" + action)) {
            target = target.substring(0, target.length() - action.length() - 1);
        }
        String outcome = status < 400 ? "ok" : status == 403 ? "denied" : "failed " + status;
        AuditLog.record(ctx, action, target, ctx.method().name() + " " + path + " → " + status + (path.startsWith("/api/") ? " (API)" : ""), outcome);
    }

    /** The current role of a user: the bootstrap admin is an admin; a stored account its role, none when disabled or gone. */
    private Optional<Role> roleOf(String user) {
        if (SessionStore.sameSecret(settings.adminUser(), user)) return Optional.of(Role.ADMIN);
        return users.find(user).filter(u -> !u.disabled()).map(Users.User::role);
    }

    private Optional<Session> find(Context ctx) {
        return sessions.find(ctx.cookie(SESSION_COOKIE));
    }

    private boolean hasApiToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (settings.apiToken().isEmpty() || header == null || !header.startsWith("Bearer ")) return false;
        return SessionStore.sameSecret(settings.apiToken().get(), header.substring("Bearer ".length()).trim());
    }

    private void loginPage(Context ctx) {
        String next = safeNext(ctx.queryParam("next"));
        if (sessions.find(ctx.cookie(SESSION_COOKIE)).isPresent()) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        // keep the token of an earlier visit: a second tab (or a browser's favicon fetch) must not void the first form
        String earlier = ctx.cookie(LOGIN_COOKIE);
        String loginToken = earlier != null && earlier.matches("[0-9a-f]{64}") ? earlier : SessionStore.randomToken();
        ctx.res().addHeader("Set-Cookie", LOGIN_COOKIE + "=" + loginToken + "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600" + secure());
        ctx.html(pages.loginPage(next, loginToken, null));
    }

    private void login(Context ctx) {
        String next = safeNext(ctx.formParam("next"));
        String loginToken = ctx.cookie(LOGIN_COOKIE);
        if (loginToken == null || !SessionStore.sameSecret(loginToken, ctx.formParam("_csrf"))) {
            throw new HttpProblem(403, "missing or wrong CSRF token; reload the login page and try again");
        }
        String address = ctx.ip();
        // counted before the slow hash: parallel guesses cannot all pass the check before the first is recorded
        Optional<java.time.Duration> locked = throttle.tryAttempt(address);
        if (locked.isPresent()) {
            audit.record("(not checked)", "", "login-locked", "", "too many failed logins from this address", address, "denied");
            ctx.status(429).header("Retry-After", String.valueOf(Math.max(1, locked.get().toSeconds())))
                    .html(pages.loginPage(next, loginToken, "Too many failed logins; try again in " + Math.max(1, locked.get().toSeconds()) + " s."));
            return;
        }
        String user = ctx.formParam("username");
        String password = ctx.formParam("password");
        // the bootstrap admin, else an enabled stored account; a hash runs even for an unknown user name so that
        // timing does not tell which part was wrong
        boolean bootstrap = SessionStore.sameSecret(settings.adminUser(), user);
        Optional<PasswordHash> stored = bootstrap ? Optional.empty() : users.passwordOf(user);
        boolean userOk = bootstrap || stored.isPresent();
        boolean passwordOk;
        try {
            passwordOk = pacedHash(stored.orElse(settings.adminPassword()), password);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throttle.failed(address);
            throw new HttpProblem(503, "the server is stopping; try again");
        }
        if (!passwordOk || !userOk) {
            throttle.failed(address);
            // an unknown name is not kept: it may be a password typed into the wrong field
            boolean known = bootstrap || (user != null && users.find(user).isPresent());
            audit.record(known ? user : "(unknown user)", "", "login-failed", "", "wrong user name or password", address, "denied");
            ctx.status(401).html(pages.loginPage(next, loginToken, "Wrong user name or password."));
            return;
        }
        throttle.succeeded(address);
        Session session = sessions.create(bootstrap ? settings.adminUser() : user);
        audit.record(session.user(), session.role().label(), "login", "", bootstrap ? "bootstrap admin" : "", address, "ok");
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + settings.sessionTimeout().toSeconds() + secure());
        ctx.res().addHeader("Set-Cookie", LOGIN_COOKIE + "=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0" + secure());
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    /**
     * Hashes the password in its turn of the pace shared by all addresses, with at most {@value #CONCURRENT_HASHES}
     * hashes at once: many addresses together guess no faster than that, and nobody is refused for it.
     */
    private boolean pacedHash(PasswordHash hash, String password) throws InterruptedException {
        Thread.sleep(throttle.reserveHash()); // waiting for this request's turn is the shared pace itself
        hashPermits.acquire();
        try {
            return hash.matches(password == null ? new char[0] : password.toCharArray());
        } finally {
            hashPermits.release();
        }
    }

    private void logout(Context ctx) {
        Session session = ctx.attribute("session");
        if (session != null) {
            sessions.remove(session.id());
            AuditLog.record(ctx, "logout", "", "");
        }
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + secure());
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private String secure() {
        return settings.secureCookies() ? "; Secure" : "";
    }

    /**
     * Only a path on this server: an open redirect to another site after login would help phishing. Browsers drop tabs
     * and newlines and read a backslash as a slash, so {@code /<TAB>/evil.example} would leave; any control character,
     * space or backslash, a {@code //} start, or anything that parses with a scheme or a host gives "/".
     */
    static String safeNext(String next) {
        if (next == null || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) return "/";
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\' || Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) return "/";
        }
        try {
            java.net.URI uri = new java.net.URI(next);
            if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) return "/";
        } catch (java.net.URISyntaxException e) {
            return "/";
        }
        return next;
    }

    // ---- the rest

    private void problem(Context ctx, int status, String message) {
        if (ctx.path().startsWith("/api/") || ctx.path().equals("/metrics")) {
            ApiRoutes.json(ctx, status, Json.error(message));
        } else {
            ctx.status(status).html(pages.errorPage(Optional.ofNullable(ctx.attribute("session")), status, message));
        }
    }

    private void metrics(Context ctx) {
        List<MetricFamily> families = new ArrayList<>();
        for (MetricsSource source : metricsSources) {
            try {
                families.addAll(source.collect());
            } catch (RuntimeException e) {
                // one broken source must not hide the others
            }
        }
        ctx.contentType(PrometheusText.CONTENT_TYPE).result(PrometheusText.write(families));
    }

    private List<MetricFamily> checkFailures() {
        List<Sample> samples = new ArrayList<>();
        data.checkFailureCounts().forEach((check, count) -> samples.add(new Sample("tributary_check_failures_total", Map.of("check", check), count)));
        return List.of(new MetricFamily("tributary_check_failures_total", "Data-quality check results that failed or errored.", MetricType.COUNTER, samples));
    }

    private void staticFile(Context ctx) {
        String file = ctx.pathParam("file");
        String body = staticFiles.get(file);
        if (body == null) throw new HttpProblem(404, "not found: " + ctx.path());
        ctx.contentType(file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8").result(body);
    }

    private static String resource(String name) {
        try (InputStream in = TributaryServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }
}
