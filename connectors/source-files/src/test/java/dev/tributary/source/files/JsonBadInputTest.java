package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tributary.spi.Config;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.JsonText;
import dev.tributary.spi.Rejection;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Numbers a double cannot hold and repeated keys, in JSON Lines and in JSON arrays: never a changed value. */
class JsonBadInputTest {
    @TempDir
    Path dir;

    private static final String[] ROWS = {
        "{\"id\": 1, \"x\": 1e400}",
        "{\"id\": 2, \"x\": -1E+400}",
        "{\"id\": 3, \"x\": 1e-400}",
        "{\"id\": 4, \"x\": 2.5e3}",
        "{\"id\": 5, \"x\": 0e-999}",
    };

    /** The file for a format, and the line each of {@link #ROWS} is on in it. */
    private String write(String format, String... rows) {
        String file = "in." + format;
        Fixtures.write(dir, file, format.equals("jsonl") ? String.join("\n", rows) + "\n" : "[\n" + String.join(",\n", rows) + "\n]\n");
        return file;
    }

    private static int line(String format, int row) {
        return format.equals("jsonl") ? row + 1 : row + 2;
    }

    private Config config(String stream) {
        return Fixtures.config(dir, 100, stream);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "json"})
    void aNumberBeyondADoubleStaysTheTextItWasWrittenAs(String format) {
        String file = write(format, ROWS);
        Config config = config("{'name': 'n', 'path': '" + file + "'}");
        assertThat(Reads.discover(config, "n").fields()).contains(Field.of("x", DataType.TEXT));
        assertThat(Reads.read(config, "n").column("x")).containsExactly("1e400", "-1E+400", "1e-400", "2.5e3", "0e-999");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "json"})
    void inAColumnTypedNumberItIsRejectedWithItsLine(String format) {
        String file = write(format, ROWS);
        Reads reads = Reads.read(config("{'name': 'n', 'path': '" + file + "', 'types': {'x': 'number'}}"), "n");
        assertThat(reads.column("x")).containsExactly(2500.0, 0.0);
        assertThat(reads.rejections()).extracting(Rejection::origin, Rejection::reason).containsExactly(
                tuple(file + ":" + line(format, 0), "column 'x': '1e400' is not a number"),
                tuple(file + ":" + line(format, 1), "column 'x': '-1E+400' is not a number"),
                tuple(file + ":" + line(format, 2), "column 'x': '1e-400' is not a number"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "json"})
    void typedDecimalOrJsonTheValueIsExact(String format) {
        String file = write(format, "{\"id\": 1, \"d\": 1e400, \"j\": 1e400, \"p\": 123456789012345678901234567890.123456789012345678901}");
        Reads reads = Reads.read(config("{'name': 'n', 'path': '" + file + "', 'types': {'d': 'decimal', 'j': 'json'}}"), "n");
        assertThat(reads.rejections()).isEmpty();
        assertThat(reads.column("d")).containsExactly(new BigDecimal("1e400"));
        assertThat(reads.column("j")).containsExactly(new JsonText("1e400"));
        assertThat(reads.column("p")).containsExactly(new BigDecimal("123456789012345678901234567890.123456789012345678901"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "json"})
    void anObjectRepeatingAFieldIsRejectedWithItsLineAndTheRestIsRead(String format) {
        String file = write(format,
                "{\"id\": 1, \"a\": \"x\"}",
                "{\"id\": 2, \"a\": \"x\", \"a\": \"y\"}",
                "{\"id\": 3, \"m\": {\"k\": 1, \"k\": 2}}",
                "{\"id\": 4, \"m\": {\"k\": 1}, \"a\": \"z\"}",
                "{\"id\": 5, \"n\": null, \"n\": 1}",
                "{\"id\": 6, \"id\": null}",
                "{\"id\": 7, \"new\": 1, \"new\": 2}");
        Reads reads = Reads.read(config("{'name': 'd', 'path': '" + file + "'}"), "d");
        assertThat(reads.column("id")).containsExactly(1L, 3L, 4L);
        assertThat(reads.column("m")).as("a nested object is kept as the text written")
                .containsExactly(null, new JsonText("{\"k\": 1, \"k\": 2}"), new JsonText("{\"k\": 1}"));
        assertThat(reads.rejections()).extracting(Rejection::origin, Rejection::reason, Rejection::raw).containsExactly(
                tuple(file + ":" + line(format, 1), "duplicate key 'a' in a JSON object (which value was meant is unknown)",
                        "{\"id\": 2, \"a\": \"x\", \"a\": \"y\"}"),
                tuple(file + ":" + line(format, 4), "duplicate key 'n' in a JSON object (which value was meant is unknown)",
                        "{\"id\": 5, \"n\": null, \"n\": 1}"),
                tuple(file + ":" + line(format, 5), "duplicate key 'id' in a JSON object (which value was meant is unknown)",
                        "{\"id\": 6, \"id\": null}"),
                tuple(file + ":" + line(format, 6), "duplicate key 'new' in a JSON object (which value was meant is unknown)",
                        "{\"id\": 7, \"new\": 1, \"new\": 2}"));
    }
}
