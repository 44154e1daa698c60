package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An s3:// warehouse on the runtime class path only (what the runnable jar bundles), in a child JVM: the test class
 * path brings jars through test dependencies (s3proxy brings the AWS SDK's STS client) that would hide a missing one.
 */
class IcebergRuntimeClasspathTest {
    private static final StreamId STREAM = StreamId.of("people");
    @TempDir Path dir;

    @Test
    void anS3WarehouseWorksOnTheRuntimeClassPath() throws Exception {
        Path list = Path.of("target", "runtime-classpath.txt");
        assertThat(list).as("written by maven-dependency-plugin (build-classpath) in generate-test-resources").exists();
        String classPath = String.join(java.io.File.pathSeparator, Path.of("target", "classes").toAbsolutePath().toString(),
                Path.of("target", "test-classes").toAbsolutePath().toString(), Files.readString(list).strip(), jacksonAnnotations());
        ObjectNode settings = S3ProxyServer.shared().config("lake", "runtime-" + java.util.UUID.randomUUID(), dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", classPath, Child.class.getName(), settings.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child finished").isTrue();
        assertThat(output).doesNotContain("NoClassDefFoundError").doesNotContain("ClassNotFoundException");
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("committed position 1");
    }

    /**
     * The pom declares jackson-annotations at test scope (s3proxy needs a newer one), which takes it off this module's
     * runtime list; the runnable jar gets it through jackson-databind. The test class path's copy stands in.
     */
    private static String jacksonAnnotations() {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("jackson-annotations-")) return entry;
        }
        throw new IllegalStateException("no jackson-annotations jar on the test class path");
    }

    /** The child: opens the s3:// warehouse, writes and commits one row, reads the state back. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            Schema schema = new Schema(List.of(new Field("id", DataType.INTEGER, false)), List.of("id"));
            ConfiguredStream stream = new ConfiguredStream("runtime", new StreamDescriptor(STREAM, schema, Set.of(SyncMode.INCREMENTAL), Optional.empty()),
                    SyncMode.INCREMENTAL, WriteMode.APPEND, List.of(), ErrorPolicy.FAIL, "runtime", "people");
            ObjectMapper json = new ObjectMapper();
            try (IcebergSession session = new IcebergDestination().open(Config.of((ObjectNode) json.readTree(args[0])))) {
                try (StreamWriter w = session.writer(stream, RunId.generate())) {
                    List<Record> rows = new ArrayList<>();
                    rows.add(new Record(new Object[] {1L}, "child"));
                    w.write(new RecordBatch(schema, rows, List.of(), Optional.empty()));
                    w.commit(Optional.of(new StreamState(STREAM, 1, json.createObjectNode().put("position", 1))));
                }
                System.out.println("committed position " + session.committedState("runtime", STREAM).orElseThrow().value().get("position"));
            }
        }
    }
}
