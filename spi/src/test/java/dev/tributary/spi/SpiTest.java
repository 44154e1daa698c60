package dev.tributary.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpiTest {
    @Test
    void typesOnlyWiden() {
        assertThat(DataType.INTEGER.widen(DataType.DECIMAL)).isEqualTo(DataType.DECIMAL);
        assertThat(DataType.DECIMAL.widen(DataType.NUMBER)).isEqualTo(DataType.NUMBER);
        assertThat(DataType.DATE.widen(DataType.TIMESTAMP_TZ)).isEqualTo(DataType.TIMESTAMP_TZ);
        assertThat(DataType.BOOLEAN.widen(DataType.INTEGER)).isEqualTo(DataType.TEXT);
        assertThat(DataType.JSON.widen(DataType.TEXT)).isEqualTo(DataType.TEXT);
        for (DataType a : DataType.values()) {
            for (DataType b : DataType.values()) {
                DataType w = a.widen(b);
                assertThat(w).isEqualTo(b.widen(a));
                assertThat(w.canHold(a) && w.canHold(b)).as("%s ∨ %s = %s holds both", a, b, w).isTrue();
            }
        }
    }

    @Test
    void schemaMergeKeepsOrderAddsFieldsAndWidens() {
        Schema a = new Schema(List.of(Field.of("id", DataType.INTEGER), Field.of("name", DataType.TEXT)), List.of("id"));
        Schema b = Schema.of(List.of(Field.of("score", DataType.INTEGER), Field.of("id", DataType.DECIMAL)));
        Schema merged = a.merge(b);
        assertThat(merged.fieldNames()).containsExactly("id", "name", "score");
        assertThat(merged.field("id").orElseThrow().type()).isEqualTo(DataType.DECIMAL);
        assertThat(merged.primaryKey()).containsExactly("id");
    }

    @Test
    void stateRoundTripsThroughJson() throws Exception {
        StreamState s = new StreamState(new StreamId("crm", "contacts"), 2, new ObjectMapper().readTree("{\"after\":\"名前\",\"n\":[1,2]}"));
        assertThat(StreamState.fromJson(s.toJson())).isEqualTo(s);
        assertThatThrownBy(() -> StreamState.fromJson("{\"x\":1}")).hasMessageContaining("not a stream state");
        StreamState withLong = new StreamState(StreamId.of("s"), 1, new ObjectMapper().createObjectNode().put("position", 5L));
        assertThat(StreamState.fromJson(withLong.toJson())).as("a long written is equal to the int read back").isEqualTo(withLong);
    }

    @Test
    void configReportsUnknownKeysWithLocationAndSuggestion() {
        var node = new ObjectMapper().valueToTree(Map.of("delimiter", ",", "delimeter", ";", "nested", Map.of("size", 3, "szie", 4)));
        Config config = Config.of((com.fasterxml.jackson.databind.JsonNode) node, "connections.leads", path -> "tributary.yml:7");
        config.string("delimiter", ",");
        config.child("nested").intValue("size", 1);
        assertThat(config.unknownKeys()).extracting(Throwable::getMessage).containsExactlyInAnyOrder(
                "tributary.yml:7: connections.leads.delimeter: unknown key (did you mean 'delimiter'?)",
                "tributary.yml:7: connections.leads.nested.szie: unknown key (did you mean 'size'?)");
        assertThatThrownBy(() -> config.intValue("delimiter", 0)).hasMessageContaining("expected a whole number");
        assertThatThrownBy(() -> config.enumValue("delimiter", WriteMode.class, WriteMode.APPEND))
                .hasMessageContaining("expected one of append, overwrite, merge");
    }
}
