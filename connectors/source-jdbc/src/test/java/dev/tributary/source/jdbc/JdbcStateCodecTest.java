package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.DataType;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcStateCodecTest {
    private static final StreamId ID = new StreamId("shop", "orders");
    private static final JdbcStateCodec CODEC = JdbcStateCodec.INSTANCE;

    private static JdbcState roundTrip(JdbcState state) {
        StreamState written = CODEC.toState(ID, state);
        StreamState read = StreamState.fromJson(written.toJson());
        assertThat(read).as("the state equals its JSON round trip").isEqualTo(written);
        return CODEC.fromState(read);
    }

    @Test
    void everyPositionTypeComesBackExactly() {
        List<JdbcState.PositionValue> position = List.of(
                new JdbcState.PositionValue("updated_at", DataType.TIMESTAMP_TZ, Instant.parse("2024-05-01T10:00:00.123456789Z")),
                new JdbcState.PositionValue("local", DataType.TIMESTAMP, LocalDateTime.parse("2024-05-01T10:00:00.000001")),
                new JdbcState.PositionValue("midnight", DataType.TIMESTAMP, LocalDateTime.parse("2024-05-01T00:00")),
                new JdbcState.PositionValue("day", DataType.DATE, LocalDate.parse("2024-02-29")),
                new JdbcState.PositionValue("amount", DataType.DECIMAL, new BigDecimal("12345678901234567890.123456789")),
                new JdbcState.PositionValue("scaled", DataType.DECIMAL, new BigDecimal("2.50")),
                new JdbcState.PositionValue("big", DataType.INTEGER, Long.MAX_VALUE),
                new JdbcState.PositionValue("small", DataType.INTEGER, 42L),
                new JdbcState.PositionValue("ratio", DataType.NUMBER, 0.1),
                new JdbcState.PositionValue("nan", DataType.NUMBER, Double.NaN),
                new JdbcState.PositionValue("flag", DataType.BOOLEAN, true),
                new JdbcState.PositionValue("name", DataType.TEXT, "Zoë \"quoted\" \n text"));
        JdbcState state = JdbcState.incremental("updated_at", position, false);
        JdbcState back = roundTrip(state);
        assertThat(back).isEqualTo(state);
        assertThat(back.position().get(5).value()).as("scale kept").hasToString("2.50");
        assertThat(back.position().get(7).value()).isInstanceOf(Long.class);
    }

    @Test
    void writesReadableJson() {
        JdbcState state = JdbcState.incremental("updated_at", List.of(
                new JdbcState.PositionValue("updated_at", DataType.TIMESTAMP, LocalDateTime.parse("2024-05-01T10:00")),
                new JdbcState.PositionValue("id", DataType.INTEGER, 7L)), false);
        assertThat(CODEC.encode(state).toString()).isEqualTo("{\"mode\":\"incremental\",\"cursor\":\"updated_at\",\"position\":["
                + "{\"column\":\"updated_at\",\"type\":\"timestamp\",\"value\":\"2024-05-01T10:00:00\"},"
                + "{\"column\":\"id\",\"type\":\"integer\",\"value\":7}]}");
        assertThat(CODEC.encode(JdbcState.fullComplete()).toString()).isEqualTo("{\"mode\":\"full\",\"complete\":true}");
        JdbcState inclusive = JdbcState.incremental("day", List.of(new JdbcState.PositionValue("day", DataType.DATE, LocalDate.of(2024, 1, 2))), true);
        assertThat(CODEC.encode(inclusive).toString()).endsWith(",\"inclusive\":true}");
        assertThat(roundTrip(inclusive)).isEqualTo(inclusive);
        assertThat(roundTrip(JdbcState.fullComplete())).isEqualTo(JdbcState.fullComplete());
    }

    @Test
    void damagedOrNewerStatesAreClearErrors() {
        assertThatThrownBy(() -> CODEC.fromState(StreamState.fromJson(
                "{\"stream\":\"orders\",\"namespace\":\"shop\",\"version\":1,\"value\":{\"mode\":\"sideways\"}}")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("damaged").hasMessageContaining("full refresh");
        assertThatThrownBy(() -> CODEC.fromState(StreamState.fromJson("{\"stream\":\"orders\",\"namespace\":\"shop\",\"version\":1,\"value\":"
                + "{\"mode\":\"full\",\"position\":[{\"column\":\"id\",\"type\":\"integer\",\"value\":\"x\"}]}}")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> CODEC.fromState(StreamState.fromJson(
                "{\"stream\":\"orders\",\"namespace\":\"shop\",\"version\":2,\"value\":{}}")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("newer");
    }
}
