package dev.tributary.lakehouse.duckdb;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.iceberg.io.FileIO;

/**
 * A local copy of the data and delete files that the current snapshots of an object-store lakehouse ({@code s3://})
 * need, for a DuckDB that cannot read S3 itself. Iceberg never changes a file once written, so each is downloaded
 * once (to a temporary name, its size checked against the table's metadata, then moved into place) and kept until
 * no current snapshot has needed it for {@link #KEEP_UNNEEDED} ({@link #prune}): a query of another process (serve's
 * dashboards) may still be reading a view made before the last refresh. Paths mirror the locations:
 * {@code s3://bucket/key} is {@code <folder>/s3/bucket/key}.
 */
public final class LakehouseMirror {
    /** Downloads at least this big print their progress. */
    static final long PROGRESS_BYTES = 32L << 20;
    private static final Pattern OBJECT_LOCATION = Pattern.compile("([a-z][a-z0-9]*)://([^/]+)/(.+)");
    private static final String PARTIAL = ".download";
    /**
     * How long a cached file no current snapshot needs is kept: a view made by an earlier refresh (of this process or
     * another) reads it until then. Each refresh that needs a file sets its modification time, so the age is since a
     * refresh last needed it.
     */
    static final Duration KEEP_UNNEEDED = Duration.ofHours(1);
    private static final String LOCK_FILE = ".lock";
    /** One refresh of a cache folder at a time in this JVM (the OS file lock excludes other processes). */
    private static final Map<Path, ReentrantLock> IN_USE = new ConcurrentHashMap<>();

    private final FileIO io;
    private final Path folder;
    private final Consumer<String> log;
    private final long progressBytes;
    private final Set<Path> needed = new HashSet<>();
    private int downloadedFiles;
    private long downloadedBytes;

    /**
     * @param io     reads the lakehouse's files (its {@code S3FileIO})
     * @param folder the cache folder (created when missing)
     * @param log    progress of large downloads, one line at a time
     */
    public LakehouseMirror(FileIO io, Path folder, Consumer<String> log) {
        this(io, folder, log, PROGRESS_BYTES);
    }

    /** As above; downloads of {@code progressBytes} or more print a line each time that many more bytes arrived. */
    LakehouseMirror(FileIO io, Path folder, Consumer<String> log, long progressBytes) {
        this.io = requireNonNull(io, "io is null");
        this.folder = requireNonNull(folder, "folder is null").toAbsolutePath().normalize();
        this.log = requireNonNull(log, "log is null");
        this.progressBytes = progressBytes;
    }

    /**
     * Takes the cache folder for one refresh, waiting for another refresh (this process's or another's) to finish:
     * one process's pruning must not delete what another has just downloaded for a newer snapshot.
     */
    AutoCloseable lock() {
        ReentrantLock inJvm = IN_USE.computeIfAbsent(folder, f -> new ReentrantLock());
        inJvm.lock();
        try {
            Files.createDirectories(folder);
            FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock os;
            try {
                os = channel.lock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return () -> {
                try (channel) {
                    os.release();
                } finally {
                    inJvm.unlock();
                }
            };
        } catch (IOException e) {
            inJvm.unlock();
            throw new UncheckedIOException("cannot lock the lakehouse cache " + folder + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            inJvm.unlock();
            throw e;
        }
    }

    /** Starts a refresh: nothing needed or downloaded yet (a mirror may serve several refreshes). */
    void begin() {
        needed.clear();
        downloadedFiles = 0;
        downloadedBytes = 0;
    }

    /** The local path of {@code location} in the cache; refuses what is no object-store location or leaves the folder. */
    String localPath(String location, String table) {
        Matcher m = OBJECT_LOCATION.matcher(location);
        if (!m.matches()) throw new UnreadableTableException(table, "its file " + location + " is not an object-store location (scheme://bucket/key)");
        Path path = folder.resolve(m.group(1)).resolve(m.group(2)).resolve(m.group(3)).normalize();
        if (!path.startsWith(folder.resolve(m.group(1)).resolve(m.group(2))) || m.group(3).endsWith("/")) {
            throw new UnreadableTableException(table, "its file " + location + " does not name a file inside its bucket");
        }
        return path.toString();
    }

    /**
     * Makes sure the local copy of {@code location} exists with {@code size} bytes, downloading it when it does not,
     * and marks it needed. A file in the store of another size than the metadata says is an error.
     */
    void fetch(String location, String localPath, long size) {
        Path local = Path.of(localPath);
        needed.add(local);
        try {
            if (Files.isRegularFile(local) && Files.size(local) == size) {
                Files.setLastModifiedTime(local, FileTime.from(Instant.now()));
                return;
            }
            Files.createDirectories(local.getParent());
            Path partial = local.resolveSibling(local.getFileName() + PARTIAL);
            long copied;
            try (InputStream in = io.newInputFile(location, size).newStream(); OutputStream out = Files.newOutputStream(partial)) {
                copied = copy(in, out, location, size);
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            if (copied != size) {
                Files.deleteIfExists(partial);
                throw new IllegalStateException("downloading " + location + ": got " + copied + " bytes, but the table's metadata says the file has " + size);
            }
            Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            downloadedFiles++;
            downloadedBytes += size;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + location + " into " + local + ": " + e.getMessage(), e);
        }
    }

    private long copy(InputStream in, OutputStream out, String location, long size) throws IOException {
        byte[] buffer = new byte[(int) Math.min(1 << 16, Math.max(progressBytes, 1024))];
        long copied = 0;
        long nextReport = progressBytes;
        boolean large = size >= progressBytes;
        if (large) log.accept("downloading " + location + " (" + megabytes(size) + ")");
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            copied += n;
            if (large && copied >= nextReport && copied < size) {
                log.accept("  " + megabytes(copied) + " of " + megabytes(size) + " (" + (copied * 100 / size) + "%)");
                nextReport += progressBytes;
            }
        }
        return copied;
    }

    /**
     * Asks the store for an object under {@code warehouse} (one quick request, which finds nothing), so that an
     * unreachable store or refused credentials fail at once rather than after the retries of every table's load.
     */
    void probe(String warehouse) {
        io.newInputFile(warehouse.replaceAll("/+$", "") + "/.tributary-probe").exists();
    }

    /**
     * Deletes every cached file no {@link #fetch} of this mirror asked for and no refresh needed for
     * {@link #KEEP_UNNEEDED} (files of older snapshots), and broken downloads; returns how many.
     */
    int prune() {
        if (!Files.isDirectory(folder)) return 0;
        List<Path> gone = new ArrayList<>();
        FileTime keepSince = FileTime.from(Instant.now().minus(KEEP_UNNEEDED));
        try (Stream<Path> files = Files.walk(folder)) {
            files.filter(Files::isRegularFile).filter(p -> !needed.contains(p) && !p.equals(folder.resolve(LOCK_FILE)))
                    .filter(p -> p.getFileName().toString().endsWith(PARTIAL) || lastModified(p).compareTo(keepSince) < 0).forEach(gone::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lakehouse cache " + folder + ": " + e.getMessage(), e);
        }
        try {
            for (Path p : gone) Files.deleteIfExists(p);
            try (Stream<Path> dirs = Files.walk(folder)) {
                for (Path d : dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    if (d.equals(folder)) continue;
                    try (Stream<Path> inside = Files.list(d)) {
                        if (inside.findAny().isEmpty()) Files.delete(d);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the lakehouse cache " + folder + ": " + e.getMessage(), e);
        }
        return gone.size();
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + p + " in the lakehouse cache: " + e.getMessage(), e);
        }
    }

    Path folder() {
        return folder;
    }

    int downloadedFiles() {
        return downloadedFiles;
    }

    long downloadedBytes() {
        return downloadedBytes;
    }

    private static String megabytes(long bytes) {
        return String.format("%,.1f MB", bytes / 1048576.0);
    }
}
