package dev.tributary.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark Connect server in a child JVM on a random loopback port (Spark local[1], its default catalog an embedded
 * Iceberg catalog in a folder), from this test's own classpath; {@link #close()} stops it.
 */
final class SparkConnectServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private SparkConnectServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static SparkConnectServer start(Path warehouse, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("spark-connect-client-jvm")) classpath.add(entry); // the client's shaded copies stay out of the server
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"));
        for (String open : List.of("java.lang", "java.lang.invoke", "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent", "sun.nio.ch", "sun.nio.cs", "sun.util.calendar")) {
            cmd.add("--add-opens=java.base/" + open + "=ALL-UNNAMED");
        }
        Map<String, String> conf = new java.util.LinkedHashMap<>();
        conf.put("spark.master", "local[1]");
        conf.put("spark.app.name", "tributary-connect-test");
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.sql.shuffle.partitions", "2");
        conf.put("spark.connect.grpc.binding.address", "127.0.0.1");
        conf.put("spark.connect.grpc.binding.port", String.valueOf(port));
        conf.put("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
        conf.putAll(dev.tributary.transform.SparkTargets.icebergCatalog("tributary", "embedded", warehouse, null, null));
        java.nio.file.Files.createDirectories(warehouse);
        for (Map.Entry<String, String> e : conf.entrySet()) cmd.add("-D" + e.getKey() + "=" + e.getValue());
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath));
        cmd.add("org.apache.spark.sql.connect.service.SparkConnectServer");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        SparkConnectServer server = new SparkConnectServer(p, port);
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("the Spark Connect server exited (" + p.exitValue() + "); see " + log);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return server;
            } catch (IOException notYet) {
                Thread.sleep(500); // the server is starting Spark: its port opens when it is ready
            }
        }
        server.close();
        throw new IllegalStateException("the Spark Connect server did not open port " + port + " within 3 minutes; see " + log);
    }

    String url() {
        return "sc://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
