package dev.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.transform.NodeResult;
import dev.tributary.transform.NodeStatus;
import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformOptions;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.TransformRunner;
import dev.tributary.transform.spark.SparkRuntime;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lakehouse project on a remote Spark through Spark Connect (profiles.yml {@code method: connect}): a server the test
 * starts in a child JVM on a random loopback port builds the same node results and rows as DuckDB.
 */
class SparkConnectBuildTest {
    @TempDir
    static Path dir;

    @AfterAll
    static void stopSpark() {
        SparkRuntime.shutdown();
    }

    @Test
    void buildsOnASparkConnectServerAsOnDuckDb() throws Exception {
        LakehouseProject.copyTo(dir);
        try (SparkConnectServer server = SparkConnectServer.start(dir.resolve("server-lakehouse"), dir.resolve("connect-server.log"))) {
            Path profiles = dir.resolve("profiles.yml");
            java.nio.file.Files.writeString(profiles, java.nio.file.Files.readString(profiles).replace("sc://127.0.0.1:15002", server.url()));
            RunSummary duck = new TransformRunner(load("duck", server), null).build();
            TransformProject remote = load("connect", server);
            assertThat(remote.target().jdbcUrl()).isEqualTo("jdbc:tributary-spark:" + server.url());
            RunSummary spark = new TransformRunner(remote, null).build();
            assertThat(statuses(spark)).as(spark.summaryLine() + SparkLocalBuildTest.messages(spark)).isEqualTo(statuses(duck));
            assertThat(spark.exitCode()).isZero();
            try (Connection d = load("duck", server).target().connect(); Connection s = remote.target().connect()) {
                for (String relation : LakehouseProject.RELATIONS) {
                    assertThat(LakehouseProject.rows(s, relation)).as(relation).isNotEmpty().isEqualTo(LakehouseProject.rows(d, relation));
                }
            } finally {
                SparkRuntime.shutdown(); // releases the remote session while its server is up
            }
        }
    }

    private static TransformProject load(String target, SparkConnectServer server) {
        return TransformProject.load(dir, TransformOptions.defaults().withProfilesDir(dir).withTarget(target));
    }

    private static Map<String, NodeStatus> statuses(RunSummary r) {
        Map<String, NodeStatus> out = new TreeMap<>();
        for (NodeResult n : r.results()) out.put(n.name(), n.status());
        return out;
    }
}
