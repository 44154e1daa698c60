package dev.tributary.sandbox.snowflake;

import java.util.concurrent.CountDownLatch;

/** Runs the Snowflake sandbox without the CLI: the flags of {@link SnowflakeSandboxOptions#usage()}; stops on Ctrl-C. */
public final class SnowflakeSandboxMain {
    private SnowflakeSandboxMain() {}

    public static void main(String[] args) throws InterruptedException {
        SnowflakeSandboxOptions options;
        try {
            options = SnowflakeSandboxOptions.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("snowflake sandbox: " + e.getMessage());
            System.err.println(SnowflakeSandboxOptions.usage());
            System.exit(2);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (SnowflakeSandbox sandbox = SnowflakeSandbox.start(options)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.println(sandbox.banner());
            stop.await();
        }
    }
}
