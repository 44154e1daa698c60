package dev.tributary.sandbox.sheets;

/** Runs the sandbox without the CLI: {@code java ... SheetsSandboxMain --port 8090 --leads 100000}. */
public final class SheetsSandboxMain {
    private SheetsSandboxMain() { }

    public static void main(String[] args) throws InterruptedException {
        SheetsSandboxOptions options;
        try {
            options = SheetsSandboxOptions.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + SheetsSandboxOptions.usage());
            System.exit(2);
            return;
        }
        SheetsSandbox sandbox = SheetsSandbox.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
        System.out.println(sandbox.banner());
        Thread.currentThread().join();
    }
}
