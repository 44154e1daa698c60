package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.Config;
import dev.tributary.spi.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line scan of JSON Lines (eight bytes at a time): a line break at every position of a word, {@code \r\n}, blank
 * lines, lines across the edge of the read window and a last line without a break keep their records, text and
 * line numbers.
 */
class JsonLinesScanTest {
    @TempDir
    Path dir;

    /** Lines of every length from 8 to 8 + 2 * 8 bytes, so that each break falls at each position of a word. */
    @Test
    void aLineBreakAtEveryPositionOfAWordEndsItsLine() {
        StringBuilder file = new StringBuilder();
        List<String> expected = new ArrayList<>();
        int line = 1;
        for (int pad = 0; pad < 40; pad++) {
            String text = "x".repeat(pad);
            file.append("{\"p\":\"").append(text).append("\"}");
            expected.add(line + " " + text);
            file.append(pad % 3 == 0 ? "\r\n" : "\n");
            line++;
            if (pad % 5 == 0) {
                file.append(pad % 2 == 0 ? "\n" : " \t\r\n"); // a blank line: counted, skipped
                line++;
            }
        }
        file.append("{\"p\":\"last\"}"); // no break after the last line
        expected.add(line + " last");
        assertThat(read(file.toString())).containsExactlyElementsOf(expected);
    }

    @Test
    void linesAcrossTheEdgeOfTheReadWindowKeepTheirText() {
        StringBuilder file = new StringBuilder();
        List<String> expected = new ArrayList<>();
        int line = 1;
        for (int i = 0; file.length() < 3 << 20; i++) {
            String text = "y".repeat(i % 997);
            file.append("{\"p\":\"").append(text).append("\"}").append(i % 2 == 0 ? "\n" : "\r\n");
            expected.add(line++ + " " + text);
        }
        assertThat(read(file.toString())).containsExactlyElementsOf(expected);
    }

    @Test
    void aFileOfOnlyBreaksOrNoneHasNoRecords() {
        assertThat(read("")).isEmpty();
        assertThat(read("\n\n\r\n\n\n\n\n\n\n\n")).isEmpty();
    }

    /** Each record as its line number and its {@code p}. */
    private List<String> read(String content) {
        Fixtures.writeBytes(dir, "s.jsonl", content.getBytes(StandardCharsets.UTF_8));
        Config config = Fixtures.config(dir, 1000, "{'name': 's', 'path': 's.jsonl', 'types': {'p': 'text'}}");
        Reads reads = Reads.read(config, "s");
        assertThat(reads.rejections()).isEmpty();
        List<String> out = new ArrayList<>();
        for (Record r : reads.records()) out.add(r.origin().substring(r.origin().lastIndexOf(':') + 1) + " " + r.value(0));
        return out;
    }
}
