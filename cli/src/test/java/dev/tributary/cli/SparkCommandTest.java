package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary spark}: what of Spark's jars is cached; {@code --install} offline fails naming the jar and the way out. */
class SparkCommandTest {
    @TempDir
    Path dir;

    @Test
    void showsTheCacheAndFailsPlainlyOffline() throws Exception {
        System.setProperty("tributary.spark.cache", dir.resolve("cache").toString());
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        System.setProperty("tributary.maven.repository", "http://127.0.0.1:" + closedPort + "/maven2");
        try {
            CliRunner cli = new CliRunner(dir, Map.of());
            CliRunner.Result shown = cli.run("spark");
            assertThat(shown.exitCode()).as(shown.toString()).isZero();
            assertThat(shown.out()).containsPattern("Spark \\(local\\[N]\\) +\\d{3} jars, \\d{3} missing, 0 MB in " + java.util.regex.Pattern.quote(dir.resolve("cache").toString()))
                    .containsPattern("Spark Connect client \\(sc://\\) +\\d{2} jars, \\d{2} missing, 0 MB");
            CliRunner.Result install = cli.run("spark", "--install");
            assertThat(install.exitCode()).as(install.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(install.err()).contains("is fetched once from http://127.0.0.1:" + closedPort + "/maven2")
                    .containsPattern("tributary spark: cannot fetch \\S+ for Spark from http://127\\.0\\.0\\.1:" + closedPort + "/maven2/\\S+\\.jar: ConnectException")
                    .contains("set TRIBUTARY_MAVEN_REPOSITORY to a reachable Maven repository");
        } finally {
            System.clearProperty("tributary.spark.cache");
            System.clearProperty("tributary.maven.repository");
        }
    }
}
