package dev.tributary.spi;

import static java.util.Objects.requireNonNull;

/** Names a stream within a source; the namespace is empty when the source has only one. */
public record StreamId(String namespace, String name) implements Comparable<StreamId> {
    public StreamId {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        if (name.isBlank()) throw new IllegalArgumentException("stream name is blank");
    }

    public static StreamId of(String name) {
        return new StreamId("", name);
    }

    @Override
    public int compareTo(StreamId other) {
        int c = namespace.compareTo(other.namespace);
        return c != 0 ? c : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return namespace.isEmpty() ? name : namespace + "." + name;
    }
}
