package dev.tributary.source.files;

import dev.tributary.spi.Config;
import dev.tributary.spi.Source;
import dev.tributary.testkit.SourceContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The source contract over JSON Lines files in nested folders, with nested values. */
class FilesJsonLinesContractTest extends SourceContractTest {
    @TempDir
    Path dir;

    @BeforeEach
    void writeFiles() {
        StringBuilder a = new StringBuilder();
        for (int i = 1; i <= 7; i++) {
            a.append("{\"id\": ").append(i).append(", \"name\": \"event ").append(i).append("\", \"amount\": ").append(i).append(".25")
                    .append(", \"at\": \"2024-05-0").append(i).append("T10:00:00Z\", \"tags\": [\"t").append(i).append("\"]")
                    .append(", \"ok\": ").append(i % 2 == 0).append("}\n");
        }
        Fixtures.write(dir, "events/2024/05/a.jsonl", a.toString());
        Fixtures.write(dir, "events/2024/06/b.ndjson", """
                {"id": 8, "name": "event 8", "amount": 8.5, "meta": {"source": "web"}}

                {"id": 9, "name": "event 9", "amount": 9, "ok": true}
                """);
    }

    @Override
    protected Source source() {
        return new FilesSource();
    }

    @Override
    protected Config config() {
        return Fixtures.config(dir, 4, "{'name': 'events', 'path': 'events/**/*.{jsonl,ndjson}', 'format': 'jsonl', 'primary_key': 'id'}");
    }

    @Override
    protected String streamName() {
        return "events";
    }

    @Override
    protected void appendData() {
        Fixtures.write(dir, "events/2024/07/c.jsonl", """
                {"id": 10, "name": "event 10", "amount": 10.5}
                {"id": 11, "name": "event 11", "amount": 11.5, "ok": false}
                """);
    }
}
