package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMatcherTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() {
        for (String f : List.of("top.csv", "data/b.csv", "data/a.csv", "data/x.json", "data/2024/01/c.csv", "data/2024/02/d.csv", "other/e.csv")) {
            Fixtures.write(dir, f, "x\n");
        }
    }

    private List<String> find(String... patterns) throws IOException {
        return FileMatcher.find(dir.toAbsolutePath().normalize(), List.of(patterns)).stream().map(FileMatcher.MatchedFile::relativePath).toList();
    }

    @Test
    void matchesPathsAndGlobsInSortedOrder() throws IOException {
        assertThat(find("top.csv")).containsExactly("top.csv");
        assertThat(find("missing.csv")).isEmpty();
        assertThat(find("data/*.csv")).containsExactly("data/a.csv", "data/b.csv");
        assertThat(find("data/?.csv")).containsExactly("data/a.csv", "data/b.csv");
        assertThat(find("data/*.{csv,json}")).containsExactly("data/a.csv", "data/b.csv", "data/x.json");
        assertThat(find("data/**/*.csv")).as("** matches no folder too")
                .containsExactly("data/2024/01/c.csv", "data/2024/02/d.csv", "data/a.csv", "data/b.csv");
        assertThat(find("data/2024/*/*.csv")).containsExactly("data/2024/01/c.csv", "data/2024/02/d.csv");
        assertThat(find("**/e.csv")).containsExactly("other/e.csv");
        assertThat(find("nowhere/*.csv")).isEmpty();
    }

    @Test
    void unitesSeveralPatternsAndTakesAbsolutePaths() throws IOException {
        assertThat(find("data/b.csv", "data/*.csv", "top.csv")).containsExactly("data/a.csv", "data/b.csv", "top.csv");
        assertThat(find(dir.resolve("other").toAbsolutePath() + "/*.csv")).containsExactly("other/e.csv");
    }

    @Test
    void doubleStarSegmentsAreOptional() {
        assertThat(FileMatcher.variants("a/**/b/**/*.csv")).containsExactlyInAnyOrder(
                "a/**/b/**/*.csv", "a/**/b/*.csv", "a/b/**/*.csv", "a/b/*.csv");
        assertThat(FileMatcher.variants("x**/y")).containsExactly("x**/y");
    }
}
