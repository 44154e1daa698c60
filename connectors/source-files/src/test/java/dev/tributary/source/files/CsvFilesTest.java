package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfigException;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import dev.tributary.spi.SyncMode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV files through the source: dialects, inference, the user's types and what happens to bad rows. */
class CsvFilesTest {
    @TempDir
    Path dir;

    private Config config(String stream) {
        return Fixtures.config(dir, 100, stream);
    }

    @Test
    void infersTypesFromTheSampleAndProducesTheirJavaValues() {
        Fixtures.write(dir, "t.csv", """
                flag,count,zip,price,ratio,day,at,at_tz,name,empty
                true,1,01234,1.50,1e3,2024-05-01,2024-05-01T10:00:00,2024-05-01T10:00:00Z,Ada,
                FALSE,-2,10115,2,2.5E-1,2024-05-02,2024-05-02 11:30,2024-05-02T12:00:00+02:00,Grace,
                ,,,,,,,,,
                """);
        Config config = config("{'name': 't', 'path': 't.csv'}");
        assertThat(Reads.discover(config, "t").fields()).containsExactly(
                Field.of("flag", DataType.BOOLEAN), Field.of("count", DataType.INTEGER), Field.of("zip", DataType.TEXT),
                Field.of("price", DataType.DECIMAL), Field.of("ratio", DataType.NUMBER), Field.of("day", DataType.DATE),
                Field.of("at", DataType.TIMESTAMP), Field.of("at_tz", DataType.TIMESTAMP_TZ), Field.of("name", DataType.TEXT),
                Field.of("empty", DataType.TEXT));
        List<Map<String, Object>> rows = Reads.read(config, "t").rows();
        assertThat(rows.get(0)).containsExactly(Map.entry("flag", true), Map.entry("count", 1L), Map.entry("zip", "01234"),
                Map.entry("price", new BigDecimal("1.50")), Map.entry("ratio", 1000.0), Map.entry("day", LocalDate.of(2024, 5, 1)),
                Map.entry("at", LocalDateTime.of(2024, 5, 1, 10, 0)), Map.entry("at_tz", Instant.parse("2024-05-01T10:00:00Z")),
                Map.entry("name", "Ada"));
        assertThat(rows.get(1)).containsEntry("price", new BigDecimal("2")).containsEntry("at_tz", Instant.parse("2024-05-02T10:00:00Z"));
        assertThat(rows.get(2)).as("empty fields are nulls").isEmpty();
    }

    @Test
    void columnTypesWidenOverTheSampleOfEveryFile() {
        Fixtures.write(dir, "a/1.csv", "n,d,x\n1,2024-05-01,1\n");
        Fixtures.write(dir, "a/2.csv", "n,d,y\n1.5,2024-05-01T10:00,true\n");
        Fixtures.write(dir, "a/3.csv", "n,d\n1e2,2024-05-01T10:00:00Z\n");
        assertThat(Reads.discover(config("{'name': 'a', 'path': 'a/*.csv'}"), "a").fields()).containsExactly(
                Field.of("n", DataType.NUMBER), Field.of("d", DataType.TIMESTAMP_TZ), Field.of("x", DataType.INTEGER),
                Field.of("y", DataType.BOOLEAN));
        Fixtures.write(dir, "a/4.csv", "x\nabc\n");
        assertThat(Reads.discover(config("{'name': 'a', 'path': 'a/*.csv'}"), "a").field("x").orElseThrow().type()).isEqualTo(DataType.TEXT);
    }

    @Test
    void samplesOnlyTheFirstInferRowsOfEachFileAndWidensWhileReading() {
        Fixtures.write(dir, "w.csv", "id,v\n1,10\n2,20\n3,2.5\n4,x\n5,6\n");
        Config config = Fixtures.config(dir, 3, "{'name': 'w', 'path': 'w.csv', 'infer_rows': 2}");
        assertThat(Reads.discover(config, "w").field("v").orElseThrow().type()).isEqualTo(DataType.INTEGER);
        Reads reads = Reads.read(config, "w");
        assertThat(reads.batches()).extracting(b -> b.schema().field("v").orElseThrow().type())
                .containsExactly(DataType.DECIMAL, DataType.TEXT);
        assertThat(reads.column("v")).containsExactly(new BigDecimal("10"), new BigDecimal("20"), new BigDecimal("2.5"), "x", "6");
        assertThat(reads.rejections()).isEmpty();
    }

    @Test
    void newColumnsInLaterFilesAreAdded() {
        Fixtures.write(dir, "a/1.csv", "id\n1\n");
        Config config = config("{'name': 'a', 'path': 'a/*.csv'}");
        ConfiguredStream stream = Reads.configured(config, "a", SyncMode.FULL_REFRESH);
        Fixtures.write(dir, "a/2.csv", "id,extra\n2,\n3,2024-01-01\n");
        Reads reads = Reads.read(config, stream, Optional.empty());
        assertThat(reads.lastSchema().fields()).containsExactly(Field.of("id", DataType.INTEGER), Field.of("extra", DataType.DATE));
        assertThat(reads.rows()).containsExactly(Map.of("id", 1L), Map.of("id", 2L), Map.of("id", 3L, "extra", LocalDate.of(2024, 1, 1)));
        assertThat(reads.records()).allSatisfy(r -> assertThat(r.values()).hasSize(2));
    }

    @Test
    void readsSemicolonsQuotesAndLineBreaksInFields() {
        Fixtures.write(dir, "s.csv", "name;note;amount\n\"Doe; Jane\";\"said \"\"hi\"\"\nthen left\";\"1,5\"\nBob;;2\n");
        Reads reads = Reads.read(config("{'name': 's', 'path': 's.csv', 'csv': {'delimiter': ';'}}"), "s");
        assertThat(reads.rows()).containsExactly(
                Map.of("name", "Doe; Jane", "note", "said \"hi\"\nthen left", "amount", "1,5"),
                Map.of("name", "Bob", "amount", "2"));
        assertThat(reads.records()).extracting(r -> r.origin()).containsExactly("s.csv:2", "s.csv:4");
    }

    @Test
    void readsTabSeparatedFilesByTheirExtension() {
        Fixtures.write(dir, "t.tsv", "a\tb\n1\tx y\n");
        assertThat(Reads.read(config("{'name': 't', 'path': 't.tsv'}"), "t").rows()).containsExactly(Map.of("a", 1L, "b", "x y"));
    }

    @Test
    void readsFilesWithoutHeaderUsingConfiguredOrGeneratedNames() {
        Fixtures.write(dir, "n.csv", "1,Ada\n2,Grace\n");
        assertThat(Reads.read(config("{'name': 'n', 'path': 'n.csv', 'csv': {'header': false, 'columns': ['id', 'name']}}"), "n").rows())
                .containsExactly(Map.of("id", 1L, "name", "Ada"), Map.of("id", 2L, "name", "Grace"));
        Reads generated = Reads.read(config("{'name': 'n', 'path': 'n.csv', 'csv': {'header': false}}"), "n");
        assertThat(generated.lastSchema().fieldNames()).containsExactly("column_1", "column_2");
        assertThat(generated.records().get(0).origin()).isEqualTo("n.csv:1");
    }

    @Test
    void keepsHeaderNamesAsWrittenAndNumbersRepeatsAndBlanks() {
        Fixtures.write(dir, "h.csv", "First Name,email,email,,email_2\nA,a@x,b@x,c,d\n");
        assertThat(Reads.discover(config("{'name': 'h', 'path': 'h.csv'}"), "h").fieldNames())
                .containsExactly("First Name", "email", "email_2", "column_4", "email_2_2");
    }

    @Test
    void decodesTheConfiguredEncodingAndDropsAByteOrderMark() {
        Fixtures.write(dir, "latin.csv", "name,city\nJosé,Zürich\n", StandardCharsets.ISO_8859_1);
        assertThat(Reads.read(config("{'name': 'l', 'path': 'latin.csv', 'csv': {'encoding': 'ISO-8859-1'}}"), "l").rows())
                .containsExactly(Map.of("name", "José", "city", "Zürich"));
        Fixtures.write(dir, "bom.csv", "\uFEFFid,name\n1,Ünal\n");
        Config bom = config("{'name': 'b', 'path': 'bom.csv'}");
        assertThat(Reads.discover(bom, "b").fieldNames()).containsExactly("id", "name");
        assertThat(Reads.read(bom, "b").rows()).containsExactly(Map.of("id", 1L, "name", "Ünal"));
    }

    @Test
    void undecodableBytesFailWithTheirLine() {
        Fixtures.write(dir, "bad.csv", "name\nok\nJos\u00e9\n", StandardCharsets.ISO_8859_1);
        Config config = config("{'name': 'b', 'path': 'bad.csv'}");
        assertThatThrownBy(() -> Reads.read(config, "b"))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("bad.csv:3: cannot be read as UTF-8")
                .hasMessageContaining("csv.encoding");
    }

    @Test
    void skipsRowsAboveTheHeader() {
        Fixtures.write(dir, "r.csv", "Report of May\n\nid,v\n1,a\n");
        Reads reads = Reads.read(config("{'name': 'r', 'path': 'r.csv', 'csv': {'skip_rows': 2}}"), "r");
        assertThat(reads.rows()).containsExactly(Map.of("id", 1L, "v", "a"));
        assertThat(reads.records().get(0).origin()).isEqualTo("r.csv:4");
    }

    @Test
    void rejectsValuesThatDoNotFitTheUsersTypesWithTheirPhysicalLine() {
        Fixtures.write(dir, "leads/may.csv", """
                id,note,amount,added_at
                1,"two
                lines",10.5,2024-05-01 10:00
                2,plain,abc,2024-05-02
                3,plain,7,yesterday
                4,,,
                """);
        Config config = config("""
                {'name': 'leads', 'path': 'leads/*.csv', 'types': {'amount': 'decimal', 'added_at': 'timestamp', 'id': 'text'}}""");
        assertThat(Reads.discover(config, "leads").fields()).containsExactly(Field.of("id", DataType.TEXT), Field.of("note", DataType.TEXT),
                Field.of("amount", DataType.DECIMAL), Field.of("added_at", DataType.TIMESTAMP));
        Reads reads = Reads.read(config, "leads");
        assertThat(reads.rows()).containsExactly(
                Map.of("id", "1", "note", "two\nlines", "amount", new BigDecimal("10.5"), "added_at", LocalDateTime.of(2024, 5, 1, 10, 0)),
                Map.of("id", "4"));
        assertThat(reads.rejections()).extracting(Rejection::origin, Rejection::reason, Rejection::raw).containsExactly(
                tuple("leads/may.csv:4", "column 'amount': 'abc' is not a decimal", "2,plain,abc,2024-05-02"),
                tuple("leads/may.csv:5", "column 'added_at': 'yesterday' is not a timestamp (yyyy-mm-ddThh:mm:ss)", "3,plain,7,yesterday"));
    }

    @Test
    void rejectsMalformedRowsAndGoesOn() {
        Fixtures.write(dir, "m.csv", "a,b\n1,2\n3\n4,5,6\n\"x\"y,7\n8,9\n10,\"open\n11,12\n");
        Reads reads = Reads.read(config("{'name': 'm', 'path': 'm.csv'}"), "m");
        assertThat(reads.column("a")).containsExactly(1L, 8L);
        assertThat(reads.rejections()).extracting(Rejection::origin, Rejection::reason, Rejection::raw).containsExactly(
                tuple("m.csv:3", "expected 2 fields, found 1", "3"),
                tuple("m.csv:4", "expected 2 fields, found 3", "4,5,6"),
                tuple("m.csv:5", "unexpected character 'y' after the closing quote of field 1 (a quote inside a quoted field must be doubled)", "\"x\"y,7"),
                tuple("m.csv:7", "unterminated quoted field (field 2 opens a quote that is never closed)", "10,\"open\n11,12"));
    }

    @Test
    void aTypeForAColumnTheFilesLackIsAConfigError() {
        Fixtures.write(dir, "c.csv", "amount,id\n1,2\n");
        assertThatThrownBy(() -> Reads.discover(config("{'name': 'c', 'path': 'c.csv', 'types': {'amout': 'decimal'}}"), "c"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams[0].types.amout")
                .hasMessageContaining("column 'amout' is not in the files (did you mean 'amount'?)");
        assertThatThrownBy(() -> Reads.discover(config("{'name': 'c', 'path': 'c.csv', 'primary_key': ['ID']}"), "c"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("streams[0].primary_key: column 'ID' is not in the files (did you mean 'id'?)");
    }

    @Test
    void theDiscoveredSchemaCarriesThePrimaryKey() {
        Fixtures.write(dir, "k.csv", "company,hq\nAcme,UK\n");
        Schema schema = Reads.discover(config("{'name': 'k', 'path': 'k.csv', 'primary_key': ['company', 'hq']}"), "k");
        assertThat(schema.primaryKey()).containsExactly("company", "hq");
    }
}
