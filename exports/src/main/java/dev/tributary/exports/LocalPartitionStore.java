package dev.tributary.exports;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A partitioned export in a local folder. Files come in by rename from a staging folder beside the root (same file
 * system, outside any glob under the root), the manifest by an atomic rename, and an OS lock on a file beside the root
 * keeps two exports from writing the same folder at once.
 */
final class LocalPartitionStore implements PartitionStore {
    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    LocalPartitionStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        Path parent = this.root.getParent();
        try {
            Files.createDirectories(this.root);
            lockChannel = FileChannel.open(parent.resolve("." + this.root.getFileName() + ".tributary-export.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held;
            try {
                held = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                lockChannel.close();
                throw new IllegalStateException("another export is writing " + this.root + " right now; run this one when it has finished");
            }
            lock = held;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the export folder " + this.root + ": " + e.getMessage(), e);
        }
    }

    /** The staging folder for this root: a hidden sibling, so files move in by rename and no glob under the root sees them. */
    static Path staging(Path root) {
        return root.getParent().resolve("." + root.getFileName() + ".tributary-staging");
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public Set<String> partitions(int depth) {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root, depth)) {
            walk.filter(p -> root.relativize(p).getNameCount() == depth && Files.isDirectory(p)).forEach(p -> {
                String relative = root.relativize(p).toString().replace('\\', '/');
                if (PartitionPaths.isPartitionPath(relative, depth)) found.add(relative);
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public Set<String> filledPartitions() {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root) && Files.isDirectory(p)).forEach(p -> {
                String relative = root.relativize(p).toString().replace('\\', '/');
                if (PartitionPaths.isPartitionPath(relative) && (Files.exists(p.resolve(PartitionManifest.FILE_NAME)) || !dataFiles(relative).isEmpty())) {
                    found.add(relative);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public Optional<PartitionManifest> manifest(String partition) {
        Path file = root.resolve(partition).resolve(PartitionManifest.FILE_NAME);
        try {
            return Optional.of(PartitionManifest.fromJson(Files.readAllBytes(file), file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> dataFiles(String partition) {
        Path dir = root.resolve(partition);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(PartitionPaths::isDataFile).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void publish(Path file, String partition, String name) {
        Path target = root.resolve(partition).resolve(name);
        try {
            Files.createDirectories(target.getParent());
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot move " + file + " to " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(String partition, PartitionManifest manifest) {
        Path dir = root.resolve(partition);
        Path tmp = dir.resolve(PartitionManifest.FILE_NAME + "." + manifest.exportId() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(manifest.toJson()));
                // no force(): a killed process loses nothing the page cache holds; see the README on power loss
            }
            Files.move(tmp, dir.resolve(PartitionManifest.FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the manifest of " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String partition, String name) {
        Path dir = root.resolve(partition);
        try {
            Files.deleteIfExists(dir.resolve(name));
            // an emptied partition goes, with its emptied parents, so a glob sees no empty col=value folders
            for (Path d = dir; !d.equals(root) && isEmptyDir(d); d = d.getParent()) Files.delete(d);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
