package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first steps: {@code tributary init my-project}, then every command of the README's "Using it" block, read
 * from the README itself and run as written on the new project (all but serve, which runs until stopped), each exiting 0.
 */
class InitProjectTest {
    private static final Path README = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");

    @TempDir
    Path dir;

    /** The README's "Using it" commands on my-project, without the launcher and {@code -p my-project}. */
    private static List<List<String>> readmeCommands() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("## Using it");
        assertThat(start).as("README.md has a 'Using it' section").isNotNegative();
        int block = readme.indexOf("```bash\n", start);
        String commands = readme.substring(block + 8, readme.indexOf("```", block + 8));
        List<List<String>> result = new ArrayList<>();
        for (String line : commands.split("\n")) {
            String prefix = "./tributary -p my-project ";
            if (!line.startsWith(prefix)) continue;
            List<String> words = shellWords(line.substring(prefix.length()));
            if (!words.get(0).equals("serve")) result.add(words);
        }
        return result;
    }

    /** A line's words as a shell splits them: double quotes group, '#' outside quotes starts a comment. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
                if (word == null) word = new StringBuilder();
            } else if (!quoted && ch == '#') {
                break;
            } else if (!quoted && Character.isWhitespace(ch)) {
                if (word != null) words.add(word.toString());
                word = null;
            } else {
                if (word == null) word = new StringBuilder();
                word.append(ch);
            }
        }
        assertThat(quoted).as("unbalanced quotes in the README line: %s", line).isFalse();
        if (word != null) words.add(word.toString());
        return words;
    }

    @Test
    void everyCommandOfTheReadmeWorksOnANewProject() throws Exception {
        Path project = dir.resolve("my-project");
        CliRunner.Result init = new CliRunner(dir, Map.of("PATH", "")).run("init", project.toString());
        assertThat(init.exitCode()).as(init.toString()).isZero();

        List<List<String>> commands = readmeCommands();
        Set<String> names = new LinkedHashSet<>();
        for (List<String> c : commands) names.add(c.get(0).equals("state") ? "state " + c.get(1) : c.get(0));
        assertThat(names).as("the README's commands, as read").contains("check", "discover", "sync", "state show", "state reset",
                "build", "run", "test", "seed", "snapshot", "compile", "ls", "show", "rejects", "checks", "freshness");

        CliRunner cli = new CliRunner(project, Map.of());
        StringBuilder transcript = new StringBuilder();
        for (List<String> command : commands) {
            CliRunner.Result r = cli.run(command.toArray(String[]::new));
            transcript.append("$ tributary ").append(String.join(" ", command)).append('\n').append(r.out()).append(r.err());
            assertThat(r.exitCode()).as("tributary -p my-project %s\n%s", String.join(" ", command), r).isZero();
            assertThat(r.err()).as("tributary -p my-project %s warns of nothing\n%s", String.join(" ", command), r)
                    .doesNotContainIgnoringCase("warn").doesNotContainIgnoringCase("error");
        }
        String all = transcript.toString();
        assertThat(all).as(all).contains("Done: 1 of 1 streams synced, 3 records")
                .contains("customers_by_country").contains("United Kingdom")
                .contains("customers_snapshot").doesNotContain("no models/ folder");
        assertThat(Warehouse.number(project.resolve("warehouse.duckdb"), "select count(*) from snapshots.customers_snapshot")).isEqualTo(3);
        assertThat(Warehouse.number(project.resolve("warehouse.duckdb"), "select sum(customers) from main.customers_by_country")).isEqualTo(3);
    }

    @Test
    void theNewProjectKeepsWarehouseBuildOutputRunHistoryAndSecretsOutOfGit() throws IOException {
        CliRunner.Result init = new CliRunner(dir, Map.of()).run("init");
        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(Files.readAllLines(dir.resolve(".gitignore")))
                .contains("warehouse.duckdb", "warehouse.duckdb.wal", "warehouse.duckdb.tributary-lock", "target/", ".tributary/", ".env");
        assertThat(dir.resolve("models/sources.yml")).content().contains("- name: example").contains("- name: customers");
    }

    @Test
    void theNextStepsNameTheCommandAsTheUserCanTypeIt() throws IOException {
        Path project = dir.resolve("new project");
        CliRunner.Result viaScript = new CliRunner(dir, Map.of("PATH", dir.resolve("bin").toString(), "TRIBUTARY_COMMAND", "./tributary"))
                .run("init", project.toString());
        assertThat(viaScript.exitCode()).as(viaScript.toString()).isZero();
        assertThat(viaScript.out()).as("tributary is not on the PATH").contains("  ./tributary -p '" + project + "' check");

        CliRunner.Result noLauncher = new CliRunner(dir, Map.of("PATH", "")).run("init", "--force", project.toString());
        assertThat(noLauncher.out()).contains("  ./tributary -p '" + project + "' sync");

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("tributary"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin.resolve("tributary"), PosixFilePermissions.fromString("rwxr-xr-x"));
        CliRunner.Result onPath = new CliRunner(dir, Map.of("PATH", bin.toString(), "TRIBUTARY_COMMAND", "./tributary"))
                .run("init", "--force", project.toString());
        assertThat(onPath.out()).contains("  tributary -p '" + project + "' build").doesNotContain("./tributary");
    }
}
