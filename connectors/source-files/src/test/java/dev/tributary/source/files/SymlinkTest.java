package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real symbolic links: a linked base folder, a linked subfolder, and a link back to an ancestor. */
class SymlinkTest {
    @TempDir
    Path dir;

    private Path real;
    private Path linkedBase;

    @BeforeEach
    void tree() throws IOException {
        real = dir.resolve("real");
        Fixtures.write(real, "data/a.csv", "id,name\n1,Ann\n");
        Fixtures.write(real, "data/b.csv", "id,name\n2,Bob\n");
        Fixtures.write(dir, "elsewhere/c.csv", "id,name\n3,Cy\n");
        linkedBase = Files.createSymbolicLink(dir.resolve("base"), real);
        Files.createSymbolicLink(real.resolve("data/more"), dir.resolve("elsewhere"));
    }

    private List<String> find(Path base, String... patterns) throws IOException {
        return FileMatcher.find(base.toAbsolutePath().normalize(), List.of(patterns)).stream().map(FileMatcher.MatchedFile::relativePath).toList();
    }

    @Test
    void aLinkedBaseFolderAndLinkedSubfoldersAreFollowed() throws IOException {
        assertThat(find(linkedBase, "data/*.csv")).containsExactly("data/a.csv", "data/b.csv");
        assertThat(find(linkedBase, "*/*.csv")).containsExactly("data/a.csv", "data/b.csv");
        assertThat(find(linkedBase, "data/a.csv")).containsExactly("data/a.csv");
        assertThat(find(linkedBase, "data/**/*.csv")).containsExactly("data/a.csv", "data/b.csv", "data/more/c.csv");
        assertThat(find(real, "data/more/*.csv")).containsExactly("data/more/c.csv");
    }

    @Test
    void aLinkToAnAncestorDoesNotLoop() throws IOException {
        Files.createSymbolicLink(real.resolve("data/up"), real);
        Files.createSymbolicLink(real.resolve("data/self"), real.resolve("data"));
        assertThat(find(linkedBase, "**/*.csv")).as("links back into the walk are passed over: each file once")
                .containsExactly("data/a.csv", "data/b.csv", "data/more/c.csv");
        assertThat(find(linkedBase, "data/*.csv")).containsExactly("data/a.csv", "data/b.csv");
    }

    @Test
    void theSourceReadsThroughALinkedBaseFolder() {
        Reads reads = Reads.read(Fixtures.config(linkedBase, 100, "{'name': 'people', 'path': 'data/**/*.csv'}"), "people");
        assertThat(reads.column("name")).containsExactly("Ann", "Bob", "Cy");
        assertThat(reads.records()).extracting(r -> r.origin()).containsExactly("data/a.csv:2", "data/b.csv:2", "data/more/c.csv:2");
    }
}
