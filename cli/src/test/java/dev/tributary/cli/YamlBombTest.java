package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A YAML alias bomb (48 aliases, 2^24 nodes once expanded) in any YAML we read is a configuration error, not an OutOfMemoryError. */
class YamlBombTest {
    @TempDir
    Path dir;

    /** 24 levels of two aliases each: under SnakeYAML's default alias limit of 50. */
    private static String bomb(String indent) {
        StringBuilder sb = new StringBuilder(indent + "l0: &l0 [lol, lol]\n");
        for (int i = 1; i <= 24; i++) sb.append(indent).append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        return sb.toString();
    }

    @Test
    void aBombUnderAnIgnoredKeyOfTributaryYmlExitsWithTwoNamingTheFile() throws IOException {
        CliRunner cli = new CliRunner(dir, Map.of());
        assertThat(cli.run("init").exitCode()).isZero();
        Files.writeString(dir.resolve("tributary.yml"), Files.readString(dir.resolve("tributary.yml")) + "x-bomb:\n" + bomb("  "));
        for (String command : new String[] {"sync", "check"}) {
            CliRunner.Result r = cli.run(command);
            assertThat(r.exitCode()).as(command + "\n" + r).isEqualTo(ExitCode.CONFIG);
            assertThat(r.err()).as(command).contains("tributary.yml").contains("aliases expand this document").doesNotContain("Exception");
        }
    }

    @Test
    void aBombInDbtYamlProfilesOrVarsExitsWithTwoNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("dbt_project.yml"), "name: shop\nprofile: shop\n");
        Files.writeString(dir.resolve("profiles.yml"), "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: warehouse.duckdb\n");
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/one.sql"), "select 1 as id\n");
        CliRunner cli = new CliRunner(dir, Map.of());
        assertThat(cli.run("compile").exitCode()).as("the project is fine without the bomb").isZero();

        CliRunner.Result vars = cli.run("compile", "--vars", "{" + bomb("").replace("\n", ", ") + "}");
        assertThat(vars.exitCode()).as(vars.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(vars.err()).contains("--vars").contains("aliases expand this document");

        Files.writeString(dir.resolve("models/schema.yml"), "version: 2\nx-bomb:\n" + bomb("  "));
        CliRunner.Result schema = cli.run("compile");
        assertThat(schema.exitCode()).as(schema.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(schema.err()).contains("schema.yml").contains("aliases expand this document");
        Files.delete(dir.resolve("models/schema.yml"));

        Files.writeString(dir.resolve("profiles.yml"), Files.readString(dir.resolve("profiles.yml")) + "x-bomb:\n" + bomb("  "));
        CliRunner.Result profiles = cli.run("compile");
        assertThat(profiles.exitCode()).as(profiles.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(profiles.err()).contains("profiles.yml").contains("aliases expand this document");
    }
}
