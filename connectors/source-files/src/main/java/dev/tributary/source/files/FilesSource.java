package dev.tributary.source.files;

import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.DataException;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads CSV, JSON and JSON Lines files: one stream per configured path or glob, with inferred column types,
 * incremental by file (new and changed files only, resuming inside a file after a stop).
 */
public final class FilesSource implements Source {
    private static final ConnectorSpec SPEC = new ConnectorSpec("files",
            "CSV, JSON and JSON Lines files from a folder: globs, type inference, incremental by file",
            List.of(
                    new ConnectorSpec.Setting("base_path", false, false, "folder that relative paths are read from (default: the working directory)"),
                    new ConnectorSpec.Setting("batch_size", false, false, "rows per batch and checkpoint (default " + FilesConfig.DEFAULT_BATCH_SIZE + ")"),
                    new ConnectorSpec.Setting("streams", true, false, "the streams: each a name, a path or glob, a format and how to read it")),
            Set.of(ConnectorSpec.Capability.INCREMENTAL));

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    /** Reads every setting (nothing is opened or listed). */
    @Override
    public void validate(Config config) {
        FilesConfig.from(config);
    }

    @Override
    public CheckResult check(Config config) {
        FilesConfig files = FilesConfig.from(config);
        if (!Files.isDirectory(files.basePath())) return CheckResult.failed("base_path " + files.basePath() + " is not a folder");
        List<String> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (FilesConfig.StreamConfig s : files.streams()) {
            try {
                List<FileMatcher.MatchedFile> matched = FileMatcher.find(files.basePath(), s.paths());
                if (matched.isEmpty()) {
                    if (s.missingFiles() == FilesConfig.MissingFiles.FAIL) {
                        problems.add(noFiles(files, s).getMessage());
                    } else {
                        found.add(s.name() + ": no files yet");
                    }
                    continue;
                }
                for (FileMatcher.MatchedFile f : matched) {
                    if (!Files.isReadable(f.path())) problems.add(f.relativePath() + ": not readable");
                }
                found.add(s.name() + ": " + matched.size() + (matched.size() == 1 ? " file" : " files"));
            } catch (IOException e) {
                problems.add(s.name() + ": cannot list files: " + e);
            }
        }
        return problems.isEmpty() ? CheckResult.ok(String.join("; ", found)) : CheckResult.failed(String.join("; ", problems));
    }

    @Override
    public Catalog discover(Config config) {
        FilesConfig files = FilesConfig.from(config);
        List<StreamDescriptor> streams = new ArrayList<>();
        for (FilesConfig.StreamConfig s : files.streams()) {
            streams.add(new StreamDescriptor(StreamId.of(s.name()), SchemaSampler.sample(files, s),
                    Set.of(SyncMode.FULL_REFRESH, SyncMode.INCREMENTAL), Optional.empty()));
        }
        return new Catalog(streams);
    }

    @Override
    public StreamReader read(Config config, ConfiguredStream stream, Optional<StreamState> resumeFrom) {
        FilesConfig files = FilesConfig.from(config);
        FilesConfig.StreamConfig s = files.stream(stream.id().name()).orElseThrow(() -> config.error("streams",
                "has no stream named '" + stream.id().name() + "'"));
        return new FilesStreamReader(files, s, stream, resumeFrom.map(FilesStateCodec.INSTANCE::fromState));
    }

    /** The error for a path or glob that matches no file. */
    static DataException noFiles(FilesConfig files, FilesConfig.StreamConfig s) {
        return new DataException(String.join(", ", s.paths()), "no file matches " + (s.paths().size() == 1 ? "this path" : "these paths")
                + " in " + files.basePath() + " (stream '" + s.name() + "'; set missing_files: ignore if that is expected)");
    }
}
