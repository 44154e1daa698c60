package dev.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.project.FileSecretStore;
import dev.tributary.scheduler.JdbcMetadataStore;
import dev.tributary.scheduler.tenant.AppSettings;
import dev.tributary.scheduler.tenant.TenantStore;
import dev.tributary.scheduler.tenant.Tenants;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: an install callback that failed inside (the 1,000-tenant benchmark's duplicate key on two first installs
 * of one hub) answered 500 and left no line in the worker's log. Now every 500 is logged with its cause and stack,
 * the method and path but never the query, and no secret: not the install's code or state, nor the app's client
 * secret, nor the tokens HubSpot answered.
 */
class TenantCallbackErrorLogTest {
    private static final String CLIENT_SECRET = "client-secret-0f1e2d3c";
    private static final String ACCESS_TOKEN = "access-token-9a8b7c6d";
    private static final String REFRESH_TOKEN = "refresh-token-5e4f3a2b";
    private static final String CODE = "install-code-1b2c3d4e";

    @TempDir
    Path dir;

    @Test
    void aCallbackAnswering500IsLoggedWithItsCauseAndNoSecret() throws Exception {
        HttpServer hubspot = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hubspot.createContext("/oauth/v3/token", exchange -> answer(exchange, """
                {"access_token": "%s", "refresh_token": "%s", "hub_id": 42, "user_id": 7, "scopes": ["oauth"]}""".formatted(ACCESS_TOKEN, REFRESH_TOKEN)));
        hubspot.createContext("/oauth/v1/access-tokens/", exchange -> answer(exchange, """
                {"hub_id": 42, "hub_domain": "a.example", "user": "ann@a.example"}"""));
        hubspot.start();
        String api = "http://127.0.0.1:" + hubspot.getAddress().getPort();
        AppSettings app = new AppSettings("app-id", CLIENT_SECRET, List.of("oauth"), List.of(), URI.create("http://127.0.0.1/oauth/callback"),
                URI.create(api + "/oauth/authorize"), api, 4, Duration.ofMinutes(10));
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try (JdbcMetadataStore db = JdbcMetadataStore.h2(dir.resolve("metadata"))) {
            TenantStore store = TenantStore.open(db, FileSecretStore.forProject(dir, Map.of(FileSecretStore.KEY_ENV, "test passphrase")));
            Tenants tenants = new Tenants(app, store, hub -> "nothing", alert -> { }, Clock.systemUTC());
            try (TestServer server = new TestServer(new FakePipelineService(), ProjectData.NONE, "port: 0", Clock.systemUTC(),
                    s -> s.enableTenants(tenants, List.of()))) {
                HttpResponse<String> start = server.get("/install");
                assertThat(start.statusCode()).isEqualTo(302);
                String authorize = start.headers().firstValue("Location").orElseThrow();
                String state = URLDecoder.decode(authorize.replaceAll(".*[?&]state=([^&]*).*", "$1"), StandardCharsets.UTF_8);
                // the store fails the install: its tenants table is gone
                db.transaction(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("DROP TABLE " + db.table("tenants"));
                    }
                    return null;
                });

                HttpResponse<String> callback = server.get("/oauth/callback?code=" + CODE + "&state=" + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8));
                assertThat(callback.statusCode()).as(callback.body()).isEqualTo(500);

                List<String> logged = records.stream().map(TenantCallbackErrorLogTest::text).toList();
                assertThat(records).as("log records: " + logged).anySatisfy(r -> {
                    assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
                    assertThat(text(r)).contains("GET /oauth/callback answered 500").containsIgnoringCase("TENANTS").contains("at dev.tributary.");
                });
                for (String line : logged) {
                    assertThat(line).doesNotContain(CODE).doesNotContain(state).doesNotContain(CLIENT_SECRET).doesNotContain(ACCESS_TOKEN)
                            .doesNotContain(REFRESH_TOKEN);
                }
            }
        } finally {
            root.removeHandler(capture);
            hubspot.stop(0);
        }
    }

    /** A record as a log file shows it: message and the exception's stack with its causes. */
    private static String text(LogRecord r) {
        StringWriter out = new StringWriter();
        out.append(r.getMessage());
        if (r.getThrown() != null) r.getThrown().printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws java.io.IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
