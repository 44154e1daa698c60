package dev.tributary.spi;

import java.util.List;
import java.util.Optional;

/** An open warehouse: opens writers for streams and answers for the state committed with their data. */
public interface DestinationSession extends AutoCloseable {
    /** A writer for one stream of one run. Writers of different streams may be used from different threads. */
    StreamWriter writer(ConfiguredStream stream, RunId run);

    /**
     * Makes the caller the only writer of {@code connection}'s data in this warehouse until the returned lock is
     * closed: across processes and within this one, where the data lives (so a CLI run, {@code serve} and any worker
     * exclude each other). Does not wait: when another writer holds the lock it throws
     * {@link WarehouseBusyException} naming that holder (callers that want to wait try again).
     */
    WriterLock lockWriter(String connection, LockHolder holder);

    /** The last state committed for a stream of a connection, if any. */
    Optional<StreamState> committedState(String connection, StreamId stream);

    /** Every committed state, for {@code tributary state show}. */
    List<StoredState> states();

    /** Forgets committed states of a connection (all its streams when {@code stream} is empty); data stays. */
    int resetState(String connection, Optional<StreamId> stream);

    /**
     * Drops a namespace (schema) with every table in it and forgets {@code connection}'s committed states and the
     * warehouse's own bookkeeping for both (removing a tenant with its data). Other namespaces and connections are
     * untouched. Returns the schema as the warehouse names it.
     *
     * @throws UnsupportedOperationException a destination that cannot
     */
    default String dropNamespace(String namespace, String connection) {
        throw new UnsupportedOperationException(describe() + " cannot drop a namespace");
    }

    /** Where a stream's rows land, as the warehouse names the table ({@code schema.table}), for messages. */
    String tableOf(ConfiguredStream stream);

    /** A short human description, such as the database file, for messages. Never includes secrets. */
    String describe();

    @Override
    void close();

    /** A committed state with the connection it belongs to and when it was committed. */
    record StoredState(String connection, StreamState state, String runId, java.time.Instant committedAt) {}
}
