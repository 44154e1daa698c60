package dev.tributary.source.files;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads one file row by row into a {@link BatchBuilder}: each row becomes a record or a rejection. A row is a
 * CSV record, a line of JSON Lines or an element of a JSON array; rows are what a resume point counts.
 */
interface FileRowReader extends Closeable {
    /** Reads the next row into the builder; false at the end of the file (and on every call after it). */
    boolean read() throws IOException;

    /** Passes over the next row without interpreting its values; false at the end of the file. */
    boolean skip() throws IOException;

    /** Reads what is left of the file (unparsed) and returns its size and SHA-256. */
    FileDigest finish() throws IOException;

    /** A file's size in bytes and SHA-256 (hex), as read. */
    record FileDigest(long size, String sha256) {}

    static FileRowReader open(FilesConfig.StreamConfig stream, FileMatcher.MatchedFile file, BatchBuilder out) throws IOException {
        return switch (stream.format()) {
            case CSV -> new CsvFileReader(HashingInputStream.open(file.path()), stream.csv(), file.relativePath(), out);
            case JSONL -> new JsonLinesReader(HashingInputStream.open(file.path()), file.relativePath(), out);
            case JSON -> new JsonArrayReader(HashingInputStream.open(file.path()), file.relativePath(), out);
        };
    }
}
