package dev.tributary.source.files;

import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.SourceContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The source contract over one CSV file, so that every stop falls inside it (quoted line breaks included). */
class FilesMidFileContractTest extends SourceContractTest {
    @TempDir
    Path dir;

    @BeforeEach
    void writeFile() {
        StringBuilder csv = new StringBuilder("id;note\n");
        for (int i = 1; i <= 10; i++) csv.append(i).append(";\"line ").append(i).append("\nsecond; line\"\n");
        Fixtures.write(dir, "notes.csv", csv.toString());
    }

    @Override
    protected Source source() {
        return new FilesSource();
    }

    @Override
    protected Config config() {
        return Fixtures.config(dir, 3, "{'name': 'notes', 'path': 'notes*.csv', 'csv': {'delimiter': ';'}}");
    }

    @Override
    protected String streamName() {
        return "notes";
    }

    @Override
    protected void appendData() {
        Fixtures.write(dir, "notes-2.csv", "id;note\n11;eleven\n12;twelve\n");
    }
}
