package dev.tributary.sandbox.xero;

import java.util.concurrent.CountDownLatch;

/** Runs a sandbox until killed: {@code java ... XeroSandboxMain --port 8090 --tenants 3 --invoices 50000}. */
public final class XeroSandboxMain {
    private XeroSandboxMain() {}

    public static void main(String[] args) throws InterruptedException {
        XeroSandboxOptions options;
        try {
            if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
                System.out.println(XeroSandboxOptions.usage());
                return;
            }
            options = XeroSandboxOptions.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(XeroSandboxOptions.usage());
            System.exit(2);
            return;
        }
        XeroSandbox sandbox = XeroSandbox.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }));
        System.out.println(sandbox.banner(sandbox.consent(sandbox.tenantIds())));
        System.out.flush();
        stopped.await();
    }
}
