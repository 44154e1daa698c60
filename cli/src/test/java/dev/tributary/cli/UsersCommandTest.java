package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary users ...} on a project's embedded metadata store: the passwords come from an env var, never an argument. */
class UsersCommandTest {
    @TempDir
    Path dir;

    @Test
    void addListChangeRoleResetPasswordDisableAndKeepTheLastAdmin() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "name: cli-users\ndestination: {type: duckdb}\n");
        CliRunner cli = new CliRunner(dir, Map.of("P1", "first-password-1", "P2", "second-password-2", "SHORT", "short"));

        CliRunner.Result add = cli.run("users", "add", "ana", "--role", "admin", "--password-env", "P1");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(add.out()).contains("Added ana (admin).");
        assertThat(cli.run("users", "add", "bo", "--role", "viewer", "--password-env", "P2").exitCode()).isZero();

        CliRunner.Result weak = cli.run("users", "add", "cy", "--role", "viewer", "--password-env", "SHORT");
        assertThat(weak.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(weak.err()).contains("at least 12 characters");
        CliRunner.Result unset = cli.run("users", "add", "cy", "--role", "viewer", "--password-env", "NOPE");
        assertThat(unset.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(unset.err()).contains("NOPE is not set");
        CliRunner.Result badRole = cli.run("users", "add", "cy", "--role", "root", "--password-env", "P1");
        assertThat(badRole.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(badRole.err()).contains("expected viewer, operator or admin");
        // there is no option that takes the password itself
        assertThat(cli.run("users", "add", "cy", "--role", "viewer", "--password", "first-password-1").exitCode()).isEqualTo(ExitCode.CONFIG);

        CliRunner.Result dup = cli.run("users", "add", "bo", "--role", "viewer", "--password-env", "P2");
        assertThat(dup.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(dup.err()).contains("already exists");

        assertThat(cli.run("users", "set-role", "bo", "operator").out()).contains("bo is now operator.");
        assertThat(cli.run("users", "reset-password", "bo", "--password-env", "P1").exitCode()).isZero();
        CliRunner.Result last = cli.run("users", "disable", "ana");
        assertThat(last.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(last.err()).contains("last enabled admin");
        assertThat(cli.run("users", "set-role", "ana", "viewer").exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(cli.run("users", "disable", "bo").out()).contains("Disabled bo.");
        assertThat(cli.run("users", "disable", "zed").err()).contains("no user named 'zed'");

        CliRunner.Result list = cli.run("users", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("admin").contains("bootstrap").containsPattern("ana\\s+admin\\s+enabled").containsPattern("bo\\s+operator\\s+disabled");
        assertThat(list.out() + list.err()).doesNotContain("first-password-1").doesNotContain("pbkdf2");
    }
}
