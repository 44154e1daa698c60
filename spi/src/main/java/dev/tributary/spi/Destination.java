package dev.tributary.spi;

/** A connector that stores data, found through {@link java.util.ServiceLoader}. */
public interface Destination {
    ConnectorSpec spec();

    /** Opens the warehouse the configuration points at; one session serves every stream of a run. */
    DestinationSession open(Config config);
}
