package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * What a connector is called in {@code tributary.yml} ({@code type}), what it does, the top-level settings it
 * takes (secret ones are never printed), and the capabilities the contract tests hold it to.
 */
public record ConnectorSpec(String type, String description, List<Setting> settings, Set<Capability> capabilities) {
    public ConnectorSpec {
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        settings = List.copyOf(settings);
        capabilities = Set.copyOf(capabilities);
    }

    public boolean has(Capability c) {
        return capabilities.contains(c);
    }

    public boolean isSecret(String setting) {
        return settings.stream().anyMatch(s -> s.name().equals(setting) && s.secret());
    }

    /** One setting: its name, whether it is required or secret, and a line of help. */
    public record Setting(String name, boolean required, boolean secret, String help) {}

    public enum Capability {
        /** Source: reads only what changed since its state. */
        INCREMENTAL,
        /** Source: reports deletions as records with {@link Record#deletedAt()}. */
        SOURCE_DELETES,
        /** Destination: upserts on a primary key. */
        MERGE,
        /** Destination: replaces a table atomically. */
        OVERWRITE,
        /** Destination: marks deleted records instead of dropping them. */
        SOFT_DELETE,
        /** Destination: adds columns and widens types as schemas evolve. */
        SCHEMA_EVOLUTION,
        /** Destination: stores rejected input in {@code _tributary_rejects}. */
        REJECTS,
        /** Destination: applies batch {@link Completion}s (reconciled deletions) on merge streams. */
        RECONCILE
    }
}
