package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.spi.DataType;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FilesStateCodecTest {
    private final FilesStateCodec codec = FilesStateCodec.INSTANCE;

    @Test
    void roundTripsThroughStoredJson() {
        FilesState state = new FilesState(
                List.of(new FileState("b.csv", 5_000_000_000L, Instant.parse("2024-05-01T10:00:00.123456789Z"), "ab".repeat(32)),
                        new FileState("a.csv", 10, Instant.parse("2024-05-01T10:00:00Z"), "cd".repeat(32))),
                Optional.of(new FileProgress("c.csv", 99, Instant.parse("2024-05-02T00:00:00Z"), 42)),
                Map.of("amount", DataType.DECIMAL));
        StreamState stored = StreamState.fromJson(codec.toState(StreamId.of("leads"), state).toJson());
        assertThat(codec.fromState(stored)).isEqualTo(state);
        assertThat(codec.fromState(stored).files()).extracting(FileState::path).containsExactly("a.csv", "b.csv");
        assertThat(stored).isEqualTo(codec.toState(StreamId.of("leads"), state));
        assertThat(codec.fromState(StreamState.fromJson(codec.toState(StreamId.of("x"), FilesState.EMPTY).toJson()))).isEqualTo(FilesState.EMPTY);
    }

    @Test
    void refusesDamagedOrNewerState() throws Exception {
        ObjectMapper json = new ObjectMapper();
        StreamState damaged = new StreamState(StreamId.of("x"), 1, json.readTree("{\"files\": [{\"path\": \"a.csv\"}]}"));
        assertThatThrownBy(() -> codec.fromState(damaged)).isInstanceOf(IllegalStateException.class).hasMessageContaining("damaged");
        StreamState newer = new StreamState(StreamId.of("x"), 2, json.readTree("{}"));
        assertThatThrownBy(() -> codec.fromState(newer)).isInstanceOf(IllegalStateException.class).hasMessageContaining("newer");
    }
}
