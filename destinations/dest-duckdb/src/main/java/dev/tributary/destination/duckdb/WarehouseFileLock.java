package dev.tributary.destination.duckdb;

import dev.tributary.spi.LockHolder;
import dev.tributary.spi.LockInfoFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lock-info file next to a DuckDB warehouse ({@code warehouse.duckdb.tributary-lock}): a Tributary process that
 * opens the warehouse for writing holds an OS lock on it (gone when the process dies) and writes who it is into it.
 * DuckDB's own file lock already lets one process at a time write; this file tells a second Tributary process
 * whether the warehouse is held by a Tributary writer (stop, naming it) or only briefly by a reader such as the web
 * UI (try again). Sessions of one JVM share the OS lock, counted.
 */
final class WarehouseFileLock {
    static final String SUFFIX = dev.tributary.spi.DuckDbFileOpener.LOCK_INFO_SUFFIX;

    /** OS locks belong to the JVM, not to a session: one per warehouse file, with how many sessions use it. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path file;
    private boolean released;

    private WarehouseFileLock(Path file) {
        this.file = file;
    }

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int users;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    /** The lock-info file of a warehouse. */
    static Path infoFile(Path warehouse) {
        return warehouse.resolveSibling(warehouse.getFileName() + SUFFIX);
    }

    /**
     * Takes the lock for this JVM (or joins it when another session here holds it) and records {@code holder}.
     * Empty when another process holds it: {@link #holderElsewhere} says who.
     */
    static Optional<WarehouseFileLock> tryAcquire(Path warehouse, LockHolder holder) throws IOException {
        Path info = infoFile(warehouse);
        synchronized (LockInfoFiles.monitor()) {
            Held held = HELD.get(info);
            if (held == null) {
                FileChannel channel = FileChannel.open(info, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = tryLock(channel);
                } catch (OverlappingFileLockException e) {
                    // Locked here by code outside the registry: closing our channel would drop its lock, so keep it.
                    LockInfoFiles.keepOpen(channel);
                    return Optional.empty();
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                if (lock == null) {
                    channel.close();
                    return Optional.empty();
                }
                held = new Held(channel, lock);
                HELD.put(info, held);
                LockInfoFiles.markHeld(info);
                write(held.channel, holder);
            }
            held.users++;
            return Optional.of(new WarehouseFileLock(info));
        }
    }

    /**
     * The lock, or null when another process holds it. Readers (the web UI) take it shared for an instant to see
     * whether a writer is in, so a refusal is believed only when it lasts.
     */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + PROBE_PATIENCE_NANOS;
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null || System.nanoTime() - deadline >= 0) return lock;
            try {
                Thread.sleep(20); // FileChannel.tryLock does not wait: poll until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static final long PROBE_PATIENCE_NANOS = 500_000_000L;

    /** Records the holder of the moment (the command now writing), for a second writer's message. */
    void record(LockHolder holder) {
        synchronized (LockInfoFiles.monitor()) {
            Held held = HELD.get(file);
            if (held == null || released) return;
            try {
                write(held.channel, holder);
            } catch (IOException e) {
                // the lock still holds; only the name a second writer would read is older
            }
        }
    }

    /** Lets go; the last session of this JVM releases the OS lock and removes the file. */
    void release() {
        synchronized (LockInfoFiles.monitor()) {
            if (released) return;
            released = true;
            Held held = HELD.get(file);
            if (held == null || --held.users > 0) return;
            HELD.remove(file);
            LockInfoFiles.markReleased(file);
            try {
                // Emptied rather than deleted while locked: a process that opened it meanwhile must not lock a ghost.
                held.channel.truncate(0);
                held.lock.release();
                held.channel.close();
            } catch (IOException e) {
                // closing the channel releases the lock in any case
            }
        }
    }

    /** Who holds the lock in another process, when one does; what it recorded, or an unnamed holder. */
    static Optional<LockHolder> holderElsewhere(Path warehouse) {
        Path info = infoFile(warehouse);
        synchronized (LockInfoFiles.monitor()) {
            if (HELD.containsKey(info) || LockInfoFiles.heldHere(info)) return Optional.empty();
            FileChannel channel;
            try {
                channel = FileChannel.open(info, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                return Optional.empty(); // gone (the holder let go) or unreadable
            }
            try {
                FileLock probe = tryLock(channel);
                if (probe != null) {
                    probe.release();
                    return Optional.empty();
                }
                String text = Files.readString(info, StandardCharsets.UTF_8);
                LockHolder holder = LockHolder.decode(text);
                return Optional.of(holder != null ? holder : LockHolder.unknown("another Tributary process"));
            } catch (OverlappingFileLockException e) {
                // Locked in this JVM by code outside the registry: closing would drop that lock.
                LockInfoFiles.keepOpen(channel);
                channel = null;
                return Optional.of(LockHolder.unknown("another part of this Tributary process"));
            } catch (IOException e) {
                return Optional.empty();
            } finally {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException e) {
                        // nothing is locked through it
                    }
                }
            }
        }
    }

    private static void write(FileChannel channel, LockHolder holder) throws IOException {
        byte[] bytes = (holder.encode() + "\n").getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(bytes), 0);
        channel.force(false);
    }
}
