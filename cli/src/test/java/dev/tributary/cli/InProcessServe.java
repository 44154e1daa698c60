package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Connectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** {@code tributary -p dir serve --port 0} in this JVM, started and listening; closing stops it and expects exit code 0. */
final class InProcessServe implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final ServeCommand serve;
    private final CompletableFuture<Integer> exit;

    InProcessServe(Map<String, String> env, Path dir) throws InterruptedException {
        CommandLine commandLine = TributaryCommand.commandLine(env, Connectors.discover(), new PrintWriter(out, true), new PrintWriter(out, true));
        serve = commandLine.getSubcommands().get("serve").getCommand();
        CountDownLatch started = new CountDownLatch(1);
        serve.onStarted = started::countDown;
        exit = CompletableFuture.supplyAsync(() -> commandLine.execute("-p", dir.toString(), "serve", "--port", "0"));
        assertThat(started.await(60, TimeUnit.SECONDS)).as(out::toString).isTrue();
    }

    /** http://127.0.0.1:port */
    String base() {
        return "http://127.0.0.1:" + serve.boundPort;
    }

    String output() {
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        serve.stop.countDown();
        assertThat(exit.get(60, TimeUnit.SECONDS)).as(out::toString).isZero();
    }
}
