package dev.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium driven through ChromeDriver's W3C WebDriver protocol (Debian's {@code chromium} and
 * {@code chromium-driver}; no browser download). Outside CI a machine without them skips the test with a message
 * saying what to install; with {@code CI=true} the test fails instead.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final Path profile;

    private HeadlessChromium(Process driver, String base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    static HeadlessChromium start() throws IOException {
        Path chromium = firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser");
        Path chromedriver = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        if (chromium == null || chromedriver == null) {
            String message = "headless Chromium is not installed (apt-get install chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true and " + message);
            Assumptions.abort("skipped: " + message);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("chromedriver", ".log");
        Process p = new ProcessBuilder(chromedriver.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Path profile = Files.createTempDirectory("chromium-profile");
        HeadlessChromium browser = new HeadlessChromium(p, "http://127.0.0.1:" + port, profile);
        browser.waitFor(Duration.ofSeconds(20), "chromedriver to listen on port " + port, browser::driverReady);
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode options = always.putObject("goog:chromeOptions");
        options.put("binary", chromium.toString());
        var args = options.putArray("args");
        for (String a : List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile)) {
            args.add(a);
        }
        JsonNode session = browser.call("POST", "/session", caps);
        browser.sessionId = session.path("sessionId").asText();
        return browser;
    }

    private String sessionId;

    void get(String url) {
        post("/url", JSON.createObjectNode().put("url", url));
    }

    String currentUrl() {
        return call("GET", "/session/" + sessionId + "/url", null).asText();
    }

    /** The first element matching a CSS selector, or null. */
    String find(String css) {
        JsonNode found = post("/elements", JSON.createObjectNode().put("using", "css selector").put("value", css));
        return found.isArray() && !found.isEmpty() ? found.get(0).path(ELEMENT).asText() : null;
    }

    List<String> findAll(String css) {
        List<String> ids = new ArrayList<>();
        post("/elements", JSON.createObjectNode().put("using", "css selector").put("value", css)).forEach(e -> ids.add(e.path(ELEMENT).asText()));
        return ids;
    }

    /** Waits (up to the timeout) for an element matching the selector and returns it. */
    String await(String css, Duration timeout) {
        String[] found = new String[1];
        waitFor(timeout, "an element matching " + css + " on " + currentUrl(), () -> (found[0] = find(css)) != null);
        return found[0];
    }

    void click(String element) {
        post("/element/" + element + "/click", JSON.createObjectNode());
    }

    void type(String element, String text) {
        post("/element/" + element + "/value", JSON.createObjectNode().put("text", text));
    }

    String text(String element) {
        return call("GET", "/session/" + sessionId + "/element/" + element + "/text", null).asText();
    }

    String attribute(String element, String name) {
        JsonNode v = call("GET", "/session/" + sessionId + "/element/" + element + "/attribute/" + name, null);
        return v.isNull() ? null : v.asText();
    }

    String pageSource() {
        return call("GET", "/session/" + sessionId + "/source", null).asText();
    }

    Object script(String js) {
        ObjectNode body = JSON.createObjectNode().put("script", js);
        body.putArray("args");
        JsonNode v = post("/execute/sync", body);
        return v.isNull() ? null : v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue() : v.asText();
    }

    /** Sets the window's outer size (in headless mode the viewport's). */
    void windowSize(int width, int height) {
        post("/window/rect", JSON.createObjectNode().put("width", width).put("height", height));
    }

    /** Signs in at {@code base} as admin with {@code password} and waits for the navigation. */
    void logInAsAdmin(String base, String password) {
        get(base + "/login");
        type(await("input[name=username]", Duration.ofSeconds(20)), "admin");
        type(find("input[name=password]"), password);
        click(find("form#login-form button"));
        await("nav#nav", Duration.ofSeconds(20));
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(call("GET", "/session/" + sessionId + "/screenshot", null).asText()));
    }

    /** Polls a condition every 100 ms until it holds; fails the test with what it waited for after the timeout. */
    void waitFor(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) Assertions.fail("waited " + timeout.toSeconds() + " s for " + what);
            // the browser and server work on other threads and processes; check again shortly
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private boolean driverReady() {
        try {
            return call("GET", "/status", null).path("ready").asBoolean(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private JsonNode post(String path, JsonNode body) {
        return call("POST", "/session/" + sessionId + path, body);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).header("Content-Type", "application/json");
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode value = JSON.readTree(r.body()).path("value");
            if (r.statusCode() >= 400) throw new IllegalStateException("WebDriver " + method + " " + path + ": " + value.path("message").asText(r.body()));
            return value;
        } catch (IOException e) {
            throw new IllegalStateException("WebDriver " + method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path firstExisting(String... paths) {
        for (String p : paths) {
            if (Files.isExecutable(Path.of(p))) return Path.of(p);
        }
        return null;
    }

    @Override
    public void close() {
        try {
            if (sessionId != null) call("DELETE", "/session/" + sessionId, null);
        } catch (RuntimeException ignored) {
            // the browser may already be gone; the driver is stopped below either way
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(10, TimeUnit.SECONDS)) driver.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
