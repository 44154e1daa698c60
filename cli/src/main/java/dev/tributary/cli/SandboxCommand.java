package dev.tributary.cli;

import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code tributary sandbox hubspot|wrike ...}: local simulators of the APIs we connect to, for demos, tests and benchmarks. */
@Command(name = "sandbox", description = "Run a local simulator of an API Tributary connects to.",
        subcommands = {SandboxCommand.HubSpot.class, SandboxCommand.Wrike.class, CommandLine.HelpCommand.class})
final class SandboxCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("tributary sandbox: name the API to simulate, e.g. 'tributary sandbox hubspot --help'");
        return ExitCode.CONFIG;
    }

    /** The HubSpot CRM simulator, until Ctrl-C (or {@code --stop-after}); prints its URL, tokens and OAuth credentials. */
    @Command(name = "hubspot", description = {"Run the HubSpot CRM API simulator on 127.0.0.1 until stopped (Ctrl-C).",
            "Options after 'hubspot' are the sandbox's own; see the list below."})
    static final class HubSpot implements Callable<Integer> {
        CommandLine.Model.CommandSpec spec;

        @Spec
        void spec(CommandLine.Model.CommandSpec spec) {
            this.spec = spec;
            spec.usageMessage().footer("%nSandbox " + SandboxOptions.usage().replace("%", "%%"));
        }

        @Option(names = "--stop-after", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (for scripts).")
        Long stopAfter;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and the sandbox's options.")
        boolean help;

        @Unmatched
        List<String> sandboxArgs = new ArrayList<>();

        private final CountDownLatch stop = new CountDownLatch(1);

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            SandboxOptions options;
            try {
                options = SandboxOptions.fromArgs(sandboxArgs.toArray(String[]::new));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("tributary sandbox hubspot: " + e.getMessage());
                spec.commandLine().getErr().println(SandboxOptions.usage());
                return ExitCode.CONFIG;
            }
            try (HubSpotSandbox sandbox = HubSpotSandbox.start(options)) {
                Thread hook = new Thread(stop::countDown);
                Runtime.getRuntime().addShutdownHook(hook);
                out.println(sandbox.banner());
                TributaryCommand root = spec.commandLine().getParent().getParent().getCommand();
                out.println(projectSettings(sandbox, InitCommand.command(root.environment)));
                out.flush();
                try {
                    if (stopAfter == null) stop.await(); else stop.await(stopAfter, TimeUnit.SECONDS);
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the JVM is stopping: the hook has run
                    }
                }
            }
            out.println("sandbox stopped");
            return ExitCode.OK;
        }

        /** How a project reads this sandbox: the environment (or .env) values and the connection in tributary.yml using them. */
        static String projectSettings(HubSpotSandbox sandbox, String launcher) {
            long hub = sandbox.hubIds().get(0);
            return "To point a project at it, set these in its environment or .env"
                    + (sandbox.hubIds().size() > 1 ? " (portal " + hub + "; each portal has its own token above)" : "") + ":\n"
                    + "  HUBSPOT_BASE_URL=" + sandbox.baseUrl() + "\n"
                    + "  HUBSPOT_TOKEN=" + sandbox.privateAppToken(hub) + "\n"
                    + "and give its tributary.yml a connection that reads them:\n"
                    + "  connections:\n"
                    + "    hubspot:\n"
                    + "      type: hubspot\n"
                    + "      config: {base_url: \"${HUBSPOT_BASE_URL}\", access_token: \"${HUBSPOT_TOKEN}\"}\n"
                    + "Then: " + launcher + " -p PROJECT check hubspot; " + launcher + " -p PROJECT sync hubspot. Ctrl-C stops the sandbox.";
        }

        /** Stops a running sandbox (tests; Ctrl-C does the same through the shutdown hook). */
        void stop() {
            stop.countDown();
        }
    }

    /** The Wrike API v4 simulator, until Ctrl-C (or {@code --stop-after}); prints its URLs, permanent token and OAuth app. */
    @Command(name = "wrike", description = {"Run the Wrike API v4 simulator on 127.0.0.1 until stopped (Ctrl-C).",
            "Options after 'wrike' are the sandbox's own; see the list below."})
    static final class Wrike implements Callable<Integer> {
        CommandLine.Model.CommandSpec spec;

        @Spec
        void spec(CommandLine.Model.CommandSpec spec) {
            this.spec = spec;
            spec.usageMessage().footer("%nSandbox " + dev.tributary.sandbox.wrike.WrikeSandboxOptions.usage().replace("%", "%%"));
        }

        @Option(names = "--stop-after", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (for scripts).")
        Long stopAfter;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and the sandbox's options.")
        boolean help;

        @Unmatched
        List<String> sandboxArgs = new ArrayList<>();

        private final CountDownLatch stop = new CountDownLatch(1);

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            dev.tributary.sandbox.wrike.WrikeSandboxOptions options;
            try {
                options = dev.tributary.sandbox.wrike.WrikeSandboxOptions.fromArgs(sandboxArgs.toArray(String[]::new));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("tributary sandbox wrike: " + e.getMessage());
                spec.commandLine().getErr().println(dev.tributary.sandbox.wrike.WrikeSandboxOptions.usage());
                return ExitCode.CONFIG;
            }
            try (dev.tributary.sandbox.wrike.WrikeSandbox sandbox = dev.tributary.sandbox.wrike.WrikeSandbox.start(options)) {
                Thread hook = new Thread(stop::countDown);
                Runtime.getRuntime().addShutdownHook(hook);
                out.println(sandbox.banner(null));
                TributaryCommand root = spec.commandLine().getParent().getParent().getCommand();
                out.println(projectSettings(sandbox, InitCommand.command(root.environment)));
                out.flush();
                try {
                    if (stopAfter == null) stop.await(); else stop.await(stopAfter, TimeUnit.SECONDS);
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the JVM is stopping: the hook has run
                    }
                }
            }
            out.println("sandbox stopped");
            return ExitCode.OK;
        }

        /** How a project reads this sandbox with the account owner's permanent token. */
        static String projectSettings(dev.tributary.sandbox.wrike.WrikeSandbox sandbox, String launcher) {
            return "To point a project at it, set these in its environment or .env:\n"
                    + "  WRIKE_BASE_URL=" + sandbox.apiBaseUrl() + "\n"
                    + "  WRIKE_TOKEN=" + sandbox.permanentToken() + "\n"
                    + "and give its tributary.yml a connection that reads them:\n"
                    + "  connections:\n"
                    + "    wrike:\n"
                    + "      type: wrike\n"
                    + "      config: {base_url: \"${WRIKE_BASE_URL}\", access_token: \"${WRIKE_TOKEN}\"}\n"
                    + "Then: " + launcher + " -p PROJECT check wrike; " + launcher + " -p PROJECT sync wrike. Ctrl-C stops the sandbox.";
        }

        void stop() {
            stop.countDown();
        }
    }
}
