package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiled SQL files are written off the nodes' path, but every one is there when a command returns, or it fails. */
class CompiledFilesTest {
    @TempDir
    Path dir;

    @Test
    void everyCompiledFileIsWrittenWhenTheCommandReturns() {
        String[] files = new String[40];
        for (int i = 0; i < 20; i++) {
            files[2 * i] = "models/sub" + (i % 3) + "/m" + i + ".sql";
            files[2 * i + 1] = i == 0 ? "select 1 as x" : "select x + " + i + " as x from {{ ref('m" + (i - 1) + "') }}";
        }
        Fixtures.project(dir, files);
        RunSummary r = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null).build();
        assertThat(r.exitCode()).isZero();
        for (int i = 0; i < 20; i++) {
            assertThat(dir.resolve("target/compiled/t/models/sub" + (i % 3) + "/m" + i + ".sql")).exists();
        }
        assertThat(dir.resolve("target/compiled/t/models/sub1/m19.sql")).hasContent("select x + 19 as x from \"w\".\"main\".\"m18\"");
        assertThat(dir.resolve("target/manifest.json")).exists();
    }

    @Test
    void aCompiledFileThatCannotBeWrittenFailsTheCommand() {
        Fixtures.project(dir, "models/sub/m.sql", "select 1 as x");
        Fixtures.write(dir.resolve("target/compiled/t/models/sub"), "a file where the folder should be");
        TransformRunner runner = new TransformRunner(TransformProject.load(dir, Fixtures.duck(dir)), null);
        assertThatThrownBy(runner::build).isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot write a compiled SQL file");
        assertThatThrownBy(runner::compile).isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot write a compiled SQL file");
    }
}
