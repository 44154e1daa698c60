package dev.tributary.sandbox.wrike;

import java.util.concurrent.CountDownLatch;

/** Runs a sandbox until killed: {@code java ... WrikeSandboxMain --port 8091 --tasks 100000 --region eu}. */
public final class WrikeSandboxMain {
    private WrikeSandboxMain() {}

    public static void main(String[] args) throws InterruptedException {
        WrikeSandboxOptions options;
        try {
            if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
                System.out.println(WrikeSandboxOptions.usage());
                return;
            }
            options = WrikeSandboxOptions.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(WrikeSandboxOptions.usage());
            System.exit(2);
            return;
        }
        WrikeSandbox sandbox = WrikeSandbox.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }));
        System.out.println(sandbox.banner(sandbox.consent()));
        System.out.flush();
        stopped.await();
    }
}
