package dev.tributary.engine;

/** Receives run events; may be called from several threads at once, so implementations must be thread-safe. */
@FunctionalInterface
public interface RunListener {
    void on(RunEvent event);

    RunListener NONE = event -> {};

    static RunListener all(RunListener... listeners) {
        return event -> {
            for (RunListener l : listeners) l.on(event);
        };
    }
}
