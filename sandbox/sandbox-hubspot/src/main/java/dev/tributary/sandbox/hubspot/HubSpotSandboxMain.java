package dev.tributary.sandbox.hubspot;

import java.util.concurrent.CountDownLatch;

/** Runs a sandbox until killed: {@code java ... HubSpotSandboxMain --port 8089 --seed 42 --scale contacts=100000}. */
public final class HubSpotSandboxMain {
    private HubSpotSandboxMain() {}

    public static void main(String[] args) throws InterruptedException {
        SandboxOptions options;
        try {
            if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
                System.out.println(SandboxOptions.usage());
                return;
            }
            options = SandboxOptions.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SandboxOptions.usage());
            System.exit(2);
            return;
        }
        HubSpotSandbox sandbox = HubSpotSandbox.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }));
        System.out.println(sandbox.banner());
        System.out.flush();
        stopped.await();
    }
}
