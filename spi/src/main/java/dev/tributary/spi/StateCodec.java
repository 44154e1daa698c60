package dev.tributary.spi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Converts a connector's typed resume point to and from the JSON it is stored as. {@link #decode} must accept
 * every version the connector ever wrote, so a newer connector still resumes from an older state.
 */
public interface StateCodec<T> {
    int currentVersion();

    JsonNode encode(T state);

    T decode(int version, JsonNode value);

    default StreamState toState(StreamId stream, T state) {
        return new StreamState(stream, currentVersion(), encode(state));
    }

    default T fromState(StreamState state) {
        if (state.version() > currentVersion()) {
            throw new IllegalStateException("state of " + state.stream() + " has version " + state.version()
                    + ", newer than this connector understands (" + currentVersion() + "); upgrade Tributary or reset the state");
        }
        return decode(state.version(), state.value());
    }
}
