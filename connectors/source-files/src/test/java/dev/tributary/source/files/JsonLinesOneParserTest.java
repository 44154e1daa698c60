package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.DataException;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JSON Lines read with one parser over many lines give exactly what a parser per line gives: the same records,
 * rejections (line, reason, text) and columns, also for lines that only a parser per line reads right (an object
 * across two lines, a nested value across two lines, a second value or text after the object, a byte order mark).
 */
class JsonLinesOneParserTest {
    private static final String[] MESS = {
        "{\"id\": 1, \"a\": 1.5, \"t\": \"2024-05-01\"}",
        "  {\"id\": 2, \"a\": 2, \"n\": {\"x\": [1, 2]}}  \t",
        "{\"id\": 3, \"b\": \"open\",",          // an object that ends on the next line: two rejections, b a column
        "\"c\": \"closed\"}",                    // (as a parser per line sees it) but c none
        "{\"id\": 4, \"d\": [1,",                // a nested value across two lines: d is no column
        "2]}",
        "{\"id\": 5} {\"id\": 6}",               // a second value on the line
        "{\"id\": 7} x",                         // text after the object
        "{\"id\": 8, \"id\": 9}",                // a duplicate key
        "[1, 2]",
        "\"just text\"",
        "42",
        "{\"id\": 10, \"e\": tru",
        "e}",
        "\uFEFF{\"id\": 11, \"f\": \"after a byte order mark\"}",
        "{\"id\": 12, \"a\": 1e400}",            // widens a to text
        "{\"id\": 13, \"g\": null}",
        "{}",
        "{\"id\": 14,}",
        "{\"id\": 15, \"h\": \"x\"}",
        "{\"id\": 16}x",                        // text right after the object
    };

    @Test
    void givesWhatAParserPerLineGives() throws IOException {
        for (String breakAfter : List.of("\n", "\r\n", "\n\n", "\n \t\r\n")) {
            String text = String.join(breakAfter, MESS);
            for (String end : List.of("", breakAfter)) {
                byte[] bytes = (text + end).getBytes(StandardCharsets.UTF_8);
                assertThat(batch(viaReader(bytes))).isEqualTo(batch(perLine(bytes)));
            }
        }
    }

    @Test
    void aLineTakenOnItsOwnLeavesNoColumnFromTheNextLine() throws IOException {
        byte[] bytes = String.join("\n", MESS).getBytes(StandardCharsets.UTF_8);
        RecordBatch batch = viaReader(bytes).flush(state());
        assertThat(batch.schema().fieldNames()).containsExactly("id", "a", "t", "n", "b", "f", "h");
        assertThat(batch.records()).extracting(Record::origin).containsExactly("f:1", "f:2", "f:15", "f:16", "f:17", "f:18", "f:20");
        assertThat(batch.rejections()).extracting(r -> r.origin() + " " + r.reason().replaceAll(":.*", ":")).containsExactly(
                "f:3 invalid JSON:", "f:4 not a JSON object (found a string)", "f:5 invalid JSON:", "f:6 invalid JSON:",
                "f:7 more than one JSON value on the line", "f:8 invalid JSON:", "f:9 duplicate key 'id' in a JSON object (which value was meant is unknown)",
                "f:10 not a JSON object (found an array)", "f:11 not a JSON object (found a string)", "f:12 not a JSON object (found a number)",
                "f:13 invalid JSON:", "f:14 invalid JSON:", "f:19 invalid JSON:", "f:21 invalid JSON:");
        assertThat(batch.rejections().get(6).raw()).isEqualTo("{\"id\": 8, \"id\": 9}");
    }

    @Test
    void cleanLinesAreAllReadByTheOneParser() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("{\"id\": ").append(i).append(", \"n\": {\"x\": [").append(i).append("]}, \"s\": \"").append("z".repeat(i % 90))
                    .append("\"}").append(i % 7 == 0 ? " \r\n" : "\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        BatchBuilder out = builder();
        try (JsonLinesReader reader = new JsonLinesReader(new HashingInputStream(new ByteArrayInputStream(bytes)), "f", out)) {
            while (reader.read()) {
                // each line into the builder
            }
            assertThat(reader.parser.linesOnTheirOwn).isZero();
        }
        assertThat(batch(out)).isEqualTo(batch(perLine(bytes)));
    }

    @Test
    void invalidUtf8FailsWithItsLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"id\": 1}\n{\"id\": 2, \"s\": \"".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3);
        bytes.writeBytes("\"}\n{\"id\": 3}\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> viaReader(bytes.toByteArray())).isInstanceOf(DataException.class).hasMessageContaining("f:2")
                .hasMessageContaining("is not valid UTF-8");
    }

    private static BatchBuilder builder() {
        return BatchBuilder.forRead(new Schema(List.<Field>of(), List.of()), Map.of(), Map.of());
    }

    private static BatchBuilder viaReader(byte[] bytes) throws IOException {
        BatchBuilder out = builder();
        try (JsonLinesReader reader = new JsonLinesReader(new HashingInputStream(new ByteArrayInputStream(bytes)), "f", out)) {
            while (reader.read()) {
                // each line into the builder
            }
        }
        return out;
    }

    /** The reference: each non-blank line parsed on its own. */
    private static BatchBuilder perLine(byte[] bytes) {
        BatchBuilder out = builder();
        JsonRecordParser parser = new JsonRecordParser(out);
        int line = 1;
        for (int start = 0; start < bytes.length; line++) {
            int nl = start;
            while (nl < bytes.length && bytes[nl] != '\n') nl++;
            int end = nl > start && bytes[nl - 1] == '\r' ? nl - 1 : nl;
            boolean blank = true;
            for (int i = start; i < end; i++) blank &= JsonFileReader.isWhitespace(bytes[i]);
            if (!blank) parser.parse(bytes, start, end - start, "f:" + line);
            start = nl + 1;
        }
        return out;
    }

    private static StreamState state() {
        return new StreamState(StreamId.of("s"), 1, JsonNodeFactory.instance.objectNode());
    }

    /** A batch as comparable text: schema, records (origin and values) and rejections. */
    private static List<String> batch(BatchBuilder out) {
        RecordBatch b = out.flush(state());
        List<String> s = new ArrayList<>();
        s.add(b.schema().toString());
        for (Record r : b.records()) s.add(r.origin() + " " + Arrays.deepToString(r.values()));
        b.rejections().forEach(r -> s.add(r.toString()));
        return s;
    }
}
