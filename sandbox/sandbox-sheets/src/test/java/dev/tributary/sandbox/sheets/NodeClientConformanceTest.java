package dev.tributary.sandbox.sheets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs conformance/check.mjs with Google's official Node client ({@code @googleapis/sheets} 14.0.0, the newest for
 * Node 20) against an embedded sandbox: API key, refresh token and service account. Skips when node or npm is
 * missing, unless CI=true, where that is a failure.
 */
class NodeClientConformanceTest {

    @Test
    void officialNodeClientReadsTheSandbox() throws Exception {
        Path dir = conformanceDir();
        String node = which("node");
        String npm = which("npm");
        if (node == null || npm == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError("CI=true but node/npm are not on PATH: the Node conformance check cannot run");
            Assumptions.abort("node/npm not found on PATH: skipping the @googleapis/sheets conformance check (set CI=true to make this a failure)");
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@googleapis/sheets"))) {
            Path npmLog = Files.createTempFile("npm-ci", ".log");
            // not inheritIO: npm would share the test JVM's stdin, surefire's command channel
            Process install = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
            install.getOutputStream().close();
            assertThat(install.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished").isTrue();
            assertThat(install.exitValue()).as("npm ci exit code; its output:%n%s", Files.readString(npmLog)).isZero();
        }
        try (SheetsSandbox sandbox = SheetsSandbox.start(SheetsSandboxOptions.builder().leads(200).quotasEnabled(false).build())) {
            Path keyFile = sandbox.writeServiceAccountKey(Files.createTempFile("sa-key", ".json"));
            Path log = Files.createTempFile("sheets-conformance", ".log");
            Process check = new ProcessBuilder(node, "check.mjs", sandbox.baseUrl(), sandbox.leadsSpreadsheetId(), sandbox.apiKey(),
                    sandbox.oauthClientId(), sandbox.oauthClientSecret(), sandbox.refreshToken(), keyFile.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            check.getOutputStream().close();
            boolean done = check.waitFor(120, TimeUnit.SECONDS);
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(done).as("check.mjs finished").isTrue();
            assertThat(check.exitValue()).as("check.mjs exit code; output:\n" + output).isZero();
            assertThat(output).contains("conformance: all checks passed").contains("refresh_token grant through the OAuth2 client")
                    .contains("service-account JWT exchanged at token_uri");
            assertThat(sandbox.counters().count("POST /token 200")).isGreaterThanOrEqualTo(2);
            Files.deleteIfExists(log);
            Files.deleteIfExists(keyFile);
        }
    }

    private static Path conformanceDir() {
        String base = System.getProperty("basedir");
        Path dir = (base != null ? Path.of(base) : Path.of("")).toAbsolutePath().resolve("conformance");
        if (!Files.isDirectory(dir)) dir = Path.of("sandbox/sandbox-sheets/conformance").toAbsolutePath();
        return dir;
    }

    private static String which(String program) {
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
