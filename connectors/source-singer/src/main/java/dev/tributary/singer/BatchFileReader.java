package dev.tributary.singer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.DataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The records of one BATCH message: its manifest's local files, JSON Lines, gzip-compressed or not, read one line at a
 * time so a large file never sits in memory. Only {@code file://} URIs and plain paths are read; anything else is an
 * error naming the message's line.
 */
public final class BatchFileReader implements AutoCloseable {
    private final SingerMessage.BatchMessage message;
    private final Deque<String> files;
    private final Path baseDir;
    private BufferedReader current;
    private String currentName;
    private long line;

    public BatchFileReader(SingerMessage.BatchMessage message, Path baseDir) {
        if (!message.format().equals("jsonl")) {
            throw new DataException(message.origin(), "BATCH of stream '" + message.stream() + "' has encoding format '" + message.format()
                    + "'; only jsonl is read");
        }
        if (!message.compression().equals("none") && !message.compression().equals("gzip")) {
            throw new DataException(message.origin(), "BATCH of stream '" + message.stream() + "' has compression '" + message.compression()
                    + "'; only gzip and none are read");
        }
        this.message = message;
        this.files = new ArrayDeque<>(message.manifest());
        this.baseDir = baseDir;
    }

    /** The next record, or empty when every file of the manifest is read. */
    public Optional<SingerMessage.RecordMessage> next() {
        while (true) {
            if (current == null) {
                if (files.isEmpty()) return Optional.empty();
                open(files.removeFirst());
            }
            String text;
            try {
                text = current.readLine();
            } catch (IOException e) {
                throw new DataException(currentName + ":" + (line + 1), "cannot read the BATCH file: " + e.getMessage(), e);
            }
            if (text == null) {
                closeCurrent();
                continue;
            }
            line++;
            if (text.isBlank()) continue;
            String origin = currentName + ":" + line;
            JsonNode n;
            try {
                n = SingerMessage.JSON.readTree(text);
            } catch (IOException e) {
                throw new DataException(origin, "not a JSON record: " + e.getMessage());
            }
            if (n == null || !n.isObject()) throw new DataException(origin, "not a JSON object (each line of a BATCH file is one record)");
            return Optional.of(new SingerMessage.RecordMessage(origin, message.stream(), (ObjectNode) n, Optional.empty(), Optional.empty()));
        }
    }

    private void open(String entry) {
        Path file;
        try {
            if (entry.startsWith("file:")) {
                URI uri = URI.create(entry);
                // file:///abs/path is absolute; file://some/path (as some taps write it) is relative to the tap's folder
                file = uri.getAuthority() == null || uri.getAuthority().equals("localhost") ? Path.of(uri.getPath()) : baseDir.resolve(entry.substring("file://".length()));
            } else {
                file = baseDir.resolve(entry);
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new DataException(message.origin(), "BATCH of stream '" + message.stream() + "': manifest entry '" + entry
                    + "' is not a local file (only file:// URIs and paths are read)");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataException(message.origin(), "BATCH of stream '" + message.stream() + "': file " + file + " does not exist");
        }
        try {
            InputStream in = Files.newInputStream(file);
            if (message.compression().equals("gzip") || file.toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
            current = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            currentName = file.toString();
            line = 0;
        } catch (IOException e) {
            throw new DataException(file.toString(), "cannot open the BATCH file: " + e.getMessage(), e);
        }
    }

    private void closeCurrent() {
        try {
            if (current != null) current.close();
        } catch (IOException ignored) {
            // read to the end already
        }
        current = null;
    }

    List<String> remainingFiles() {
        return List.copyOf(files);
    }

    @Override
    public void close() {
        closeCurrent();
    }
}
