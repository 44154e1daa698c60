package dev.tributary.engine;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.TransientException;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves one stream: resume from the committed state, read ahead on a second thread, coerce, stage, and commit
 * data with its checkpoint as the policy says. Any failure aborts what is staged, so the committed state and
 * data stay as they were at the last commit; a transient failure (a lost connection) is retried from there.
 */
final class StreamSync {
    private static final Object END = new Object();
    private static final System.Logger LOG = System.getLogger(StreamSync.class.getName());

    private final SyncJob job;
    private final ConfiguredStream stream;
    private final RunId run;
    private final SyncOptions options;
    private final RunListener listener;
    private final AtomicBoolean cancelled;
    private final dev.tributary.spi.CancelSignal signal;
    private final java.util.function.BooleanSupplier commitGate;
    /** Why the source served the stream from a fallback, as its reader last said; null when it did not. */
    private volatile String fallback;

    StreamSync(SyncJob job, ConfiguredStream stream, RunId run, SyncOptions options, RunListener listener, AtomicBoolean cancelled,
               dev.tributary.spi.CancelSignal signal, java.util.function.BooleanSupplier commitGate) {
        this.commitGate = commitGate;
        this.signal = signal;
        this.job = job;
        this.stream = stream;
        this.run = run;
        this.options = options;
        this.listener = listener;
        this.cancelled = cancelled;
    }

    /** Totals over every attempt: only what was committed counts as loaded. */
    private static final class Totals {
        long committedRecords;
        long committedRejected;
        int commits;
        // in flight since the last commit of the current attempt
        long records;
        long rejected;

        void committed() {
            committedRecords += records;
            committedRejected += rejected;
            records = 0;
            rejected = 0;
            commits++;
        }

        void lostSinceCommit() {
            records = 0;
            rejected = 0;
        }
    }

    /** Runs the stream with the run's cancel signal bound, so the connector's waits on this thread end at a cancel. */
    StreamResult run() {
        return signal.bind(this::runBound);
    }

    private StreamResult runBound() {
        long started = System.nanoTime();
        Totals totals = new Totals();
        for (int attempt = 1; ; attempt++) {
            try {
                attempt(totals, started);
                return finish(StreamResult.Status.SUCCEEDED, totals, started, Optional.empty());
            } catch (CancelledException e) {
                totals.lostSinceCommit();
                return finish(StreamResult.Status.CANCELLED, totals, started, Optional.of("cancelled"));
            } catch (RuntimeException e) {
                totals.lostSinceCommit();
                // a cancel ends the connector's waits with an exception of their own: the stream was cancelled, it did not fail
                if (cancelled.get()) return finish(StreamResult.Status.CANCELLED, totals, started, Optional.of("cancelled"));
                if (!TransientException.isTransient(e) || attempt >= options.maxAttempts() || cancelled.get()) {
                    String tries = attempt > 1 ? " (after " + attempt + " attempts)" : "";
                    return finish(StreamResult.Status.FAILED, totals, started, Optional.of(describe(e) + tries));
                }
                Duration delay = options.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 6));
                listener.on(new RunEvent.StreamRetrying(run, stream, attempt, describe(e), delay));
                if (!waitUnlessCancelled(delay)) return finish(StreamResult.Status.CANCELLED, totals, started, Optional.of("cancelled"));
            }
        }
    }

    /** One attempt: resume from the committed state and read to the end, committing as the policy says. */
    private void attempt(Totals totals, long started) {
        try (StreamWriter writer = job.destination().writer(stream, run)) {
            // An overwrite replaces the table with what this run reads, so it must read everything.
            boolean resumes = stream.syncMode() == SyncMode.INCREMENTAL && stream.writeMode() != WriteMode.OVERWRITE;
            Optional<StreamState> resume = resumes ? writer.committedState() : Optional.empty();
            listener.on(new RunEvent.StreamStarted(run, stream, resume.isPresent()));
            try {
                load(writer, resume, totals, started);
            } catch (RuntimeException e) {
                try {
                    writer.abort();
                } catch (RuntimeException abortFailure) {
                    e.addSuppressed(abortFailure);
                }
                throw e;
            }
        }
    }

    private void load(StreamWriter writer, Optional<StreamState> resume, Totals totals, long started) {
        // Merge and keyed overwrite keep one row per key: a record without its key would silently replace another.
        List<String> requiredKey = stream.writeMode() == WriteMode.APPEND ? List.of() : stream.primaryKey();
        boolean commitAlongTheWay = stream.writeMode() != WriteMode.OVERWRITE;
        Optional<StreamState> pending = resume;
        long sinceCommit = 0;
        boolean uncheckpointed = false;
        long lastCommit = System.nanoTime();
        Coercion coercion = new Coercion(writer.tableSchema(), requiredKey);
        boolean reconciliationWarned = false;
        try (ReadAhead batches = new ReadAhead(job.source().read(job.sourceConfig(), stream, resume), coercion)) {
            for (RecordBatch coerced = batches.next(); coerced != null; coerced = batches.next()) {
                if (fallback == null) noteFallback(batches.reader);
                if (cancelled.get()) throw new CancelledException();
                if (!coerced.rejections().isEmpty() && stream.onError() == ErrorPolicy.FAIL) {
                    throw rejectionError(coerced.rejections());
                }
                if (!coerced.completions().isEmpty() && !writer.reconciles() && !reconciliationWarned) {
                    reconciliationWarned = true;
                    LOG.log(System.Logger.Level.WARNING, reconciliationUnavailable());
                }
                writer.write(coerced);
                totals.records += coerced.size();
                totals.rejected += coerced.rejections().size();
                sinceCommit += coerced.size() + coerced.rejections().size();
                listener.on(new RunEvent.BatchLoaded(run, stream, totals.committedRecords + totals.records,
                        totals.committedRejected + totals.rejected, Duration.ofNanos(System.nanoTime() - started)));
                if (coerced.checkpoint().isEmpty()) {
                    if (coerced.size() > 0 || !coerced.rejections().isEmpty()) uncheckpointed = true;
                    continue;
                }
                uncheckpointed = false;
                pending = coerced.checkpoint();
                Duration elapsed = Duration.ofNanos(System.nanoTime() - lastCommit);
                if (commitAlongTheWay && options.checkpointPolicy().shouldCommit(sinceCommit, elapsed)) {
                    long gatePassed = passCommitGate();
                    writer.commit(pending);
                    logCommitted(gatePassed);
                    totals.committed();
                    sinceCommit = 0;
                    lastCommit = System.nanoTime();
                    listener.on(new RunEvent.Checkpointed(run, stream, totals.committedRecords));
                }
            }
        }
        if (cancelled.get()) throw new CancelledException();
        if (uncheckpointed && stream.syncMode() == SyncMode.INCREMENTAL && stream.writeMode() != WriteMode.OVERWRITE) {
            // Committing these records with an older state would read them again next time: duplicates.
            throw new IllegalStateException("the source ended stream " + stream.id() + " with records but no checkpoint"
                    + " (a connector bug); nothing since the last checkpoint was committed");
        }
        long gatePassed = passCommitGate();
        writer.commit(pending);
        logCommitted(gatePassed);
        totals.committed();
        listener.on(new RunEvent.Checkpointed(run, stream, totals.committedRecords));
    }

    /**
     * Debug: each commit, stamped on the machine's monotonic clock when it passed the commit gate (its start), so tests
     * can show a process that lost its run starts no commit after.
     */
    private void logCommitted(long gatePassed) {
        LOG.log(System.Logger.Level.DEBUG, () -> "committed: connection " + stream.connection() + " stream " + stream.id() + " (monotonic " + gatePassed + ")");
    }

    /** Right before a commit: a run whose process may no longer write (see {@link SyncEngine#useCommitGate}) stops here, all its streams with it. */
    private long passCommitGate() {
        if (commitGate.getAsBoolean()) return System.nanoTime();
        cancelled.set(true);
        LOG.log(System.Logger.Level.WARNING, "stream " + stream.id() + " of connection " + stream.connection()
                + ": not committing (this process may no longer write for the run); what it staged since its last commit is dropped");
        throw new CancelledException();
    }

    private void noteFallback(StreamReader reader) {
        reader.fallbackReason().ifPresent(reason -> {
            fallback = reason;
            LOG.log(System.Logger.Level.WARNING, "stream " + stream.id() + " of connection " + stream.connection() + " is served from its fallback: " + reason);
        });
    }

    /** Why deletions the source reported by completion (not by record) will not reach this stream's table. */
    String reconciliationUnavailable() {
        return "stream " + stream.id() + " of connection " + stream.connection() + ": the source reports which rows it no longer has"
                + " (deletions found by reconciliation, removed associations), but " + job.destination().describe()
                + " cannot apply them to " + job.destination().tableOf(stream) + " (write mode " + stream.writeMode().name().toLowerCase(java.util.Locale.ROOT)
                + "): those rows stay as they are. Reconciliation needs write mode merge on a destination that supports it (duckdb, postgres).";
    }

    /** Waits out a retry delay in short steps so a cancel is noticed; false when cancelled. */
    private boolean waitUnlessCancelled(Duration delay) {
        long until = System.nanoTime() + delay.toNanos();
        while (System.nanoTime() < until) {
            if (cancelled.get()) return false;
            LockSupport.parkNanos(Math.min(100_000_000L, until - System.nanoTime()));
        }
        return !cancelled.get();
    }

    private StreamResult finish(StreamResult.Status status, Totals totals, long started, Optional<String> error) {
        // Records count what was committed; what was staged but not committed is not loaded, and is read again next time.
        StreamResult result = new StreamResult(stream, job.destination().tableOf(stream), status, totals.committedRecords, totals.committedRejected, totals.commits,
                Duration.ofNanos(System.nanoTime() - started), error, Optional.ofNullable(fallback));
        listener.on(new RunEvent.StreamFinished(run, result));
        return result;
    }

    private static DataException rejectionError(List<Rejection> rejections) {
        Rejection first = rejections.get(0);
        String more = rejections.size() > 1 ? " (and " + (rejections.size() - 1) + " more in this batch)" : "";
        return new DataException(first.origin(), first.reason() + more
                + "; nothing of this batch was committed. Fix the input, or set on_error: reject to load the good records"
                + " and keep the bad ones in _tributary_rejects");
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) sb.append(": ").append(c.getMessage());
        }
        return sb.toString();
    }

    private static final class CancelledException extends RuntimeException {
        CancelledException() {
            super("cancelled", null, false, false);
        }
    }

    /**
     * Brings batches to the table's types (see {@link BatchCoercer}), tracking the table schema as batches widen it.
     * Used from one thread at a time: the read-ahead thread, or the caller when there is none.
     */
    private static final class Coercion {
        private Optional<Schema> table;
        private final List<String> requiredKey;

        Coercion(Optional<Schema> table, List<String> requiredKey) {
            this.table = table;
            this.requiredKey = requiredKey;
        }

        RecordBatch apply(RecordBatch batch) {
            RecordBatch coerced = BatchCoercer.coerce(batch, table, requiredKey);
            table = Optional.of(table.map(t -> t.merge(coerced.schema())).orElse(coerced.schema()));
            return coerced;
        }
    }

    /**
     * Reads and coerces batches on a thread of its own, so parsing and coercion overlap with loading; errors
     * surface on the caller.
     */
    private final class ReadAhead implements AutoCloseable {
        private final StreamReader reader;
        private final Coercion coercion;
        private final BlockingQueue<Object> queue;
        private final Thread thread;
        private volatile boolean closed;

        ReadAhead(StreamReader reader, Coercion coercion) {
            this.reader = reader;
            this.coercion = coercion;
            if (options.readAheadBatches() == 0) {
                this.queue = null;
                this.thread = null;
                return;
            }
            this.queue = new ArrayBlockingQueue<>(options.readAheadBatches());
            this.thread = Thread.ofPlatform().name("tributary-read-" + stream.connection() + "-" + stream.id()).daemon()
                    .start(() -> signal.bind(() -> {
                        pump();
                        return null;
                    }));
        }

        private void pump() {
            try (reader) {
                for (Optional<RecordBatch> b = reader.next(); b.isPresent() && !closed; b = reader.next()) {
                    put(coercion.apply(b.get()));
                }
                put(END);
            } catch (Throwable t) {
                put(t);
            }
        }

        private void put(Object item) {
            try {
                while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    // waiting for the writer to catch up; re-check closed so an aborted stream lets us go
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        RecordBatch next() {
            if (queue == null) return reader.next().map(coercion::apply).orElse(null);
            Object item;
            try {
                // a cancel is seen while the source is still working on its next batch (a slow page, a long wait)
                do {
                    if (cancelled.get()) throw new CancelledException();
                    item = queue.poll(100, TimeUnit.MILLISECONDS);
                } while (item == null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
            if (item == END) return null;
            if (item instanceof RuntimeException e) throw e;
            if (item instanceof Error e) throw e;
            if (item instanceof Throwable t) throw new IllegalStateException(t);
            return (RecordBatch) item;
        }

        /** Stops the read-ahead thread, which closes the reader itself, so the reader is never used by two threads. */
        @Override
        public void close() {
            closed = true;
            if (thread == null) {
                reader.close();
                return;
            }
            queue.clear();
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
