package dev.tributary.source.files;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.SyncMode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads one stream's files in path order, in batches of {@code batch_size} rows, each with a checkpoint. At the
 * start it plans: in incremental mode a file already loaded and unchanged is passed over (same size and
 * modification time, or same size and checksum), the file a stopped read was in resumes after its last
 * checkpointed row when unchanged, and anything new or changed is read whole.
 */
final class FilesStreamReader implements StreamReader {
    private record PlannedFile(FileMatcher.MatchedFile file, long skipRows) {}

    private final FilesConfig.StreamConfig config;
    private final StreamId id;
    private final int batchSize;
    private final Schema configuredSchema;
    private final BatchBuilder builder;
    private final Map<String, FileState> loaded = new TreeMap<>();
    private final Deque<PlannedFile> plan = new ArrayDeque<>();

    private PlannedFile currentFile;
    private FileRowReader current;
    private long rows;
    private FilesState lastCheckpoint;
    private boolean finished;

    FilesStreamReader(FilesConfig files, FilesConfig.StreamConfig config, ConfiguredStream stream, Optional<FilesState> resumeFrom) {
        this.config = config;
        this.id = stream.id();
        this.batchSize = files.batchSize();
        this.configuredSchema = stream.schema();
        boolean incremental = stream.syncMode() == SyncMode.INCREMENTAL && resumeFrom.isPresent();
        FilesState prior = incremental ? resumeFrom.get() : FilesState.EMPTY;
        this.builder = BatchBuilder.forRead(configuredSchema, config.types(), prior.columns());
        this.lastCheckpoint = incremental ? prior : null;
        planReads(files, prior);
    }

    private void planReads(FilesConfig files, FilesState prior) {
        List<FileMatcher.MatchedFile> found;
        try {
            found = FileMatcher.find(files.basePath(), config.paths());
        } catch (IOException e) {
            throw new DataException(config.describePaths(), "cannot list files: " + e, e);
        }
        if (found.isEmpty() && config.missingFiles() == FilesConfig.MissingFiles.FAIL) {
            throw FilesSource.noFiles(files, config);
        }
        Map<String, FileState> known = prior.files().stream().collect(Collectors.toMap(FileState::path, Function.identity()));
        for (FileMatcher.MatchedFile f : found) {
            FileState before = known.get(f.relativePath());
            if (before != null && before.size() == f.size()) {
                if (before.modified().equals(f.modified())) {
                    loaded.put(f.relativePath(), before);
                    continue;
                }
                String sha = sha256(f);
                if (sha.equals(before.sha256())) {
                    // Touched, not changed: remember the new time so the next sync need not hash it again.
                    loaded.put(f.relativePath(), new FileState(f.relativePath(), f.size(), f.modified(), sha));
                    continue;
                }
            }
            long skip = prior.current().filter(c -> c.sameFile(f)).map(FileProgress::rows).orElse(0L);
            plan.add(new PlannedFile(f, skip));
        }
    }

    @Override
    public Optional<RecordBatch> next() {
        if (finished) return Optional.empty();
        try {
            while (builder.size() < batchSize) {
                if (current == null) {
                    if (plan.isEmpty()) break;
                    open(plan.poll());
                } else if (current.read()) {
                    rows++;
                } else {
                    complete();
                }
            }
        } catch (IOException e) {
            throw new DataException(currentFile == null ? config.describePaths() : currentFile.file().relativePath(),
                    "cannot read: " + e.getMessage(), e);
        }
        FilesState state = state();
        if (builder.size() == 0) {
            finished = true;
            if (state.equals(lastCheckpoint)) return Optional.empty();
        }
        lastCheckpoint = state;
        return Optional.of(builder.flush(FilesStateCodec.INSTANCE.toState(id, state)));
    }

    @Override
    public void close() {
        closeCurrent();
    }

    private void open(PlannedFile planned) throws IOException {
        currentFile = planned;
        current = FileRowReader.open(config, planned.file(), builder);
        rows = 0;
        while (rows < planned.skipRows() && current.skip()) rows++;
    }

    private void complete() throws IOException {
        FileRowReader.FileDigest digest = current.finish();
        FileMatcher.MatchedFile f = currentFile.file();
        // A file that changed size while it was read may hold rows the parser never saw: remember the size it had
        // when listed, so the next sync sees a changed file and reads it again whole (losing nothing).
        long size = digest.size() == f.size() ? digest.size() : f.size();
        loaded.put(f.relativePath(), new FileState(f.relativePath(), size, f.modified(), digest.sha256()));
        closeCurrent();
    }

    private void closeCurrent() {
        if (current == null) return;
        try {
            current.close();
        } catch (IOException e) {
            // Only read from; nothing is lost when closing fails.
        }
        current = null;
        currentFile = null;
    }

    private FilesState state() {
        Optional<FileProgress> progress = currentFile == null ? Optional.empty() : Optional.of(new FileProgress(
                currentFile.file().relativePath(), currentFile.file().size(), currentFile.file().modified(), rows));
        return new FilesState(List.copyOf(loaded.values()), progress, builder.evolvedColumns(configuredSchema));
    }

    private static String sha256(FileMatcher.MatchedFile f) {
        try {
            return HashingInputStream.sha256(f.path());
        } catch (IOException e) {
            throw new DataException(f.relativePath(), "cannot read: " + e.getMessage(), e);
        }
    }
}
