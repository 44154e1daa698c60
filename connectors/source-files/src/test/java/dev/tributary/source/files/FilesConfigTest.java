package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.DataType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilesConfigTest {
    private static FilesConfig parse(String json) {
        return FilesConfig.from(Fixtures.config(json));
    }

    @Test
    void readsEverySettingWithDefaults() {
        FilesConfig c = parse("""
                {'base_path': '/data', 'batch_size': 500, 'streams': [
                  {'name': 'leads', 'path': 'leads/*.csv', 'format': 'csv',
                   'csv': {'delimiter': ';', 'quote': "'", 'escape': '\\\\', 'header': false, 'encoding': 'ISO-8859-1',
                           'columns': ['a', 'b'], 'skip_rows': 2},
                   'types': {'a': 'timestamp', 'b': 'numeric'}, 'primary_key': ['a', 'b'], 'infer_rows': 50, 'missing_files': 'ignore'},
                  {'name': 'events', 'path': ['x/*.ndjson', 'y.jsonl']}]}""".replace("\"'\"", "\"\\u0027\""));
        assertThat(c.basePath()).isEqualTo(Path.of("/data"));
        assertThat(c.batchSize()).isEqualTo(500);
        FilesConfig.StreamConfig leads = c.streams().get(0);
        assertThat(leads.format()).isEqualTo(FilesConfig.FileFormat.CSV);
        assertThat(leads.csv()).isEqualTo(new FilesConfig.CsvDialect(';', '\'', '\\', false, StandardCharsets.ISO_8859_1, List.of("a", "b"), 2));
        assertThat(leads.types()).isEqualTo(Map.of("a", DataType.TIMESTAMP, "b", DataType.DECIMAL));
        assertThat(leads.primaryKey()).containsExactly("a", "b");
        assertThat(leads.inferRows()).isEqualTo(50);
        assertThat(leads.missingFiles()).isEqualTo(FilesConfig.MissingFiles.IGNORE);
        FilesConfig.StreamConfig events = c.streams().get(1);
        assertThat(events.paths()).containsExactly("x/*.ndjson", "y.jsonl");
        assertThat(events.format()).as("from the extension").isEqualTo(FilesConfig.FileFormat.JSONL);
        assertThat(events.inferRows()).isEqualTo(FilesConfig.DEFAULT_INFER_ROWS);
        assertThat(events.missingFiles()).isEqualTo(FilesConfig.MissingFiles.FAIL);
    }

    @Test
    void defaultsFollowTheFiles() {
        FilesConfig c = parse("{'streams': [{'name': 't', 'path': 'a.tsv'}, {'name': 'j', 'path': 'a.json'}]}");
        assertThat(c.basePath()).isEqualTo(Path.of("").toAbsolutePath());
        assertThat(c.batchSize()).isEqualTo(FilesConfig.DEFAULT_BATCH_SIZE);
        assertThat(c.streams().get(0).csv().delimiter()).isEqualTo('\t');
        assertThat(c.streams().get(0).csv().escape()).isEqualTo('"');
        assertThat(c.streams().get(1).format()).isEqualTo(FilesConfig.FileFormat.JSON);
    }

    @Test
    void unknownKeysAreLeftForTheCallerToReport() {
        Config config = Fixtures.config("{'streams': [{'name': 'a', 'path': 'a.csv', 'csv': {'delimeter': ';'}, 'primary_keys': ['x']}]}");
        FilesConfig.from(config);
        assertThat(config.unknownKeys()).extracting(Throwable::getMessage).containsExactlyInAnyOrder(
                "streams[0].primary_keys: unknown key (did you mean 'primary_key'?)",
                "streams[0].csv.delimeter: unknown key (did you mean 'delimiter'?)");
    }

    @Test
    void errorsNameTheFileLineAndKey() throws Exception {
        Config config = Config.of(new ObjectMapper().readTree("{\"streams\": [{\"name\": \"a\", \"path\": \"a.csv\", \"format\": \"cvs\"}]}"),
                "connections.files.config",
                p -> p.equals("connections.files.config.streams[0].format") ? "tributary.yml:14" : "tributary.yml:9");
        assertThatThrownBy(() -> FilesConfig.from(config))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tributary.yml:14: connections.files.config.streams[0].format: unknown format 'cvs'; expected csv, json or jsonl"
                        + " (did you mean 'csv'?)");
    }

    @Test
    void refusesWhatCannotWork() {
        assertError("{}", "streams: is required");
        assertError("{'batch_size': 0, 'streams': [{'name': 'a', 'path': 'a.csv'}]}", "batch_size: must be at least 1, got 0");
        assertError("{'streams': [{'name': 'a', 'path': 'a.csv'}, {'name': 'a', 'path': 'b.csv'}]}", "streams[1].name: stream 'a' is defined twice");
        assertError("{'streams': [{'path': 'a.csv'}]}", "streams[0].name: is required");
        assertError("{'streams': [{'name': 'a'}]}", "streams[0].path: is required");
        assertError("{'streams': [{'name': 'a', 'path': 'a.txt'}]}", "streams[0].format: is required when the path does not end in");
        assertError("{'streams': [{'name': 'a', 'path': 'a.json', 'csv': {'delimiter': ';'}}]}", "streams[0].csv: applies only to format csv");
        assertError("{'streams': [{'name': 'a', 'path': 'a.csv', 'csv': {'delimiter': ';;'}}]}",
                "streams[0].csv.delimiter: must be one character, got ';;'");
        assertError("{'streams': [{'name': 'a', 'path': 'a.csv', 'csv': {'encoding': 'UTF-9'}}]}", "streams[0].csv.encoding: unknown encoding 'UTF-9'");
        assertError("{'streams': [{'name': 'a', 'path': 'a.csv', 'csv': {'columns': ['x']}}]}",
                "streams[0].csv.columns: names the columns of files without a header");
        assertError("{'streams': [{'name': 'a', 'path': 'a.csv', 'types': {'x': 'money'}}]}", "streams[0].types.x: unknown type 'money'");
        assertError("{'streams': [{'name': 'a', 'path': 'a.csv', 'missing_files': 'skip'}]}",
                "streams[0].missing_files: unknown value 'skip'; expected one of fail, ignore");
        assertError("{'streams': [{'name': 'a', 'path': 'a.csv', 'infer_rows': 0}]}", "streams[0].infer_rows: must be at least 1");
    }

    private static void assertError(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
