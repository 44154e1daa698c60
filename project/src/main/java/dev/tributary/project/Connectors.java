package dev.tributary.project;

import dev.tributary.spi.Config;
import dev.tributary.spi.Destination;
import dev.tributary.spi.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The sources and destinations on the class path, found through {@link ServiceLoader} by their type name. */
public final class Connectors {
    private final Map<String, Source> sources = new TreeMap<>();
    private final Map<String, Destination> destinations = new TreeMap<>();

    public Connectors(List<Source> sources, List<Destination> destinations) {
        sources.forEach(s -> this.sources.put(s.spec().type(), s));
        destinations.forEach(d -> this.destinations.put(d.spec().type(), d));
    }

    public static Connectors discover() {
        List<Source> s = new ArrayList<>();
        ServiceLoader.load(Source.class).forEach(s::add);
        List<Destination> d = new ArrayList<>();
        ServiceLoader.load(Destination.class).forEach(d::add);
        return new Connectors(s, d);
    }

    public Source source(String type, Config at, String key) {
        Source s = sources.get(type);
        if (s == null) {
            throw at.error(key, "unknown source type '" + type + "'; available: " + String.join(", ", sources.keySet())
                    + Config.didYouMean(type, List.copyOf(sources.keySet())));
        }
        return s;
    }

    public Destination destination(String type, Config at, String key) {
        Destination d = destinations.get(type);
        if (d == null) {
            throw at.error(key, "unknown destination type '" + type + "'; available: " + String.join(", ", destinations.keySet())
                    + Config.didYouMean(type, List.copyOf(destinations.keySet())));
        }
        return d;
    }

    public Map<String, Source> sources() {
        return Map.copyOf(sources);
    }

    public Map<String, Destination> destinations() {
        return Map.copyOf(destinations);
    }
}
