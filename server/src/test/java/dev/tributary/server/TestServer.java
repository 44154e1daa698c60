package dev.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.project.Environment;
import dev.tributary.project.YamlDocument;
import dev.tributary.spi.Config;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real server on 127.0.0.1 and a free port, and an HTTP client with its own cookie jar. */
final class TestServer implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    static final String TOKEN = "test-api-token-0123456789";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    final FakePipelineService pipelines;
    final TributaryServer server;
    final int port;
    final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    private final ObjectMapper json = new ObjectMapper();

    TestServer(FakePipelineService pipelines, ProjectData data, String serverYaml) {
        this(pipelines, data, serverYaml, java.time.Clock.systemUTC());
    }

    /** With a clock of the test's (sessions and login lockouts follow it). */
    TestServer(FakePipelineService pipelines, ProjectData data, String serverYaml, java.time.Clock clock) {
        this(pipelines, data, serverYaml, clock, server -> {});
    }

    /** {@code configure} runs before the server starts (enablePeople, enableSettings). */
    TestServer(FakePipelineService pipelines, ProjectData data, String serverYaml, java.time.Clock clock,
               java.util.function.Consumer<TributaryServer> configure) {
        this.pipelines = pipelines;
        this.server = new TributaryServer(settings(serverYaml), pipelines, data, clock);
        configure.accept(server);
        this.port = server.start();
    }

    TestServer(FakePipelineService pipelines) {
        this(pipelines, ProjectData.NONE, "port: 0");
    }

    static ServerSettings settings(String serverYaml) {
        return ServerSettings.parse(serverConfig(serverYaml), Map.of(ServerSettings.ENV_ADMIN_PASSWORD, PASSWORD, ServerSettings.ENV_API_TOKEN, TOKEN));
    }

    /** The {@code server:} section of a tributary.yml holding {@code serverYaml} (indented under it). */
    static Config serverConfig(String serverYaml) {
        String text = "server:\n" + serverYaml.lines().map(l -> "  " + l).collect(java.util.stream.Collectors.joining("\n")) + "\n";
        return YamlDocument.parse("tributary.yml", text, Environment.of(Map.of())).config().child("server");
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<String> get(String path, String bearer) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + bearer).GET().build());
    }

    HttpResponse<String> post(String path, String bearer) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<String> postForm(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) throw new AssertionError("no _csrf input in page:\n" + html);
        return m.group(1);
    }

    HttpResponse<String> login(String user, String password) {
        String page = get("/login").body();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", csrf(page));
        form.put("next", "/");
        form.put("username", user);
        form.put("password", password);
        return postForm("/login", form);
    }

    /** Logs in as admin and returns the session's CSRF token, read from the overview page. */
    String loginAsAdmin() {
        HttpResponse<String> r = login("admin", PASSWORD);
        if (r.statusCode() != 303) throw new AssertionError("login failed: " + r.statusCode() + "\n" + r.body());
        return csrf(get("/").body());
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
