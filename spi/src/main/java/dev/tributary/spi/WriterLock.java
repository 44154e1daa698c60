package dev.tributary.spi;

/**
 * Proof that this process is the only writer of one connection's data in a warehouse, from
 * {@link DestinationSession#lockWriter}. Closing it lets the next writer in; a process that dies lets go of it too.
 */
public interface WriterLock extends AutoCloseable {
    /** The connection whose data this lock guards. */
    String connection();

    @Override
    void close();
}
