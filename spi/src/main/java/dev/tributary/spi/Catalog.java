package dev.tributary.spi;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every stream a source offers, sorted by id so that discovery is deterministic. */
public record Catalog(List<StreamDescriptor> streams) {
    public Catalog {
        streams = streams.stream().sorted(Comparator.comparing(StreamDescriptor::id)).toList();
    }

    public Optional<StreamDescriptor> stream(String name) {
        return streams.stream().filter(s -> s.id().name().equals(name) || s.id().toString().equals(name)).findFirst();
    }
}
