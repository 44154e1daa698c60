package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs conformance/check.mjs with HubSpot's official Node client against an embedded sandbox. Skips when node or
 * npm is missing, unless CI=true, where a missing Node is a failure.
 */
class NodeClientConformanceTest {

    @Test
    void officialNodeClientReadsTheSandbox() throws Exception {
        Path dir = conformanceDir();
        String node = which("node");
        String npm = which("npm");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (node == null || npm == null) {
            if (ci) throw new AssertionError("CI=true but node/npm are not on PATH: the Node conformance check cannot run");
            Assumptions.abort("node/npm not found on PATH: skipping the @hubspot/api-client conformance check (set CI=true to make this a failure)");
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@hubspot/api-client"))) {
            // Not inheritIO: npm would share (and set non-blocking) the test JVM's stdin, which is surefire's command channel.
            Path npmLog = Files.createTempFile("npm-ci", ".log");
            Process install = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
            install.getOutputStream().close();
            assertThat(install.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished").isTrue();
            assertThat(install.exitValue()).as("npm ci exit code; its output:%n%s", Files.readString(npmLog)).isZero();
        }
        try (HubSpotSandbox sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(1_500).rateLimitsEnabled(false)
                .clockStart(Instant.parse("2025-07-01T00:00:00Z")).build())) {
            String refresh = refreshToken(sandbox);
            Path log = Files.createTempFile("hubspot-conformance", ".log");
            Process check = new ProcessBuilder(node, "check.mjs", sandbox.baseUrl(), sandbox.privateAppToken(),
                    sandbox.oauthClientId(), sandbox.oauthClientSecret(), refresh)
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            check.getOutputStream().close();
            boolean done = check.waitFor(300, TimeUnit.SECONDS);
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(done).as("check.mjs finished").isTrue();
            assertThat(check.exitValue()).as("check.mjs exit code; output:\n" + output).isZero();
            assertThat(output).contains("conformance: all checks passed").contains("refresh_token grant");
            Files.deleteIfExists(log);
        }
    }

    private static String refreshToken(HubSpotSandbox sandbox) {
        HubSpotHttp http = new HubSpotHttp(sandbox.baseUrl(), null);
        long hub = sandbox.hubIds().get(0);
        String redirect = sandbox.oauthRedirectUri();
        var chosen = http.get("/oauth/authorize/choose?hub_id=" + hub + "&client_id=" + sandbox.oauthClientId()
                + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&scope=oauth");
        Matcher m = Pattern.compile("code=([^&]+)").matcher(chosen.header("Location"));
        assertThat(m.find()).isTrue();
        String code = java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        var token = http.postForm("/oauth/v1/token", "grant_type=authorization_code&client_id=" + sandbox.oauthClientId()
                + "&client_secret=" + sandbox.oauthClientSecret() + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                + "&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8));
        assertThat(token.status()).isEqualTo(200);
        return token.json().get("refresh_token").asText();
    }

    private static Path conformanceDir() {
        String base = System.getProperty("basedir");
        Path dir = (base != null ? Path.of(base) : Path.of("")).toAbsolutePath().resolve("conformance");
        if (!Files.isDirectory(dir)) dir = Path.of("sandbox/sandbox-hubspot/conformance").toAbsolutePath();
        return dir;
    }

    private static String which(String program) throws IOException {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(p, program);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        for (String fallback : List.of("/usr/bin/", "/usr/local/bin/")) {
            if (Files.isExecutable(Path.of(fallback + program))) return fallback + program;
        }
        return null;
    }
}
