package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/lakehouse as a newcomer meets it, with no service running: the README's commands exist, {@code run --help}
 * says what the options do, and a mistyped {@code target: spark} in a pipeline step says which target was meant.
 */
class LakehouseExampleFirstStepsTest {
    private static final Path ROOT = ExampleFixtures.LAKEHOUSE.getParent().getParent();

    @TempDir
    Path dir;

    @Test
    void everyCommandOfTheReadmesRunItBlockIsAnExecutableOfTheRepository() throws Exception {
        String readme = Files.readString(ExampleFixtures.LAKEHOUSE.resolve("README.md"));
        String block = readme.substring(readme.indexOf("## Run it"));
        block = block.substring(block.indexOf("```") + 3);
        block = block.substring(0, block.indexOf("```"));
        List<String> programs = new ArrayList<>();
        for (String line : block.strip().split("\n")) programs.add(line.strip().split("\\s+")[0]);
        assertThat(programs).isNotEmpty();
        for (String program : programs) {
            Path file = ROOT.resolve(program).normalize();
            assertThat(Files.isRegularFile(file) && Files.isExecutable(file)).as(program + " (from the repository's root) is an executable file").isTrue();
        }
    }

    @Test
    void runHelpSaysWhatEachOptionDoesAndAnUnknownOptionPointsAtIt() throws Exception {
        Result help = script("--help");
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("--fresh").contains("--spark").contains("--serve").contains("--help").doesNotContain("set -euo");
        Result unknown = script("--sevre");
        assertThat(unknown.exit()).as(unknown.output()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown option --sevre").contains("--help");
    }

    @Test
    void aMistypedSparkTargetInAStepSaysWhichTargetWasMeant() throws Exception {
        ExampleFixtures.copyProject(ExampleFixtures.LAKEHOUSE, dir);
        Path yml = dir.resolve("tributary.yml");
        assertThat(Files.readString(yml)).contains("        target: spark\n");
        Files.writeString(yml, Files.readString(yml).replace("        target: spark\n", "        target: sparkk\n"));
        CliRunner.Result check = new CliRunner(dir, Map.of("HUBSPOT_TOKEN", "not-used")).run("check");
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(2);
        assertThat(check.toString()).contains("pipelines.refine.steps[0].target").contains("'sparkk'").contains("did you mean 'spark'?");
    }

    private record Result(int exit, String output) {}

    /** examples/lakehouse/run with these arguments; both tests stop it before it builds or starts anything. */
    private static Result script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ExampleFixtures.LAKEHOUSE.resolve("run").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
