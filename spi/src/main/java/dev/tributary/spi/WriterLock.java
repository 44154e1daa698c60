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

    /** A lock on {@code connection} whose first {@link #close()} runs {@code release}; later closes do nothing. */
    static WriterLock releasedBy(String connection, Runnable release) {
        java.util.Objects.requireNonNull(connection, "connection is null");
        java.util.Objects.requireNonNull(release, "release is null");
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return new WriterLock() {
            @Override
            public String connection() {
                return connection;
            }

            @Override
            public void close() {
                if (released.compareAndSet(false, true)) release.run();
            }
        };
    }
}
