package dev.tributary.spi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The lock-info files (next to a DuckDB warehouse) that this JVM holds an OS lock on, shared by the destination that
 * takes them and the web UI that looks at them. On Linux a Java file lock is a POSIX lock: closing any channel on the
 * file drops every lock this process holds on it. So nothing here opens a second channel on a file this JVM locks,
 * and taking, probing and releasing happen under one monitor.
 */
public final class LockInfoFiles {
    private static final Set<Path> HELD = new HashSet<>();
    private static final List<FileChannel> UNCLOSABLE = new ArrayList<>();

    private LockInfoFiles() {
    }

    /** Who, if anyone, holds a lock-info file. */
    public enum Holder {
        NONE, THIS_PROCESS, OTHER_PROCESS
    }

    /** The monitor that guards every lock-info file of this JVM: hold it while taking, releasing or reading one. */
    public static Object monitor() {
        return HELD;
    }

    /** Records that this JVM now holds the OS lock on {@code info}; call holding {@link #monitor}. */
    public static void markHeld(Path info) {
        synchronized (HELD) {
            HELD.add(key(info));
        }
    }

    /** Records that this JVM let go of {@code info}; call holding {@link #monitor}. */
    public static void markReleased(Path info) {
        synchronized (HELD) {
            HELD.remove(key(info));
        }
    }

    /** Whether this JVM holds the OS lock on {@code info}. */
    public static boolean heldHere(Path info) {
        synchronized (HELD) {
            return HELD.contains(key(info));
        }
    }

    /**
     * Looks whether a process holds {@code info}: this JVM (never touching the file then) or another one (a shared
     * lock refused for an instant). A file that cannot be read counts as unheld.
     */
    public static Holder probe(Path info) {
        synchronized (HELD) {
            if (HELD.contains(key(info))) return Holder.THIS_PROCESS;
            if (!Files.exists(info)) return Holder.NONE;
            FileChannel channel;
            try {
                channel = FileChannel.open(info, StandardOpenOption.READ);
            } catch (IOException e) {
                return Holder.NONE;
            }
            try {
                FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
                if (probe == null) return Holder.OTHER_PROCESS;
                probe.release();
                return Holder.NONE;
            } catch (OverlappingFileLockException e) {
                keepOpen(channel);
                channel = null;
                return Holder.THIS_PROCESS;
            } catch (IOException e) {
                return Holder.NONE;
            } finally {
                closeQuietly(channel);
            }
        }
    }

    /**
     * Keeps a channel open for the life of the JVM: it met a lock this JVM holds through another channel (code that
     * does not use this registry), and closing it would drop that lock.
     */
    public static void keepOpen(FileChannel channel) {
        synchronized (HELD) {
            UNCLOSABLE.add(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was locked through it
        }
    }

    private static Path key(Path info) {
        return info.toAbsolutePath().normalize();
    }
}
