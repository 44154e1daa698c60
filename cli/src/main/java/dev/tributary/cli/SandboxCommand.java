package dev.tributary.cli;

import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.sandbox.sheets.SheetsSandbox;
import dev.tributary.sandbox.snowflake.SnowflakeSandbox;
import dev.tributary.sandbox.snowflake.SnowflakeSandboxOptions;
import dev.tributary.sandbox.sheets.SheetsSandboxOptions;
import dev.tributary.sandbox.wrike.WrikeSandbox;
import dev.tributary.sandbox.wrike.WrikeSandboxOptions;
import dev.tributary.sandbox.xero.XeroSandbox;
import dev.tributary.sandbox.xero.XeroSandboxOptions;
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

/** {@code tributary sandbox hubspot|sheets|xero|wrike|snowflake ...}: local simulators of the APIs we connect to, for demos, tests and benchmarks. */
@Command(name = "sandbox", description = "Run a local simulator of an API Tributary connects to.",
        subcommands = {SandboxCommand.HubSpot.class, SandboxCommand.Sheets.class, SandboxCommand.Xero.class, SandboxCommand.Wrike.class,
                SandboxCommand.Snowflake.class, CommandLine.HelpCommand.class})
final class SandboxCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("tributary sandbox: name the API to simulate, e.g. 'tributary sandbox hubspot --help'");
        return ExitCode.CONFIG;
    }

    /**
     * What every sandbox subcommand does: parse the sandbox's own options (after the subcommand's name), start it on
     * 127.0.0.1, print what a project needs to reach it, and run until Ctrl-C or {@code --stop-after}.
     */
    abstract static class Run<O, S extends AutoCloseable> implements Callable<Integer> {
        CommandLine.Model.CommandSpec spec;

        @Spec
        void spec(CommandLine.Model.CommandSpec spec) {
            this.spec = spec;
            spec.usageMessage().footer("%nSandbox " + usage().replace("%", "%%"));
        }

        @Option(names = "--stop-after", paramLabel = "SECONDS", description = "Stop by itself after this many seconds (for scripts).")
        Long stopAfter;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and the sandbox's options.")
        boolean help;

        @Unmatched
        List<String> sandboxArgs = new ArrayList<>();

        private final CountDownLatch stop = new CountDownLatch(1);

        abstract String usage();

        abstract O options(String[] args);

        abstract S start(O options) throws Exception;

        /** Prints the sandbox's banner and the settings that point a project at it. */
        abstract void announce(S sandbox, PrintWriter out, String launcher) throws Exception;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            O options;
            try {
                options = options(sandboxArgs.toArray(String[]::new));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("tributary sandbox " + spec.name() + ": " + e.getMessage());
                spec.commandLine().getErr().println(usage());
                return ExitCode.CONFIG;
            }
            try (S sandbox = start(options)) {
                Thread hook = new Thread(stop::countDown);
                Runtime.getRuntime().addShutdownHook(hook);
                TributaryCommand root = spec.commandLine().getParent().getParent().getCommand();
                announce(sandbox, out, InitCommand.command(root.environment));
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

        /** Stops a running sandbox (tests; Ctrl-C does the same through the shutdown hook). */
        void stop() {
            stop.countDown();
        }
    }

    /** The HubSpot CRM simulator; prints its URL, tokens and OAuth credentials. */
    @Command(name = "hubspot", description = {"Run the HubSpot CRM API simulator on 127.0.0.1 until stopped (Ctrl-C).",
            "Options after 'hubspot' are the sandbox's own; see the list below."})
    static final class HubSpot extends Run<SandboxOptions, HubSpotSandbox> {
        @Override
        String usage() {
            return SandboxOptions.usage();
        }

        @Override
        SandboxOptions options(String[] args) {
            return SandboxOptions.fromArgs(args);
        }

        @Override
        HubSpotSandbox start(SandboxOptions options) throws Exception {
            return HubSpotSandbox.start(options);
        }

        @Override
        void announce(HubSpotSandbox sandbox, PrintWriter out, String launcher) {
            out.println(sandbox.banner());
            out.println(projectSettings(sandbox, launcher));
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
                    + "Then: " + launcher + " -p PROJECT check hubspot; " + launcher + " -p PROJECT sync hubspot.\n"
                    + appSettings(sandbox, launcher) + "\nCtrl-C stops the sandbox.";
        }

        /** How a project serves the sandbox's installable app to its portals: the app: section and a multi_tenant connection. */
        static String appSettings(HubSpotSandbox sandbox, String launcher) {
            return "As a public app installed by many accounts (" + sandbox.hubIds().size() + " portal" + (sandbox.hubIds().size() == 1 ? "" : "s")
                    + " here), set HUBSPOT_APP_CLIENT_ID=" + sandbox.oauthClientId() + " and HUBSPOT_APP_CLIENT_SECRET=" + sandbox.oauthClientSecret() + ", then:\n"
                    + "  app:\n"
                    + "    client_id: \"${HUBSPOT_APP_CLIENT_ID}\"\n"
                    + "    client_secret: \"${HUBSPOT_APP_CLIENT_SECRET}\"\n"
                    + "    scopes: [oauth, crm.objects.contacts.read]\n"
                    + "    redirect_url: http://127.0.0.1:8080/oauth/callback\n"
                    + "    authorize_url: " + sandbox.baseUrl() + "/oauth/authorize\n"
                    + "    api_url: " + sandbox.baseUrl() + "\n"
                    + "  connections:\n"
                    + "    crm:\n"
                    + "      type: hubspot\n"
                    + "      multi_tenant: true\n"
                    + "  pipelines: {crm: {schedule: '*/15 * * * *', steps: [{sync: [crm]}]}}\n"
                    + "and run " + launcher + " -p PROJECT serve: each account installs through http://127.0.0.1:8080/install and gets its own schema crm_<hub_id>.";
        }
    }

    /** The Google Sheets simulator; writes its service-account key file and prints the settings. */
    @Command(name = "sheets", description = {"Run the Google Sheets API simulator on 127.0.0.1 until stopped (Ctrl-C).",
            "Options after 'sheets' are the sandbox's own; see the list below."})
    static final class Sheets extends Run<SheetsSandboxOptions, SheetsSandbox> {
        @Option(names = "--key-file", paramLabel = "PATH", description = "Where to write the service-account key file (default sheets-sandbox-key.json).")
        java.nio.file.Path keyFile = java.nio.file.Path.of("sheets-sandbox-key.json");

        @Override
        String usage() {
            return SheetsSandboxOptions.usage();
        }

        @Override
        SheetsSandboxOptions options(String[] args) {
            return SheetsSandboxOptions.fromArgs(args);
        }

        @Override
        SheetsSandbox start(SheetsSandboxOptions options) throws Exception {
            return SheetsSandbox.start(options);
        }

        @Override
        void announce(SheetsSandbox sandbox, PrintWriter out, String launcher) throws Exception {
            java.nio.file.Path key = sandbox.writeServiceAccountKey(keyFile.toAbsolutePath());
            out.println(sandbox.banner());
            out.println("service-account key file written to " + key);
            out.println("To point a project at it, set in its environment or .env:\n"
                    + "  SHEETS_BASE_URL=" + sandbox.baseUrl() + "\n"
                    + "  SHEETS_SPREADSHEET_ID=" + sandbox.leadsSpreadsheetId() + "\n"
                    + "  SHEETS_KEY_FILE=" + key + "\n"
                    + "and give its tributary.yml a connection that reads them:\n"
                    + "  connections:\n"
                    + "    leads_sheet:\n"
                    + "      type: sheets\n"
                    + "      config: {base_url: \"${SHEETS_BASE_URL}\", spreadsheet_id: \"${SHEETS_SPREADSHEET_ID}\", credentials_file: \"${SHEETS_KEY_FILE}\"}\n"
                    + "Revoke the key (the next sync falls back to its export): curl -X POST -H '" + dev.tributary.sandbox.sheets.http.ControlApi.KEY_HEADER
                    + ": " + sandbox.controlKey() + "' -d '{\"credential\":\"service-account-key\"}' " + sandbox.baseUrl() + "/_sandbox/revoke\n"
                    + "Ctrl-C stops the sandbox.");
        }
    }

    /** The Xero Accounting API simulator; prints its URL, a refresh token and the app's credentials. */
    @Command(name = "xero", description = {"Run the Xero Accounting API simulator on 127.0.0.1 until stopped (Ctrl-C).",
            "Options after 'xero' are the sandbox's own; see the list below."})
    static final class Xero extends Run<XeroSandboxOptions, XeroSandbox> {
        @Override
        String usage() {
            return XeroSandboxOptions.usage();
        }

        @Override
        XeroSandboxOptions options(String[] args) {
            return XeroSandboxOptions.fromArgs(args);
        }

        @Override
        XeroSandbox start(XeroSandboxOptions options) throws Exception {
            return XeroSandbox.start(options);
        }

        @Override
        void announce(XeroSandbox sandbox, PrintWriter out, String launcher) {
            String refresh = sandbox.consent(sandbox.tenantIds());
            out.println(sandbox.banner(refresh));
            out.println(projectSettings(sandbox, refresh, launcher));
        }

        /** How a project reads this sandbox: the environment (or .env) values and the xero connection in tributary.yml. */
        static String projectSettings(XeroSandbox sandbox, String refresh, String launcher) {
            return "To point a project at it, set these in its environment or .env:\n"
                    + "  XERO_BASE_URL=" + sandbox.baseUrl() + "\n"
                    + "  XERO_CLIENT_ID=" + sandbox.clientId() + "\n"
                    + "  XERO_CLIENT_SECRET=" + sandbox.clientSecret() + "\n"
                    + "  XERO_REFRESH_TOKEN=" + refresh + "\n"
                    + "and give its tributary.yml a connection that reads them:\n"
                    + "  connections:\n"
                    + "    xero:\n"
                    + "      type: xero\n"
                    + "      config: {base_url: \"${XERO_BASE_URL}\", client_id: \"${XERO_CLIENT_ID}\", client_secret: \"${XERO_CLIENT_SECRET}\","
                    + " refresh_token: \"${XERO_REFRESH_TOKEN}\"}\n"
                    + "The refresh token is single-use: the first sync stores its successor in the project's secret store.\n"
                    + "Then: " + launcher + " -p PROJECT check xero; " + launcher + " -p PROJECT sync xero. Ctrl-C stops the sandbox.";
        }
    }

    /** The Wrike API v4 simulator; prints its URLs, permanent token and OAuth app. */
    @Command(name = "wrike", description = {"Run the Wrike API v4 simulator on 127.0.0.1 until stopped (Ctrl-C).",
            "Options after 'wrike' are the sandbox's own; see the list below."})
    static final class Wrike extends Run<WrikeSandboxOptions, WrikeSandbox> {
        @Override
        String usage() {
            return WrikeSandboxOptions.usage();
        }

        @Override
        WrikeSandboxOptions options(String[] args) {
            return WrikeSandboxOptions.fromArgs(args);
        }

        @Override
        WrikeSandbox start(WrikeSandboxOptions options) throws Exception {
            return WrikeSandbox.start(options);
        }

        @Override
        void announce(WrikeSandbox sandbox, PrintWriter out, String launcher) {
            out.println(sandbox.banner(null));
            out.println(projectSettings(sandbox, launcher));
        }

        /** How a project reads this sandbox with the account owner's permanent token. */
        static String projectSettings(WrikeSandbox sandbox, String launcher) {
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
    }

    /** The Snowflake protocol simulator (on DuckDB); prints its JDBC URL and the profiles.yml target that reaches it. */
    @Command(name = "snowflake", description = {"Run a local Snowflake (the protocol the Snowflake JDBC driver speaks, on DuckDB) on 127.0.0.1 until stopped (Ctrl-C).",
            "Options after 'snowflake' are the sandbox's own; see the list below."})
    static final class Snowflake extends Run<SnowflakeSandboxOptions, SnowflakeSandbox> {
        @Override
        String usage() {
            return SnowflakeSandboxOptions.usage();
        }

        @Override
        SnowflakeSandboxOptions options(String[] args) {
            return SnowflakeSandboxOptions.fromArgs(args);
        }

        @Override
        SnowflakeSandbox start(SnowflakeSandboxOptions options) {
            return SnowflakeSandbox.start(options);
        }

        @Override
        void announce(SnowflakeSandbox sandbox, PrintWriter out, String launcher) {
            out.println(sandbox.banner());
            out.println(projectSettings(sandbox, launcher));
        }

        /** The profiles.yml target (dbt-snowflake's keys, plus host, port and protocol) that builds models on this sandbox. */
        static String projectSettings(SnowflakeSandbox sandbox, String launcher) {
            var user = sandbox.options().users().entrySet().iterator().next();
            return "To build a project's models on it, set SNOWFLAKE_PASSWORD=" + (user.getValue().isEmpty() ? "(key pair only)" : user.getValue())
                    + " in its environment or .env and add this target to its profiles.yml (under the profile's outputs:):\n"
                    + "    snowflake:\n"
                    + "      type: snowflake\n"
                    + "      account: " + sandbox.options().account().toLowerCase(java.util.Locale.ROOT) + "\n"
                    + "      user: " + user.getKey().toLowerCase(java.util.Locale.ROOT) + "\n"
                    + "      password: \"{{ env_var('SNOWFLAKE_PASSWORD') }}\"\n"
                    + "      database: " + sandbox.options().databases().get(0).toLowerCase(java.util.Locale.ROOT) + "\n"
                    + "      warehouse: transforming\n"
                    + "      schema: analytics\n"
                    + "      host: 127.0.0.1\n"
                    + "      port: " + sandbox.port() + "\n"
                    + "      protocol: http\n"
                    + "Then: " + launcher + " -p PROJECT build -t snowflake. Ctrl-C stops the sandbox.";
        }
    }
}
