package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.project.Connectors;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A HubSpot sandbox with an installable app and {@code tributary serve} on a project whose app: section points at
 * it, with a multi-tenant connection {@code crm} and a manual pipeline {@code crm} that syncs it; helpers to install
 * accounts over HTTP, call the API and run the pipeline.
 */
final class TenantServe implements AutoCloseable {
    static final String PASSWORD = "tenant-" + Long.toHexString(System.nanoTime());
    static final String CLIENT_ID = "tenant-test-app";
    static final String CLIENT_SECRET = "tenant-test-secret-" + Long.toHexString(System.nanoTime());
    static final ObjectMapper JSON = new ObjectMapper();

    final HubSpotSandbox hubspot;
    final Path dir;
    final StringWriter out = new StringWriter();
    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final CompletableFuture<Integer> exit;
    private final ServeCommand serve;

    /** {@code destination} is the YAML of the destination section's body; {@code extraYaml} is appended to the file. */
    TenantServe(Path dir, int portals, int contacts, int maxConcurrent, String destination, String extraYaml) throws Exception {
        this(dir, portals, contacts, maxConcurrent, destination, extraYaml, new String[0]);
    }

    /** {@code serveArgs} are added to serve's command line (e.g. {@code --worker-id a} on a PostgreSQL metadata store). */
    TenantServe(Path dir, int portals, int contacts, int maxConcurrent, String destination, String extraYaml, String... serveArgs) throws Exception {
        this.dir = dir;
        this.hubspot = HubSpotSandbox.start(SandboxOptions.builder().portals(portals).contacts(contacts).appClientId(CLIENT_ID)
                .appClientSecret(CLIENT_SECRET).searchLagSeconds(0).build());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        this.base = "http://127.0.0.1:" + port;
        Files.writeString(dir.resolve("tributary.yml"), """
                name: tenants
                destination:
                %s
                app:
                  client_id: %s
                  client_secret: ${HUBSPOT_APP_CLIENT_SECRET}
                  scopes: [oauth, crm.objects.contacts.read, crm.objects.companies.read]
                  optional_scopes: [crm.objects.deals.read]
                  redirect_url: %s/oauth/callback
                  authorize_url: %s/oauth/authorize
                  api_url: %s
                  max_concurrent_tenants: %d
                connections:
                  crm:
                    type: hubspot
                    multi_tenant: true
                    config:
                      streams: [contacts, companies]
                      safety_lag_seconds: 0
                pipelines:
                  crm:
                    steps:
                      - sync: [crm]
                %s
                """.formatted(destination.indent(2).stripTrailing(), CLIENT_ID, base, hubspot.baseUrl(), hubspot.baseUrl(), maxConcurrent, extraYaml));
        Serve first = new Serve(dir, out, port, serveArgs);
        serve = first.serve;
        exit = first.exit;
        if (!first.started.await(60, TimeUnit.SECONDS)) {
            close();
            throw new AssertionError("serve did not start:\n" + out + "\nexit " + (exit.isDone() ? exit.join() : "none"));
        }
    }

    /** One serve process (in this JVM) on the project. */
    static final class Serve implements AutoCloseable {
        final ServeCommand serve;
        final CompletableFuture<Integer> exit;
        final CountDownLatch started = new CountDownLatch(1);

        Serve(Path dir, StringWriter out, int port, String... serveArgs) {
            Map<String, String> env = new HashMap<>();
            env.put("TRIBUTARY_ADMIN_PASSWORD", PASSWORD);
            env.put("TRIBUTARY_API_TOKEN", PASSWORD);
            env.put("HUBSPOT_APP_CLIENT_SECRET", CLIENT_SECRET);
            env.put("TRIBUTARY_SECRET_KEY", "tenant test key");
            CommandLine commandLine = TributaryCommand.commandLine(env, Connectors.discover(), new PrintWriter(out, true), new PrintWriter(out, true));
            serve = commandLine.getSubcommands().get("serve").getCommand();
            serve.onStarted = started::countDown;
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("-p", dir.toString(), "serve", "--port", Integer.toString(port)));
            args.addAll(java.util.List.of(serveArgs));
            exit = new CompletableFuture<>();
            // a thread of its own: the common pool may have one thread only (two cores), and a serve holds it until stopped
            Thread.ofPlatform().daemon().name("serve-" + port).start(() -> {
                try {
                    exit.complete(commandLine.execute(args.toArray(String[]::new)));
                } catch (Throwable t) {
                    exit.completeExceptionally(t);
                }
            });
        }

        @Override
        public void close() {
            serve.stop.countDown();
            try {
                exit.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the test's own assertions
            }
        }
    }

    /** Another serve process (a worker) on the same project and store, on a port of its own. */
    Serve startWorker(String... serveArgs) throws Exception {
        Serve w = new Serve(dir, out, 0, serveArgs);
        if (!w.started.await(60, TimeUnit.SECONDS)) {
            w.close();
            throw new AssertionError("the worker did not start:\n" + out);
        }
        return w;
    }

    /** Installs the app in one portal the way a browser would, without the pages: install link, consent, callback. */
    long install(long hub) throws Exception {
        String callback = installCallbackUrl(hub);
        HttpResponse<String> done = get(callback, null);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("id=\"installed\"").contains("hub " + hub);
        return hub;
    }

    /** Follows the install link and the sandbox's consent for {@code hub}, and returns the callback URL (not yet visited). */
    String installCallbackUrl(long hub) throws Exception {
        HttpResponse<String> start = get(base + "/install", null);
        assertThat(start.statusCode()).isEqualTo(302);
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(hubspot.baseUrl() + "/oauth/authorize?client_id=" + CLIENT_ID);
        HttpResponse<String> granted = get(hubspot.baseUrl() + "/oauth/authorize/choose?hub_id=" + hub + "&" + authorize.getRawQuery(), null);
        assertThat(granted.statusCode()).isEqualTo(302);
        String callback = granted.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(base + "/oauth/callback?code=");
        return callback;
    }

    HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode api(String method, String path) throws Exception {
        HttpResponse<String> r = apiResponse(method, path);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> apiResponse(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + PASSWORD).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Triggers the crm pipeline and waits for the run to end; returns the run. */
    JsonNode runPipeline() throws Exception {
        return awaitRun(trigger());
    }

    /** Triggers the crm pipeline; returns the run's id. */
    long trigger() throws Exception {
        return api("POST", "/pipelines/crm/trigger").get("id").asLong();
    }

    /** Waits for a run to end; returns the run. */
    JsonNode awaitRun(long id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = api("GET", "/runs/" + id);
            String status = run.get("status").asText();
            if (!status.equals("queued") && !status.equals("running")) return run;
            Thread.sleep(200); // polls the run's status: the run itself is what is waited for
        }
        throw new AssertionError("run " + id + " did not end; serve output:\n" + out);
    }

    /** The run's log as text. */
    String log(long runId) throws Exception {
        StringBuilder b = new StringBuilder();
        for (JsonNode line : api("GET", "/runs/" + runId + "/log?limit=1000").get("lines")) {
            b.append(line.path("system").asText()).append(' ').append(line.path("message").asText()).append('\n');
        }
        return b.toString();
    }

    /** A browser-less login: the session cookie of admin, for the HTML pages. */
    HttpClient loggedIn() throws Exception {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10)).build();
        String page = client.send(HttpRequest.newBuilder(URI.create(base + "/login")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([0-9a-f]+)\"").matcher(page);
        assertThat(csrf.find()).isTrue();
        String form = "_csrf=" + csrf.group(1) + "&next=%2F&username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(303);
        return client;
    }

    @Override
    public void close() {
        serve.stop.countDown();
        try {
            exit.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // reported by the test's own assertions
        }
        hubspot.close();
    }
}
