package dev.tributary.cli;

import dev.tributary.project.Project;
import dev.tributary.scheduler.JdbcMetadataStore;
import dev.tributary.scheduler.MetadataStore;
import dev.tributary.scheduler.MetadataStores;
import dev.tributary.server.AuditLog;
import dev.tributary.server.Role;
import dev.tributary.server.ServerSettings;
import dev.tributary.server.Users;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary users add|list|set-role|reset-password|disable|enable}: the web UI's accounts in the project's
 * metadata store (the same store serve uses; through a running serve's shared H2 store when one runs). Passwords are
 * read from the terminal (twice), from the first line of standard input, or from an environment variable named with
 * {@code --password-env}; never from an argument, which would show in the process list and the shell's history.
 */
@Command(name = "users", description = "Manage the web UI's accounts and roles (viewer, operator, admin) in the metadata store.",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.SetRole.class, UsersCommand.ResetPassword.class,
                UsersCommand.Disable.class, UsersCommand.Enable.class})
final class UsersCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.CONFIG;
    }

    @FunctionalInterface
    interface Work {
        int run(Users users, AuditLog audit, PrintWriter out) throws Exception;
    }

    /** Opens the project's metadata store, its accounts and audit log, and runs {@code work}; a refusal exits 1 (2 for bad input). */
    int withUsers(CommandLine.Model.CommandSpec command, Work work) throws Exception {
        Project project = Project.loadWithoutConnectorValidation(root.projectDir, root.environment, root.connectors);
        String admin = root.environment.getOrDefault(ServerSettings.ENV_ADMIN_USER, project.variable(ServerSettings.ENV_ADMIN_USER).orElse(""));
        try (MetadataStore store = MetadataStores.openForCommand(project.section("server"), project.dir())) {
            if (!(store instanceof JdbcMetadataStore jdbc)) throw new IllegalStateException("accounts need the JDBC metadata store, not " + store);
            Users users = Users.open(jdbc, admin.isBlank() ? "admin" : admin.strip());
            AuditLog audit = AuditLog.open(jdbc, Clock.systemUTC());
            try {
                return work.run(users, audit, command.commandLine().getOut());
            } catch (Users.Refused e) {
                command.commandLine().getErr().println("tributary users: " + e.getMessage());
                return e.status() == 400 ? ExitCode.CONFIG : ExitCode.FAILED;
            }
        }
    }

    /** The audit log's actor for the CLI: the OS user, marked as such. */
    static String actor() {
        return System.getProperty("user.name", "unknown") + " (cli)";
    }

    static void record(AuditLog audit, String action, String user, String detail) {
        audit.record(actor(), "", action, "user " + user, detail, "local", "ok");
    }

    static Role role(CommandLine.Model.CommandSpec spec, String value) {
        try {
            return Role.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Where a new password comes from. */
    static final class PasswordSource {
        @Option(names = "--password-env", paramLabel = "NAME", description = "Read the password from this environment variable "
                + "(else from the terminal, asked twice, or the first line of standard input).")
        String passwordEnv;

        char[] read(CommandLine.Model.CommandSpec spec, TributaryCommand root, String user) throws IOException {
            if (passwordEnv != null) {
                String v = root.environment.get(passwordEnv);
                if (v == null || v.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "--password-env: " + passwordEnv + " is not set");
                return v.toCharArray();
            }
            Console console = System.console();
            if (console != null && isTerminal(console)) {
                char[] first = console.readPassword("Password for %s: ", user);
                char[] again = console.readPassword("Again: ");
                if (first == null || again == null || !Arrays.equals(first, again)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "the two passwords differ");
                }
                Arrays.fill(again, '\0');
                return first;
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no password: give it on standard input, at the terminal, or with --password-env NAME");
            }
            return line.toCharArray();
        }
    }

    /** Console.isTerminal() (Java 22+: a console may stand for redirected streams); on Java 21 a console is a terminal. */
    static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Command(name = "add", description = "Add an account: tributary users add NAME --role viewer|operator|admin.")
    static final class Add implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The user name (letters, digits, '.', '_', '@', '-').")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer (reads), operator (also triggers, cancels, re-runs, "
                + "pauses, backfills) or admin (also users and settings).")
        String role;

        @CommandLine.Mixin
        PasswordSource password = new PasswordSource();

        @Override
        public Integer call() throws Exception {
            Role r = role(spec, role);
            return parent.withUsers(spec, (users, audit, out) -> {
                Users.User u = users.add(name, r, password.read(spec, parent.root, name), Clock.systemUTC().instant());
                record(audit, "user-add", u.name(), "role " + u.role().label());
                out.println("Added " + u.name() + " (" + u.role().label() + ").");
                return ExitCode.OK;
            });
        }
    }

    @Command(name = "list", description = "List the accounts with their roles and whether they are disabled.")
    static final class ListUsers implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return parent.withUsers(spec, (users, audit, out) -> {
                Table t = new Table(List.of("user", "role", "status", "created", "changed"));
                t.row(users.bootstrapAdmin(), "admin", "bootstrap (TRIBUTARY_ADMIN_USER)", "", "");
                for (Users.User u : users.list()) t.row(u.name(), u.role().label(), u.disabled() ? "disabled" : "enabled", u.createdAt(), u.updatedAt());
                t.print(out, "");
                return ExitCode.OK;
            });
        }
    }

    /** A subcommand about one account, named first. */
    abstract static class OnUser implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;
    }

    @Command(name = "set-role", description = "Change an account's role: tributary users set-role NAME ROLE.")
    static final class SetRole extends OnUser {

        @Parameters(index = "1", paramLabel = "ROLE", description = "viewer, operator or admin.")
        String role;

        @Override
        public Integer call() throws Exception {
            Role r = role(spec, role);
            return parent.withUsers(spec, (users, audit, out) -> {
                Users.User u = users.setRole(name, r, Clock.systemUTC().instant());
                record(audit, "user-set-role", u.name(), u.role().label());
                out.println(u.name() + " is now " + u.role().label() + ".");
                return ExitCode.OK;
            });
        }
    }

    @Command(name = "reset-password", description = "Set a new password for an account.")
    static final class ResetPassword extends OnUser {

        @CommandLine.Mixin
        PasswordSource password = new PasswordSource();

        @Override
        public Integer call() throws Exception {
            return parent.withUsers(spec, (users, audit, out) -> {
                Users.User u = users.resetPassword(name, password.read(spec, parent.root, name), Clock.systemUTC().instant());
                record(audit, "user-reset-password", u.name(), "");
                out.println("New password set for " + u.name() + ".");
                return ExitCode.OK;
            });
        }
    }

    /** disable and enable: the same change with the flag the other way round. */
    abstract static class Toggle extends OnUser {

        abstract boolean disable();

        @Override
        public Integer call() throws Exception {
            return parent.withUsers(spec, (users, audit, out) -> {
                Users.User u = users.setDisabled(name, disable(), Clock.systemUTC().instant());
                record(audit, disable() ? "user-disable" : "user-enable", u.name(), "");
                out.println((disable() ? "Disabled " : "Enabled ") + u.name() + ".");
                return ExitCode.OK;
            });
        }
    }

    @Command(name = "disable", description = "Disable an account: it cannot log in and its sessions stop at once.")
    static final class Disable extends Toggle {
        @Override
        boolean disable() {
            return true;
        }
    }

    @Command(name = "enable", description = "Enable a disabled account again.")
    static final class Enable extends Toggle {
        @Override
        boolean disable() {
            return false;
        }
    }
}
