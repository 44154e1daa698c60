package dev.tributary.spi;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets a connector learns while it runs and must keep for the next run, such as a rotated OAuth refresh token.
 * The project supplies one that encrypts at rest; values are never logged. Names are the connector's (prefix them
 * with the connector type); values are opaque text.
 */
public interface SecretStore {
    Optional<String> read(String name);

    /** Stores {@code value} under {@code name}, replacing what was there; durable when this returns. */
    void write(String name, String value);

    /** A store that forgets everything when the process ends: the default when no project supplies one. */
    static SecretStore inMemory() {
        Map<String, String> values = new ConcurrentHashMap<>();
        return new SecretStore() {
            @Override
            public Optional<String> read(String name) {
                return Optional.ofNullable(values.get(name));
            }

            @Override
            public void write(String name, String value) {
                values.put(name, value);
            }

            @Override
            public String toString() {
                return "in-memory secret store";
            }
        };
    }
}
