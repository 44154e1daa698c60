package dev.tributary.destination.iceberg;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The thread that encodes and compresses the rows of a {@link StagedFiles} into Parquet while the sync's thread converts
 * and stages the next ones. Rows travel in chunks through a small bounded queue (a slow encoder holds the caller back,
 * memory stays at a few chunks); files are closed in the order they were finished. The first failure stops the
 * encoding and is thrown to the caller at its next call. The thread ends after a minute with nothing to do and starts
 * again when rows come.
 */
final class ParquetEncoder {
    static final int CHUNK_ROWS = 512;
    private static final int QUEUED_CHUNKS = 8;
    private static final long IDLE_SECONDS = 60;

    private sealed interface Command permits Rows, Finish, Abandon, Barrier {}

    private record Rows(StagedFiles.Open[] files, TableRow[] rows, int size) implements Command {}

    private record Finish(StagedFiles.Open file, String path) implements Command {}

    private record Abandon(List<StagedFiles.Open> files) implements Command {}

    private record Barrier(CountDownLatch done) implements Command {}

    private final String table;
    private final BiConsumer<StagedFiles.Open, String> closer;
    private final BlockingQueue<Command> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private StagedFiles.Open[] files = new StagedFiles.Open[CHUNK_ROWS];
    private TableRow[] rows = new TableRow[CHUNK_ROWS];
    private int size;
    private boolean running;
    private volatile RuntimeException failure;

    /** @param closer closes a finished file and keeps its data file (runs on the encoding thread) */
    ParquetEncoder(String table, BiConsumer<StagedFiles.Open, String> closer) {
        this.table = table;
        this.closer = closer;
    }

    /** Queues {@code row} for {@code file}. */
    void write(StagedFiles.Open file, TableRow row) {
        files[size] = file;
        rows[size] = row;
        if (++size == CHUNK_ROWS) flush();
    }

    /** Queues the closing of {@code file} after its rows. */
    void finish(StagedFiles.Open file, String path) {
        flush();
        submit(new Finish(file, path));
    }

    /** Waits until everything queued is written and closed; throws the encoding's failure, if any. */
    void drain() {
        flush();
        CountDownLatch done = new CountDownLatch(1);
        submit(new Barrier(done));
        await(done);
        throwFailure();
    }

    /** Closes {@code open} without keeping it, after what is queued; waits for it; failures are ignored (all is thrown away). */
    void abandon(List<StagedFiles.Open> open) {
        size = 0;
        CountDownLatch done = new CountDownLatch(1);
        enqueue(new Abandon(open));
        enqueue(new Barrier(done));
        await(done);
        failure = null;
    }

    private void flush() {
        if (size == 0) return;
        submit(new Rows(files, rows, size));
        files = new StagedFiles.Open[CHUNK_ROWS];
        rows = new TableRow[CHUNK_ROWS];
        size = 0;
    }

    private void submit(Command c) {
        throwFailure();
        enqueue(c);
    }

    private void throwFailure() {
        RuntimeException f = failure;
        if (f != null) throw new IllegalStateException("writing Parquet files of " + table + " failed: " + f.getMessage(), f);
    }

    /** Queues {@code c}, starting the thread when it is not running (under the lock the idle thread takes to end). */
    private synchronized void enqueue(Command c) {
        if (!running) {
            running = true;
            Thread t = new Thread(this::run, "tributary-parquet-" + table);
            t.setDaemon(true);
            t.start();
        }
        try {
            queue.put(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing Parquet files of " + table, e);
        }
    }

    private void await(CountDownLatch done) {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing Parquet files of " + table, e);
        }
    }

    private void run() {
        while (true) {
            Command c;
            try {
                c = queue.poll(IDLE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                c = null;
            }
            if (c == null) {
                synchronized (this) {
                    if (queue.isEmpty()) {
                        running = false;
                        return;
                    }
                }
                continue;
            }
            execute(c);
        }
    }

    /** An error (out of memory...) is kept too: the thread must go on, or the caller would wait for it forever. */
    private static RuntimeException failureOf(Throwable e) {
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.toString(), e);
    }

    private void execute(Command c) {
        switch (c) {
            case Rows r -> {
                if (failure != null) return;
                try {
                    for (int i = 0; i < r.size(); i++) r.files()[i].encode(r.rows()[i]);
                } catch (RuntimeException | Error e) {
                    failure = failureOf(e);
                }
            }
            case Finish f -> {
                if (failure != null) {
                    StagedFiles.closeQuietly(f.file());
                    return;
                }
                try {
                    closer.accept(f.file(), f.path());
                } catch (RuntimeException | Error e) {
                    failure = failureOf(e);
                }
            }
            case Abandon a -> a.files().forEach(StagedFiles::closeQuietly);
            case Barrier b -> b.done().countDown();
        }
    }
}
