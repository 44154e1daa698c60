package dev.tributary.destination.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Iceberg files on the local file system through {@code java.nio}, so catalog, metadata and data need no Hadoop
 * file system. Takes plain absolute paths and {@code file:} URIs. Lists and deletes by prefix (a folder), which
 * {@code lakehouse remove-orphans} uses.
 */
public final class NioFileIO implements FileIO, SupportsPrefixOperations, SupportsBulkOperations {
    private Map<String, String> properties = Map.of();

    public NioFileIO() {}

    @Override
    public void initialize(Map<String, String> props) {
        this.properties = Map.copyOf(props);
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public InputFile newInputFile(String path) {
        return org.apache.iceberg.Files.localInput(toPath(path).toFile());
    }

    @Override
    public OutputFile newOutputFile(String path) {
        return new FolderMakingOutputFile(org.apache.iceberg.Files.localOutput(toPath(path).toFile()), toPath(path).getParent());
    }

    /**
     * Makes the file's folders with {@code Files.createDirectories} before Iceberg's {@code create}: Iceberg's own
     * {@code File.mkdirs} fails when another thread makes a folder of the path at the same moment (parallel streams
     * creating their tables in one new namespace).
     */
    private record FolderMakingOutputFile(OutputFile file, Path folder) implements OutputFile {
        @Override
        public org.apache.iceberg.io.PositionOutputStream create() {
            makeFolder();
            return file.create();
        }

        @Override
        public org.apache.iceberg.io.PositionOutputStream createOrOverwrite() {
            makeFolder();
            return file.createOrOverwrite();
        }

        @Override
        public String location() {
            return file.location();
        }

        @Override
        public InputFile toInputFile() {
            return file.toInputFile();
        }

        private void makeFolder() {
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the folder " + folder + " for " + file.location() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void deleteFile(String path) {
        try {
            Files.deleteIfExists(toPath(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteFiles(Iterable<String> paths) throws BulkDeletionFailureException {
        int failed = 0;
        for (String p : paths) {
            try {
                Files.deleteIfExists(toPath(p));
            } catch (IOException e) {
                failed++;
            }
        }
        if (failed > 0) throw new BulkDeletionFailureException(failed);
    }

    @Override
    public Iterable<FileInfo> listPrefix(String prefix) {
        Path root = toPath(prefix);
        if (!Files.isDirectory(root)) return List.of();
        List<FileInfo> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(p)) continue;
                try {
                    out.add(new FileInfo(p.toString(), Files.size(p), Files.getLastModifiedTime(p).toMillis()));
                } catch (NoSuchFileException gone) {
                    // deleted while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void deletePrefix(String prefix) {
        List<String> paths = new ArrayList<>();
        for (FileInfo f : listPrefix(prefix)) paths.add(f.location());
        deleteFiles(paths);
    }

    /** A plain path or a {@code file:} URI as a local path. */
    static Path toPath(String location) {
        if (location.startsWith("file:")) return Path.of(URI.create(location.startsWith("file://") ? location : "file://" + location.substring(5)));
        return Path.of(location);
    }
}
