package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.DataException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every case runs with tiny buffers too, so that records, quotes and line breaks straddle refills. */
class CsvParserTest {
    record Row(List<String> fields, long line, String problem, String raw) {
        static Row of(long line, String... fields) {
            return new Row(List.of(fields), line, null, null);
        }
    }

    private static List<Row> parse(String csv, char delimiter, int quote, int escape, int bufferSize) {
        try (CsvParser p = new CsvParser(new StringReader(csv), delimiter, quote, escape, "test.csv", bufferSize)) {
            List<Row> out = new ArrayList<>();
            while (p.next()) {
                out.add(new Row(List.copyOf(Arrays.asList(p.fields()).subList(0, p.fieldCount())), p.startLine(), p.problem(), p.raw()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Row> parse(String csv, int bufferSize) {
        return parse(csv, ',', '"', '"', bufferSize);
    }

    private static List<Row> withoutRaw(List<Row> rows) {
        return rows.stream().map(r -> new Row(r.fields(), r.line(), r.problem(), null)).toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 65536})
    void readsPlainAndQuotedFieldsWithPhysicalLineNumbers(int bufferSize) {
        String csv = "a,b,c\n1,\"x, y\",3\n\"multi\nline\",\"say \"\"hi\"\"\",\n\n last ,,\"\"\n";
        assertThat(withoutRaw(parse(csv, bufferSize))).containsExactly(
                Row.of(1, "a", "b", "c"),
                Row.of(2, "1", "x, y", "3"),
                Row.of(3, "multi\nline", "say \"hi\"", ""),
                Row.of(6, " last ", "", ""));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 65536})
    void acceptsEveryLineBreakAndNoneAtTheEnd(int bufferSize) {
        assertThat(withoutRaw(parse("a,b\r\n1,2\r3,4\n5,6", bufferSize))).containsExactly(
                Row.of(1, "a", "b"), Row.of(2, "1", "2"), Row.of(3, "3", "4"), Row.of(4, "5", "6"));
        assertThat(withoutRaw(parse("a,\"b\r\nc\"\r\n\r\n1,2\r\n", bufferSize))).containsExactly(
                Row.of(1, "a", "b\r\nc"), Row.of(4, "1", "2"));
        assertThat(withoutRaw(parse("a,b,\n", bufferSize))).containsExactly(Row.of(1, "a", "b", ""));
        assertThat(withoutRaw(parse("a,b,", bufferSize))).containsExactly(Row.of(1, "a", "b", ""));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 65536})
    void keepsTheRawTextOfEachRecord(int bufferSize) {
        List<Row> rows = parse("a,b\r\n\"x\ny\",2\n3,4", bufferSize);
        assertThat(rows).extracting(Row::raw).containsExactly("a,b", "\"x\ny\",2", "3,4");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 65536})
    void reportsAnUnterminatedQuoteAtTheLineItStarts(int bufferSize) {
        List<Row> rows = parse("a,b\n1,\"open\n2,3\n", bufferSize);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).line()).isEqualTo(2);
        assertThat(rows.get(1).problem()).startsWith("unterminated quoted field (field 2");
        assertThat(rows.get(1).raw()).isEqualTo("1,\"open\n2,3");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 65536})
    void reportsTextAfterAClosingQuoteAndGoesOn(int bufferSize) {
        List<Row> rows = parse("\"a\"b,c\n\"ok\" ,d\n", bufferSize);
        assertThat(rows.get(0).problem()).contains("unexpected character 'b' after the closing quote of field 1");
        assertThat(rows.get(0).line()).isEqualTo(1);
        assertThat(rows.get(1)).isEqualTo(new Row(List.of("ok", "d"), 2, null, "\"ok\" ,d"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 65536})
    void supportsOtherDelimitersQuotesAndEscapes(int bufferSize) {
        assertThat(withoutRaw(parse("a;'b;c';'it''s'\n", ';', '\'', '\'', bufferSize))).containsExactly(Row.of(1, "a", "b;c", "it's"));
        assertThat(withoutRaw(parse("a\t\"b\\\"c\"\t\"d\\\\\"\n", '\t', '"', '\\', bufferSize))).containsExactly(Row.of(1, "a", "b\"c", "d\\"));
        assertThat(withoutRaw(parse("a,\"b\",c\n", ',', -1, -1, bufferSize))).containsExactly(Row.of(1, "a", "\"b\"", "c"));
    }

    @Test
    void quotesInsideUnquotedFieldsAreText() {
        assertThat(withoutRaw(parse("5\" screen,x\n", 65536))).containsExactly(Row.of(1, "5\" screen", "x"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65536})
    void dropsAByteOrderMarkAndSkipsLines(int bufferSize) throws IOException {
        try (CsvParser p = new CsvParser(new StringReader("\uFEFFtitle line\r\nsecond \"line\n\"a\",b\n"), ',', '"', '"', "t.csv", bufferSize)) {
            p.skipLines(2);
            assertThat(p.next()).isTrue();
            assertThat(p.fields()[0]).isEqualTo("a");
            assertThat(p.startLine()).isEqualTo(3);
            assertThat(p.next()).isFalse();
        }
        assertThat(parse("\uFEFFa,b\n", bufferSize).get(0).fields()).containsExactly("a", "b");
    }

    @Test
    void refusesARecordLongerThanTheLimit() {
        Reader endless = new Reader() {
            @Override
            public int read(char[] cbuf, int off, int len) {
                Arrays.fill(cbuf, off, off + len, 'x');
                return len;
            }

            @Override
            public void close() {}
        };
        try (CsvParser p = new CsvParser(new CharSequenceReader("a\n\"", endless), ',', '"', '"', "big.csv", 1 << 16)) {
            assertThat(p.next()).isTrue();
            assertThatThrownBy(p::next).isInstanceOf(DataException.class).hasMessageStartingWith("big.csv:2: record is longer than");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A prefix followed by another reader. */
    private static final class CharSequenceReader extends Reader {
        private final StringReader first;
        private final Reader then;
        private boolean firstDone;

        CharSequenceReader(String prefix, Reader then) {
            this.first = new StringReader(prefix);
            this.then = then;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (!firstDone) {
                int n = first.read(cbuf, off, len);
                if (n > 0) return n;
                firstDone = true;
            }
            return then.read(cbuf, off, len);
        }

        @Override
        public void close() {}
    }
}
