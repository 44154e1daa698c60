package dev.tributary.spi;

import java.util.Optional;

/**
 * A connector that reads data. Found through {@link java.util.ServiceLoader}; keeps no state of its own between
 * calls: the engine stores each stream's {@link StreamState} with the data and passes it back to {@link #read}.
 */
public interface Source {
    ConnectorSpec spec();

    /**
     * Reads every setting as the connector would, without touching the source (no file, network or database), so a
     * project can be validated before anything runs; throws {@link ConfigException} for a bad value. Keys it never
     * asks for are reported as unknown by the caller. The default asks for the settings {@link #spec()} declares,
     * so at least every top-level key is checked; a connector with nested settings overrides it to read them all.
     */
    default void validate(Config config) {
        spec().settings().forEach(s -> config.has(s.name()));
    }

    /** Can we reach the data with this configuration? Never throws for unreachable data: says so in the result. */
    CheckResult check(Config config);

    /** Every stream this configuration offers. Calling it twice on unchanged data gives equal catalogs. */
    Catalog discover(Config config);

    /** Reads one stream from {@code resumeFrom} (or from the start), in batches that carry checkpoints. */
    StreamReader read(Config config, ConfiguredStream stream, Optional<StreamState> resumeFrom);

    /**
     * Hands the source the project's secret store, before any other call, for secrets it learns while running (a
     * rotated refresh token). Sources that learn none ignore it.
     */
    default void useSecrets(SecretStore secrets) {}
}
