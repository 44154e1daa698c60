package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tributary.spi.Config;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Field;
import dev.tributary.spi.Rejection;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON Lines and JSON array files through the source. */
class JsonFilesTest {
    @TempDir
    Path dir;

    private Config config(String stream) {
        return Fixtures.config(dir, 100, stream);
    }

    @Test
    void typesJsonValuesByTokenAndIsoStrings() {
        Fixtures.write(dir, "e.jsonl", """
                {"id": 1, "big": 123456789012345678901234, "price": 1.50, "ratio": 1e3, "ok": true, "code": "42", "day": "2024-05-01", "at": "2024-05-01T10:00:00+02:00", "meta": {"a": [1, "x"]}, "tags": ["a", "b"], "gone": null}
                {"id": 2, "price": 2, "ok": false, "code": "007"}
                """);
        Config config = config("{'name': 'e', 'path': 'e.jsonl'}");
        assertThat(Reads.discover(config, "e").fields()).containsExactly(
                Field.of("id", DataType.INTEGER), Field.of("big", DataType.DECIMAL), Field.of("price", DataType.DECIMAL),
                Field.of("ratio", DataType.NUMBER), Field.of("ok", DataType.BOOLEAN), Field.of("code", DataType.TEXT),
                Field.of("day", DataType.DATE), Field.of("at", DataType.TIMESTAMP_TZ), Field.of("meta", DataType.JSON),
                Field.of("tags", DataType.JSON), Field.of("gone", DataType.TEXT));
        List<Map<String, Object>> rows = Reads.read(config, "e").rows();
        assertThat(rows.get(0)).containsExactly(Map.entry("id", 1L), Map.entry("big", new BigDecimal("123456789012345678901234")),
                Map.entry("price", new BigDecimal("1.50")), Map.entry("ratio", 1000.0), Map.entry("ok", true), Map.entry("code", "42"),
                Map.entry("day", LocalDate.of(2024, 5, 1)), Map.entry("at", Instant.parse("2024-05-01T08:00:00Z")),
                Map.entry("meta", new JsonText("{\"a\": [1, \"x\"]}")), Map.entry("tags", new JsonText("[\"a\", \"b\"]")));
        assertThat(rows.get(1)).containsExactly(Map.entry("id", 2L), Map.entry("price", new BigDecimal("2")), Map.entry("ok", false),
                Map.entry("code", "007"));
    }

    @Test
    void rejectsBadLinesWithTheirPhysicalLineAndGoesOn() {
        Fixtures.write(dir, "logs/x.jsonl", "{\"id\": 1}\r\n\r\n{\"id\": 2,}\n[1, 2]\n\"text\"\n{\"id\": 3} {\"id\": 4}\n   \n{\"id\": 5}");
        Reads reads = Reads.read(config("{'name': 'x', 'path': 'logs/x.jsonl'}"), "x");
        assertThat(reads.column("id")).containsExactly(1L, 5L);
        assertThat(reads.records()).extracting(r -> r.origin()).containsExactly("logs/x.jsonl:1", "logs/x.jsonl:8");
        assertThat(reads.rejections()).extracting(Rejection::origin, Rejection::raw).containsExactly(
                tuple("logs/x.jsonl:3", "{\"id\": 2,}"),
                tuple("logs/x.jsonl:4", "[1, 2]"),
                tuple("logs/x.jsonl:5", "\"text\""),
                tuple("logs/x.jsonl:6", "{\"id\": 3} {\"id\": 4}"));
        assertThat(reads.rejections()).extracting(Rejection::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("invalid JSON: "),
                r -> assertThat(r).isEqualTo("not a JSON object (found an array)"),
                r -> assertThat(r).isEqualTo("not a JSON object (found a string)"),
                r -> assertThat(r).isEqualTo("more than one JSON value on the line"));
    }

    @Test
    void invalidUtf8FailsWithItsLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"name\": \"ok\"}\n{\"name\": \"Jos".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xE9);
        bytes.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
        Fixtures.writeBytes(dir, "bad.jsonl", bytes.toByteArray());
        assertThatThrownBy(() -> Reads.read(config("{'name': 'b', 'path': 'bad.jsonl'}"), "b"))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("bad.jsonl:2: is not valid UTF-8");
    }

    @Test
    void readsAJsonArrayElementByElement() {
        Fixtures.write(dir, "a.json", """
                [
                  {"id": 1, "name": "a, [b] {c} \\"d\\""},
                  {
                    "id": 2,
                    "nested": {"list": [1, 2, {"x": "]"}]}
                  },
                  42,
                  {"id": "three"},
                  {"id": 4,}
                ]
                """);
        Reads reads = Reads.read(config("{'name': 'a', 'path': 'a.json', 'infer_rows': 2}"), "a");
        assertThat(reads.rows()).containsExactly(
                Map.of("id", "1", "name", "a, [b] {c} \"d\""),
                Map.of("id", "2", "nested", new JsonText("{\"list\": [1, 2, {\"x\": \"]\"}]}")),
                Map.of("id", "three"));
        assertThat(reads.records()).extracting(r -> r.origin()).containsExactly("a.json:2", "a.json:3", "a.json:8");
        assertThat(reads.rejections()).extracting(Rejection::origin, Rejection::reason).containsExactly(
                tuple("a.json:7", "not a JSON object (found a number)"),
                tuple("a.json:9", reads.rejections().get(1).reason()));
        assertThat(reads.rejections().get(1).reason()).startsWith("invalid JSON");
        assertThat(reads.rejections().get(1).raw()).isEqualTo("{\"id\": 4,}");
    }

    @Test
    void readsADocumentThatIsOneObjectOrAnEmptyArray() {
        Fixtures.write(dir, "one.json", "\uFEFF{\"id\": 1, \"tags\": [\"x\"]}\n");
        assertThat(Reads.read(config("{'name': 'o', 'path': 'one.json'}"), "o").rows()).containsExactly(Map.of("id", 1L, "tags", new JsonText("[\"x\"]")));
        Fixtures.write(dir, "empty.json", " [ ] ");
        assertThat(Reads.read(config("{'name': 'e', 'path': 'empty.json', 'types': {'id': 'integer'}}"), "e").records()).isEmpty();
    }

    @Test
    void aBrokenJsonDocumentFailsWithItsLine() {
        Fixtures.write(dir, "open.json", "[\n{\"id\": 1},\n{\"id\": 2}\n");
        assertThatThrownBy(() -> Reads.read(config("{'name': 'o', 'path': 'open.json', 'types': {'id': 'integer'}}"), "o"))
                .isInstanceOf(DataException.class).hasMessage("open.json:4: unexpected end of file: the JSON array is not closed");
        Fixtures.write(dir, "lines.json", "{\"id\": 1}\n{\"id\": 2}\n");
        assertThatThrownBy(() -> Reads.read(config("{'name': 'l', 'path': 'lines.json'}"), "l"))
                .isInstanceOf(DataException.class).hasMessage("lines.json:2: unexpected content after the JSON object");
        Fixtures.write(dir, "text.json", "hello");
        assertThatThrownBy(() -> Reads.read(config("{'name': 't', 'path': 'text.json', 'types': {'id': 'integer'}}"), "t"))
                .isInstanceOf(DataException.class).hasMessageContaining("text.json:1: expected a JSON array of objects or one object");
    }

    @Test
    void theUsersTypesConvertOrRejectJsonValues() {
        Fixtures.write(dir, "t.jsonl", """
                {"n": "42", "d": 1.50, "t": 1.50, "j": 5, "b": 1}
                {"n": 7.0, "d": "abc"}
                {"n": 1.5}
                {"t": {"a": 1}, "j": "x"}
                """);
        Reads reads = Reads.read(config("""
                {'name': 't', 'path': 't.jsonl', 'types': {'n': 'integer', 'd': 'decimal', 't': 'text', 'j': 'json', 'b': 'boolean'}}"""), "t");
        assertThat(reads.rows()).containsExactly(
                Map.of("n", 42L, "d", new BigDecimal("1.50"), "t", "1.50", "j", 5L, "b", true),
                Map.of("t", "{\"a\": 1}", "j", "x"));
        assertThat(reads.rejections()).extracting(Rejection::origin, Rejection::reason).containsExactly(
                tuple("t.jsonl:2", "column 'd': 'abc' is not a decimal"),
                tuple("t.jsonl:3", "column 'n': '1.5' is not an integer"));
    }

    @Test
    void inferredColumnsWidenWhileReading() {
        Fixtures.write(dir, "w.jsonl", "{\"v\": 1}\n{\"v\": 2.5}\n{\"v\": \"x\"}\n{\"v\": 3}\n");
        Config config = Fixtures.config(dir, 10, "{'name': 'w', 'path': 'w.jsonl', 'infer_rows': 1}");
        Reads reads = Reads.read(config, "w");
        assertThat(reads.lastSchema().field("v").orElseThrow().type()).isEqualTo(DataType.TEXT);
        assertThat(reads.column("v")).containsExactly("1", "2.5", "x", "3");
    }

    @Test
    void jsonColumnsTakeOnlyNestedValuesAndWidenToText() {
        Fixtures.write(dir, "j.jsonl", "{\"v\": [1]}\n{\"v\": {\"a\": true}}\n{\"v\": 5}\n");
        Reads reads = Reads.read(config("{'name': 'j', 'path': 'j.jsonl', 'infer_rows': 2}"), "j");
        assertThat(reads.column("v")).containsExactly("[1]", "{\"a\": true}", "5");
    }
}
