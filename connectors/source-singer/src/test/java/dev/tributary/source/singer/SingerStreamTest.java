package dev.tributary.source.singer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.singer.JsonSchemaTypes;
import dev.tributary.singer.SingerMessage;
import dev.tributary.singer.SingerStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.JsonText;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** JSON Schema types and record values of one stream, message by message (no process). */
class SingerStreamTest {
    private static SingerMessage m(String json, int line) {
        return SingerMessage.parse(json, "in line " + line);
    }

    @Test
    void jsonSchemaTypesCoverNullableAnyOfFormatsAndDecimals() throws Exception {
        var json = SingerMessage.JSON;
        assertThat(JsonSchemaTypes.type(json.readTree("{\"type\":[\"null\",\"integer\",\"number\"]}"), "p")).isEqualTo(DataType.NUMBER);
        assertThat(JsonSchemaTypes.type(json.readTree("{\"anyOf\":[{\"type\":\"string\",\"format\":\"date\"},{\"type\":\"string\",\"format\":\"date-time\"},{\"type\":\"null\"}]}"), "p"))
                .isEqualTo(DataType.TIMESTAMP_TZ);
        assertThat(JsonSchemaTypes.type(json.readTree("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"object\"}]}"), "p")).isEqualTo(DataType.JSON);
        assertThat(JsonSchemaTypes.type(json.readTree("{\"type\":\"number\",\"multipleOf\":0.01}"), "p")).isEqualTo(DataType.DECIMAL);
        assertThat(JsonSchemaTypes.type(json.readTree("{\"type\":[\"string\",\"null\"],\"format\":\"singer.decimal\"}"), "p")).isEqualTo(DataType.DECIMAL);
        assertThat(JsonSchemaTypes.type(json.readTree("{\"type\":\"string\",\"format\":\"time\"}"), "p")).isEqualTo(DataType.TEXT);
        assertThat(JsonSchemaTypes.type(json.readTree("{}"), "p")).isEqualTo(DataType.JSON);
        assertThatThrownBy(() -> JsonSchemaTypes.type(json.readTree("{\"type\":\"strnig\"}"), "properties.x"))
                .hasMessageContaining("'properties.x.type' has unknown type 'strnig'");
    }

    @Test
    void valuesWidenTheirColumnRatherThanBeingLost() {
        SingerStream s = new SingerStream("t");
        s.applySchema((SingerMessage.SchemaMessage) m("{\"type\":\"SCHEMA\",\"stream\":\"t\",\"key_properties\":[\"id\"],\"schema\":{\"properties\":{\"id\":{\"type\":\"integer\"},\"n\":{\"type\":\"integer\"}}}}", 1));
        s.add((SingerMessage.RecordMessage) m("{\"type\":\"RECORD\",\"stream\":\"t\",\"record\":{\"id\":1,\"n\":12345678901234567890123}}", 2));
        assertThat(s.schema().field("n").orElseThrow().type()).isEqualTo(DataType.DECIMAL);
        s.add((SingerMessage.RecordMessage) m("{\"type\":\"RECORD\",\"stream\":\"t\",\"record\":{\"id\":2,\"n\":123456789012345678901234567890123}}", 3));
        assertThat(s.schema().field("n").orElseThrow().type()).isEqualTo(DataType.TEXT);
        s.add((SingerMessage.RecordMessage) m("{\"type\":\"RECORD\",\"stream\":\"t\",\"record\":{\"id\":3,\"extra\":{\"a\":1},\"more\":2.5}}", 4));
        var d = s.drain();
        assertThat(d.schema().fieldNames()).containsExactly("id", "n", "extra", "more");
        assertThat(d.records().get(0).value(1)).isEqualTo(new BigDecimal("12345678901234567890123"));
        assertThat(d.records().get(1).value(1)).isEqualTo("123456789012345678901234567890123");
        assertThat(d.records().get(2).value(2)).isEqualTo(new JsonText("{\"a\":1}"));
        assertThat(d.records().get(2).value(3)).isEqualTo(new BigDecimal("2.5").doubleValue());
    }

    @Test
    void additionalPropertiesFalseAndMissingKeysAreRejectionsNamingTheLine() {
        SingerStream s = new SingerStream("t");
        s.applySchema((SingerMessage.SchemaMessage) m("{\"type\":\"SCHEMA\",\"stream\":\"t\",\"key_properties\":[\"id\"],\"schema\":{\"additionalProperties\":false,\"properties\":{\"id\":{\"type\":\"integer\"}}}}", 1));
        s.add((SingerMessage.RecordMessage) m("{\"type\":\"RECORD\",\"stream\":\"t\",\"record\":{\"id\":1,\"surprise\":true}}", 2));
        s.add((SingerMessage.RecordMessage) m("{\"type\":\"RECORD\",\"stream\":\"t\",\"record\":{\"id\":null}}", 3));
        var d = s.drain();
        assertThat(d.records()).isEmpty();
        assertThat(d.rejections()).extracting(r -> r.describe()).containsExactly(
                "in line 2: record of stream 't' has property 'surprise', which its schema does not list (additionalProperties is false)",
                "in line 3: record of stream 't' has no value for key property 'id'");
    }

    @Test
    void nulReplacementIsOptInAndCounted() {
        SingerStream s = new SingerStream("t");
        s.replaceNul(true);
        s.applySchema((SingerMessage.SchemaMessage) m("{\"type\":\"SCHEMA\",\"stream\":\"t\",\"key_properties\":[],\"schema\":{\"properties\":{\"a\":{\"type\":\"string\"},\"o\":{\"type\":\"object\"}}}}", 1));
        s.add((SingerMessage.RecordMessage) m("{\"type\":\"RECORD\",\"stream\":\"t\",\"record\":{\"a\":\"x\\u0000y\",\"o\":{\"k\":\"p\\u0000q\",\"lit\":\"\\\\u0000\"}}}", 2));
        var d = s.drain();
        assertThat(d.records().get(0).value(0)).isEqualTo("x\uFFFDy");
        assertThat(d.records().get(0).value(1).toString()).isEqualTo("{\"k\":\"p\\ufffdq\",\"lit\":\"\\\\u0000\"}");
        assertThat(s.nulReplaced()).isEqualTo(2);
    }

    @Test
    void malformedLinesAreErrorsNamingTheLine() {
        assertThatThrownBy(() -> m("{\"type\":\"RECORD\",\"record\":{}}", 9)).isInstanceOf(DataException.class).hasMessage("in line 9: RECORD message has no 'stream'");
        assertThatThrownBy(() -> m("{\"type\":\"HELLO\"}", 4)).hasMessageContaining("in line 4: unknown message type 'HELLO'");
        assertThatThrownBy(() -> m("not json", 5)).hasMessageContaining("in line 5: not a JSON message");
    }
}
