package dev.tributary.spi;

import java.util.Optional;

/**
 * Writes one stream. {@link #write} may only stage; {@link #commit} makes everything staged since the last commit
 * visible together with the checkpoint, in one transaction; {@link #abort} drops what is staged and leaves the
 * committed state as it was. A writer closed without commit behaves as if aborted.
 */
public interface StreamWriter extends AutoCloseable {
    /**
     * The target table's columns as the source named them, with their current types; empty when the table does
     * not exist yet. The engine widens incoming schemas to these types before writing.
     */
    Optional<Schema> tableSchema();

    /** Stages a batch whose schema already holds the table's types; adds columns and widens types as needed. */
    void write(RecordBatch batch);

    /** Applies staged data and stores the checkpoint (when there is one) with it, atomically. */
    void commit(Optional<StreamState> checkpoint);

    void abort();

    Optional<StreamState> committedState();

    /**
     * Whether this writer applies the {@link Completion}s of the batches it stages (soft-deletes what they say is
     * gone). A writer that answers false ignores them; the engine then says that deletions cannot be reconciled.
     */
    default boolean reconciles() {
        return false;
    }

    @Override
    void close();
}
