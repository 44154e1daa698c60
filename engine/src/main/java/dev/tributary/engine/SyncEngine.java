package dev.tributary.engine;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.RunId;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import dev.tributary.spi.WriterLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs sync jobs: each selected stream resumes from the state committed with its data, and streams run
 * concurrently up to {@link SyncOptions#maxParallelStreams()}. A failing stream does not stop the others; the
 * result says which failed and why. Events go to the listener as the run goes.
 */
public final class SyncEngine {
    private final SyncOptions options;
    private final RunListener listener;
    private final WriterLockPolicy lockPolicy;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** Ends the connector's waits (429 back-offs, rate budget) on the threads that run its code when the run is cancelled. */
    private final dev.tributary.spi.CancelSignal signal = new dev.tributary.spi.CancelSignal();
    private volatile java.util.function.BooleanSupplier commitGate = () -> true;

    public SyncEngine(SyncOptions options, RunListener listener) {
        this(options, listener, WriterLockPolicy.stopAtOnce("tributary sync"));
    }

    /** An engine whose runs take their connection's writer lock as {@code lockPolicy} says (stop at once or wait). */
    public SyncEngine(SyncOptions options, RunListener listener, WriterLockPolicy lockPolicy) {
        this.options = options;
        this.listener = listener;
        this.lockPolicy = lockPolicy;
    }

    /**
     * Asked right before each commit: when it says false the run commits nothing more and stops as if cancelled (a
     * scheduler whose worker lost its claim on the run: another process may be resuming it).
     */
    public void useCommitGate(java.util.function.BooleanSupplier gate) {
        this.commitGate = java.util.Objects.requireNonNull(gate, "gate is null");
    }

    /**
     * Asks running streams to stop at the next batch, or at once when they wait (for the source's next batch, or in
     * the connector's waits for a rate limit); what they staged since their last commit is dropped.
     */
    public void cancel() {
        cancelled.set(true);
        signal.cancel();
    }

    public SyncResult run(SyncJob job) {
        return run(job, RunId.generate());
    }

    /**
     * Runs the job holding the connection's writer lock for the whole run, so that no other process or thread writes
     * the same connection at the same time (which would load its data twice). A held lock ends the run before it
     * starts with {@link dev.tributary.spi.WarehouseBusyException}, or waits, as the engine's lock policy says.
     */
    public SyncResult run(SyncJob job, RunId run) {
        try (WriterLock lock = lockPolicy.obtain(() -> job.destination().lockWriter(job.connection(), lockPolicy.holder()), cancelled::get)) {
            return runLocked(job, run);
        }
    }

    private SyncResult runLocked(SyncJob job, RunId run) {
        long started = System.nanoTime();
        listener.on(new RunEvent.RunStarted(run, job.connection(), job.streams().size()));
        List<ConfiguredStream> streams = job.streams().stream().map(this::applyFullRefresh).toList();
        int threads = Math.max(1, Math.min(options.maxParallelStreams(), streams.size()));
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                r -> Thread.ofPlatform().name("tributary-sync-" + counter.incrementAndGet()).daemon().unstarted(r));
        List<StreamResult> results = new ArrayList<>();
        try {
            List<Future<StreamResult>> futures = new ArrayList<>();
            for (ConfiguredStream s : streams) {
                futures.add(pool.submit(() -> new StreamSync(job, s, run, options, listener, cancelled, signal, commitGate).run()));
            }
            for (Future<StreamResult> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            cancel();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sync interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sync failed unexpectedly: " + StreamSync.describe(e.getCause()), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        SyncResult result = new SyncResult(run, job.connection(), results, Duration.ofNanos(System.nanoTime() - started));
        listener.on(new RunEvent.RunFinished(run, result));
        return result;
    }

    /** A full refresh reads from scratch and replaces the table atomically at the end. */
    private ConfiguredStream applyFullRefresh(ConfiguredStream s) {
        return options.fullRefresh() ? s.withModes(SyncMode.FULL_REFRESH, WriteMode.OVERWRITE) : s;
    }
}
